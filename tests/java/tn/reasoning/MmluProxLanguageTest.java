package tn.reasoning;

import tn.io.InvalidValueException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every language's descriptions, answer pattern and stop strings, derived from its lang_libs
 * strings, equal what the harness loads from the task's YAML files (expected/languages.json).
 */
class MmluProxLanguageTest {
    @Test
    void everyLanguageDerivesWhatTheTaskFilesSay() {
        JsonObject expected = MmluProxFixtures.expected("languages.json");
        assertEquals(new ArrayList<>(expected.keySet()), MmluProxLanguage.codes());
        assertEquals(29, expected.size());
        for (String code : expected.keySet()) {
            JsonObject e = expected.getAsJsonObject(code);
            MmluProxLanguage lang = MmluProxLanguage.of(code);
            assertEquals(e.get("answer_regex").getAsString(), lang.answerRegex(), code);
            List<String> until = new ArrayList<>();
            for (JsonElement u : e.getAsJsonArray("until")) until.add(u.getAsString());
            assertEquals(until, lang.until(), code);
            JsonObject subjects = e.getAsJsonObject("subjects");
            assertEquals(Subject.values().length, subjects.size(), code);
            for (Subject s : Subject.values()) {
                JsonObject es = subjects.getAsJsonObject(s.id());
                assertEquals(es.get("description").getAsString(), lang.descriptionOf(s), code + " " + s.id());
                assertEquals(es.get("category").getAsString(), s.category(), code + " " + s.id());
            }
        }
    }

    @Test
    void subjectsAndLanguagesAreNamedInErrors() {
        assertEquals(Subject.COMPUTER_SCIENCE, Subject.parse("computer science"));
        assertEquals(Subject.COMPUTER_SCIENCE, Subject.parse("Computer_Science"));
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Subject.parse("astrology"));
        assertTrue(e.getMessage().contains("astrology") && e.getMessage().contains("psychology"), e.getMessage());
        e = assertThrows(InvalidValueException.class, () -> MmluProxLanguage.of("nl"));
        assertTrue(e.getMessage().contains("'nl'") && e.getMessage().contains("ja"), e.getMessage());
    }
}
