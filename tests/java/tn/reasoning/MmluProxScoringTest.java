package tn.reasoning;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cutting at the stop strings, the answer extracted and exact match equal the harness's own
 * filter and metric on made-up generations in all 29 languages (expected/scores.jsonl.gz), and the
 * accuracies per subject and the weighted total equal its aggregation (expected/accuracy.json).
 */
class MmluProxScoringTest {
    @Test
    void everyGenerationScoresAsTheHarnessScoresIt() {
        Map<String, MmluProxAccuracy> accuracy = new HashMap<>();
        List<JsonObject> lines = MmluProxFixtures.expectedLines("scores");
        for (JsonObject e : lines) {
            String code = e.get("lang").getAsString();
            MmluProxLanguage lang = MmluProxLanguage.of(code);
            String where = code + " question " + e.get("question_id");
            String cut = MmluProxScoring.cut(e.get("raw").getAsString(), lang.until());
            assertEquals(e.get("generation").getAsString(), cut, where);
            String extracted = MmluProxScoring.extract(lang.answerPattern(), cut);
            assertEquals(e.get("extracted").getAsString(), extracted, where);
            boolean correct = MmluProxScoring.correct(extracted, e.get("gold").getAsString());
            assertEquals(e.get("correct").getAsBoolean(), correct, where);
            accuracy.computeIfAbsent(code, k -> new MmluProxAccuracy())
                    .add(Subject.parse(e.get("subject").getAsString()), correct);
        }
        JsonObject expected = MmluProxFixtures.expected("accuracy.json");
        assertEquals(29, accuracy.size());
        for (String code : expected.keySet()) {
            JsonObject e = expected.getAsJsonObject(code);
            List<MmluProxAccuracy.Line> ours = accuracy.get(code).lines();
            JsonObject subjects = e.getAsJsonObject("subjects");
            assertEquals(subjects.size() + 1, ours.size(), code);
            for (MmluProxAccuracy.Line l : ours.subList(0, ours.size() - 1)) {
                JsonObject s = subjects.getAsJsonObject(l.subject());
                assertEquals(s.get("n").getAsInt(), l.questions(), code + " " + l.subject());
                assertEquals(s.get("accuracy").getAsDouble(), l.accuracy(), 1e-15, code + " " + l.subject());
            }
            assertEquals(e.get("total").getAsDouble(), accuracy.get(code).total().accuracy(), 1e-15, code);
        }
        // the fixtures cover every kind of answer
        assertTrue(lines.stream().anyMatch(l -> l.get("extracted").getAsString().equals(MmluProxScoring.INVALID)));
        assertTrue(lines.stream().anyMatch(l -> l.get("correct").getAsBoolean()));
        assertTrue(lines.stream().anyMatch(l
                -> !l.get("correct").getAsBoolean()
                        && !l.get("extracted").getAsString().equals(MmluProxScoring.INVALID)));
    }

    @Test
    void exactMatchIgnoresCaseAndAsciiPunctuation() {
        assertTrue(MmluProxScoring.correct("b", "B"));
        assertTrue(MmluProxScoring.correct("(B).", "B"));
        assertFalse(MmluProxScoring.correct(MmluProxScoring.INVALID, "B"));
        assertFalse(MmluProxScoring.correct("B", "C"));
        assertEquals("abc", MmluProxScoring.cut("abcQ:defQuestion:", List.of("Question:", "Q:")));
    }
}
