package tn.reasoning;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rescoring a generations.jsonl recomputes every answer and the accuracies from the texts alone,
 * equal to the harness's (the file's own extracted and correct are wrong on purpose).
 */
class MmluProxRescoreTest {
    @TempDir
    Path tmp;

    @Test
    void rescoringEqualsTheHarnessWhateverTheFileClaims() throws IOException {
        JsonObject expected = MmluProxFixtures.expected("accuracy.json");
        for (String code : List.of("ja", "en", "ar", "ko", "ne")) {
            MmluProxLanguage lang = MmluProxLanguage.of(code);
            List<MmluProxGenerations.Line> written = new ArrayList<>();
            List<JsonObject> theirs = MmluProxFixtures.expectedLines("scores")
                                              .stream()
                                              .filter(o -> o.get("lang").getAsString().equals(code))
                                              .toList();
            for (JsonObject o : theirs) {
                written.add(new MmluProxGenerations.Line(o.get("question_id").getAsString(),
                        Subject.parse(o.get("subject").getAsString()), o.get("generation").getAsString(), "stop_string",
                        "Z", o.get("gold").getAsString(), !o.get("correct").getAsBoolean()));
            }
            Path file = tmp.resolve(code + "-generations.jsonl");
            MmluProxGenerations.write(file, written);
            List<MmluProxGenerations.Line> rescored = MmluProxGenerations.rescore(file, lang);
            for (int i = 0; i < theirs.size(); i++) {
                assertEquals(theirs.get(i).get("extracted").getAsString(), rescored.get(i).extracted(), code + " " + i);
                assertEquals(theirs.get(i).get("correct").getAsBoolean(), rescored.get(i).correct(), code + " " + i);
            }
            assertEquals(expected.getAsJsonObject(code).get("total").getAsDouble(),
                    MmluProxGenerations.accuracy(rescored).total().accuracy(), 1e-15, code);
        }
    }

    @Test
    void badLinesAreNamed() throws IOException {
        Path f = tmp.resolve("g.jsonl");
        Files.writeString(f,
                "{\"question_id\": 1, \"subject\": \"law\", \"generation\": \"x\", \"gold\": \"A\"}\n"
                        + "{\"question_id\": 2, \"subject\": \"astrology\", \"generation\": \"x\", \"gold\": \"A\"}\n");
        InputException e =
                assertThrows(InputException.class, () -> MmluProxGenerations.rescore(f, MmluProxLanguage.of("en")));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("astrology"), e.getMessage());
        Files.writeString(f, "{\"question_id\": 1, \"subject\": \"law\", \"gold\": \"A\"}\n");
        e = assertThrows(InputException.class, () -> MmluProxGenerations.rescore(f, MmluProxLanguage.of("en")));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("\"generation\""), e.getMessage());
    }
}
