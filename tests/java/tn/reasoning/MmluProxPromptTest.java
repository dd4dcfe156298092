package tn.reasoning;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import tn.data.MmluProxFile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our prompts equal, byte for byte, those the seed's lm-evaluation-harness builds from the same
 * made-up rows (expected/prompts.jsonl.gz), for all 29 languages, read from JSONL and from the
 * release's parquet format alike.
 */
class MmluProxPromptTest {
    @Test
    void parquetAndJsonlGiveTheSameRows() {
        assertEquals(MmluProxFile.read(MmluProxFixtures.sample("test.jsonl"))
                             .rows()
                             .stream()
                             .map(MmluProxPromptTest::strip)
                             .toList(),
                MmluProxFile.read(MmluProxFixtures.sample("test.parquet"))
                        .rows()
                        .stream()
                        .map(MmluProxPromptTest::strip)
                        .toList());
        List<MmluProxFile.Row> validation = MmluProxFile.read(MmluProxFixtures.sample("validation.jsonl")).rows();
        for (String other : List.of("validation.parquet", "validation-zstd-v2.parquet")) {
            MmluProxFile.Rows rows = MmluProxFile.read(MmluProxFixtures.sample(other));
            assertEquals("parquet", rows.format());
            assertEquals(validation.stream().map(MmluProxPromptTest::strip).toList(),
                    rows.rows().stream().map(MmluProxPromptTest::strip).toList(), other);
        }
        MmluProxFile.Row gap = validation.get(1);
        assertEquals(null, gap.options().get(5));
        assertEquals("", gap.options().get(0));
        assertEquals("after a gap", gap.options().get(6));
        assertEquals("101", gap.questionId());
        assertEquals(1, gap.answerIndex());
        assertTrue(validation.get(0).where().endsWith("validation.jsonl line 1"), validation.get(0).where());
    }

    /** A row without where it came from. */
    private static MmluProxFile.Row strip(MmluProxFile.Row r) {
        return new MmluProxFile.Row(r.questionId(), r.question(), r.options(), r.answer(), r.answerIndex(),
                r.cotContent(), r.category(), r.line(), "");
    }

    @Test
    void everyLanguagesPromptsEqualTheHarnesses() {
        Map<String, List<JsonObject>> expected = new HashMap<>();
        for (JsonObject o : MmluProxFixtures.expectedLines("prompts")) {
            expected.computeIfAbsent(o.get("lang").getAsString(), k -> new ArrayList<>()).add(o);
        }
        assertEquals(29, expected.size());
        int compared = 0;
        for (String format : List.of("jsonl", "parquet")) {
            MmluProxFile.Rows test = MmluProxFile.read(MmluProxFixtures.sample("test." + format));
            MmluProxFile.Rows validation = MmluProxFile.read(MmluProxFixtures.sample("validation." + format));
            for (String code : MmluProxLanguage.codes()) {
                MmluProxTask.Items items = MmluProxTask.items(MmluProxLanguage.of(code), test, validation, Set.of(), 0);
                List<JsonObject> theirs = expected.get(code);
                assertEquals(theirs.size(), items.items().size(), code);
                for (int k = 0; k < theirs.size(); k++) {
                    MmluProxTask.Item mine = items.items().get(k);
                    JsonObject e = theirs.get(k);
                    String where = code + " " + format + " question " + e.get("question_id");
                    assertEquals(e.get("subject").getAsString(), mine.subject().id(), where);
                    assertEquals(e.get("question_id").getAsString(), mine.row().questionId(), where);
                    assertArrayEquals(e.get("prompt").getAsString().getBytes(StandardCharsets.UTF_8),
                            mine.prompt().getBytes(StandardCharsets.UTF_8), where + ":\n" + mine.prompt());
                    compared++;
                }
            }
        }
        assertEquals(2 * 29 * 9, compared);
    }

    @Test
    void subjectsAndLimitKeepTheFirstQuestionsOfEachSubject() {
        MmluProxFile.Rows test = MmluProxFile.read(MmluProxFixtures.sample("test.jsonl"));
        MmluProxFile.Rows validation = MmluProxFile.read(MmluProxFixtures.sample("validation.jsonl"));
        MmluProxTask.Items all = MmluProxTask.items(MmluProxLanguage.of("ja"), test, validation, Set.of(), 0);
        MmluProxTask.Items some = MmluProxTask.items(
                MmluProxLanguage.of("ja"), test, validation, Set.of(Subject.LAW, Subject.BIOLOGY), 2);
        List<MmluProxTask.Item> expected =
                all.items().stream().filter(i -> i.subject() != Subject.COMPUTER_SCIENCE).toList();
        List<MmluProxTask.Item> firstTwo = new ArrayList<>();
        for (Subject s : List.of(Subject.BIOLOGY, Subject.LAW)) {
            firstTwo.addAll(expected.stream().filter(i -> i.subject() == s).limit(2).toList());
        }
        assertEquals(firstTwo, some.items());
        assertEquals(0, all.otherCategories());
    }
}
