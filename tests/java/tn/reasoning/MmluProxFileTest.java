package tn.reasoning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.data.MmluProxFile;
import tn.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad MMLU-ProX files are refused with the file, the line or row, and the field named. */
class MmluProxFileTest {
    static final String ROW = "{\"question_id\": 7, \"question\": \"Q?\", \"option_0\": \"a\", \"option_1\": \"b\", "
            + "\"answer\": \"A\", \"answer_index\": 0, \"cot_content\": \"A: x\", \"category\": \"law\"}";

    @TempDir
    Path tmp;

    private InputException refused(String name, byte[] content, String... expected) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, content);
        InputException e = assertThrows(InputException.class, () -> MmluProxFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String x : expected) assertTrue(e.getMessage().contains(x), "'" + x + "' in: " + e.getMessage());
        return e;
    }

    private InputException refused(String name, String content, String... expected) throws IOException {
        return refused(name, content.getBytes(), expected);
    }

    @Test
    void badJsonl() throws IOException {
        refused("a.jsonl", ROW + "\n" + ROW.replace("\"question\": \"Q?\", ", "") + "\n", "line 2", "\"question\"");
        refused("b.jsonl", ROW.replace("\"answer\": \"A\"", "\"answer\": 1"), "line 1", "\"answer\" is not a string");
        refused("c.jsonl", ROW.replace("\"question_id\": 7", "\"question_id\": [7]"), "line 1", "question_id");
        refused("d.jsonl", ROW.replace("\"option_1\": \"b\"", "\"option_1\": 2"), "line 1", "option_1");
        refused("e.jsonl", "{not json\n", "line 1", "invalid JSON");
        refused("f.jsonl", "\n\n", "no questions");
        refused("g.txt", ROW, "parquet");
        refused("h.jsonl.gz", ROW, "gzip");
        assertEquals("7", MmluProxFile.read(write("ok.jsonl", ROW)).rows().get(0).questionId());
    }

    @Test
    void badParquet() throws IOException {
        byte[] good = Files.readAllBytes(MmluProxFixtures.sample("validation.parquet"));
        refused("random.parquet", "not parquet at all".getBytes(), "not a parquet file");
        refused("cut.parquet", Arrays.copyOf(good, good.length / 2), "not a parquet file");
        byte[] damaged = good.clone();
        for (int i = 100; i < 400; i++) damaged[i] ^= 0x5a;
        refused("damaged.parquet", damaged, "cannot read it as parquet");
        refused("missing.parquet", new byte[0], "not a parquet file");
    }

    @Test
    void tooFewWorkedExamplesOrNoneOfASubject() throws IOException {
        Path test = write("test.jsonl", ROW);
        Path validation = write("validation.jsonl", (ROW + "\n").repeat(4));
        InputException e = assertThrows(InputException.class,
                ()
                        -> MmluProxTask.items(MmluProxLanguage.of("en"), MmluProxFile.read(test),
                                MmluProxFile.read(validation), Set.of(), 0));
        assertTrue(e.getMessage().contains("has 4 questions of law") && e.getMessage().contains(validation.toString()),
                e.getMessage());
        Path noCot = write(
                "nocot.jsonl", (ROW + "\n").repeat(5).replace("\"cot_content\": \"A: x\"", "\"cot_content\": null"));
        e = assertThrows(InputException.class,
                ()
                        -> MmluProxTask.items(MmluProxLanguage.of("en"), MmluProxFile.read(test),
                                MmluProxFile.read(noCot), Set.of(), 0));
        assertTrue(e.getMessage().contains("nocot.jsonl line 1") && e.getMessage().contains("cot_content"),
                e.getMessage());
        e = assertThrows(InputException.class,
                ()
                        -> MmluProxTask.items(MmluProxLanguage.of("en"), MmluProxFile.read(test),
                                MmluProxFile.read(noCot), Set.of(Subject.MATH), 0));
        assertTrue(e.getMessage().contains("no questions of subjects [math]"), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
