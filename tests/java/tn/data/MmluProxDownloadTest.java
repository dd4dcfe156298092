package tn.data;

import blue.strategic.parquet.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.reasoning.MmluProxLanguage;
import tn.reasoning.MmluProxTask;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn data mmlu-prox on MMLU-ProX laid out as Hugging Face serves it: the converted files hold the
 * rows of the release's files in order, and give reasoning the very prompts the release's files
 * give it directly (which MmluProxPromptTest checks against the original's lm-evaluation-harness).
 */
class MmluProxDownloadTest {
    static final Path SAMPLE = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning", "sample");

    /** A row without where it was read, to compare rows of different files. */
    static List<MmluProxFile.Row> rows(Path... files) {
        List<MmluProxFile.Row> all = new ArrayList<>();
        for (Path f : files) {
            for (MmluProxFile.Row r : MmluProxFile.read(f).rows()) {
                all.add(new MmluProxFile.Row(r.questionId(), r.question(), r.options(), r.answer(), r.answerIndex(),
                        r.cotContent(), r.category(), 0, ""));
            }
        }
        return all;
    }

    static List<String> prompts(Path test, Path validation) {
        return MmluProxTask.items(MmluProxLanguage.of("ja"), MmluProxFile.read(test), MmluProxFile.read(validation),
                                   Set.of(), 0)
                .items()
                .stream()
                .map(MmluProxTask.Item::prompt)
                .toList();
    }

    static TnCli.Result data(String... args) {
        List<String> all = new ArrayList<>(List.of("data", "mmlu-prox"));
        all.addAll(List.of(args));
        return TnCli.run(all.toArray(String[] ::new));
    }

    /** The hub's layout, as hf download writes it: a folder per language, one shard per split. */
    static Path hub(Path dir) throws IOException {
        Path ja = Files.createDirectories(dir.resolve("ja"));
        Files.copy(SAMPLE.resolve("test.parquet"), ja.resolve("test-00000-of-00001.parquet"));
        Files.copy(SAMPLE.resolve("validation.parquet"), ja.resolve("validation-00000-of-00001.parquet"));
        return dir;
    }

    @Test
    void theHubsLayoutBecomesTheFilesReasoningTakesWithTheSamePrompts(@TempDir Path dir) throws IOException {
        Path from = hub(dir.resolve("MMLU-ProX"));
        Path out = dir.resolve("out");
        TnCli.Result r = data("--from", from.toString(), "--lang", "ja", "--out", out.toString()).expect(0);
        assertTrue(r.out().contains("wrote " + out.resolve("test.jsonl")), r.out());

        Path test = from.resolve("ja/test-00000-of-00001.parquet");
        Path validation = from.resolve("ja/validation-00000-of-00001.parquet");
        assertEquals(rows(test), rows(out.resolve("test.jsonl")));
        assertEquals(rows(validation), rows(out.resolve("validation.jsonl")));
        assertEquals(9, rows(out.resolve("test.jsonl")).size());
        // reasoning reads the downloaded parquet files directly, and the converted ones give the same prompts
        List<String> direct = prompts(test, validation);
        assertEquals(9, direct.size());
        assertEquals(direct, prompts(out.resolve("test.jsonl"), out.resolve("validation.jsonl")));

        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(
                manifest.contains(tn.io.Sha256.of(test)) && manifest.contains(tn.io.Sha256.of(validation)), manifest);

        // the language's folder itself, and the dataset viewer's conversion (ja/test/0000.parquet), are found too
        assertEquals(0, data("--from", from.resolve("ja").toString(), "--lang", "ja", "--out",
                                dir.resolve("out2").toString()).code());
        assertEquals(Files.readString(out.resolve("test.jsonl")), Files.readString(dir.resolve("out2/test.jsonl")));
        Path viewer = dir.resolve("viewer/ja");
        Files.createDirectories(viewer.resolve("test"));
        Files.createDirectories(viewer.resolve("validation"));
        Files.copy(test, viewer.resolve("test/0000.parquet"));
        Files.copy(validation, viewer.resolve("validation/0000.parquet"));
        data("--from", dir.resolve("viewer").toString(), "--lang", "ja", "--out", dir.resolve("out3").toString())
                .expect(0);
        assertEquals(Files.readString(out.resolve("validation.jsonl")),
                Files.readString(dir.resolve("out3/validation.jsonl")));
    }

    @Test
    void shardsAreJoinedInOrder(@TempDir Path dir) throws IOException {
        List<MmluProxFile.Row> validation = MmluProxFile.read(SAMPLE.resolve("validation.parquet")).rows();
        Path ja = Files.createDirectories(dir.resolve("ja"));
        Files.copy(SAMPLE.resolve("test.parquet"), ja.resolve("test-00000-of-00001.parquet"));
        // written by parquet-java through parquet-floor, the library tn reads parquet with
        int half = validation.size() / 2;
        writeParquet(validation.subList(half, validation.size()), ja.resolve("validation-00001-of-00002.parquet"));
        writeParquet(validation.subList(0, half), ja.resolve("validation-00000-of-00002.parquet"));
        Path out = dir.resolve("out");
        data("--from", dir.toString(), "--lang", "ja", "--out", out.toString(), "--quiet").expect(0);
        assertEquals(rows(SAMPLE.resolve("validation.parquet")), rows(out.resolve("validation.jsonl")));
        assertEquals(prompts(SAMPLE.resolve("test.parquet"), SAMPLE.resolve("validation.parquet")),
                prompts(out.resolve("test.jsonl"), out.resolve("validation.jsonl")));
    }

    @Test
    void jsonlExportsAreReadToo(@TempDir Path dir) throws IOException {
        Path ja = Files.createDirectories(dir.resolve("ja"));
        Files.copy(SAMPLE.resolve("test.jsonl"), ja.resolve("test.jsonl"));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(ja.resolve("validation.jsonl.gz")))) {
            gz.write(Files.readAllBytes(SAMPLE.resolve("validation.jsonl")));
        }
        Path out = dir.resolve("out");
        data("--from", dir.toString(), "--lang", "ja", "--out", out.toString()).expect(0);
        assertEquals(rows(SAMPLE.resolve("test.jsonl")), rows(out.resolve("test.jsonl")));
        assertEquals(rows(SAMPLE.resolve("validation.jsonl")), rows(out.resolve("validation.jsonl")));
    }

    @Test
    void missingSplitsAndUnknownLanguagesAreRefused(@TempDir Path dir) throws IOException {
        Path ja = Files.createDirectories(dir.resolve("ja"));
        Files.copy(SAMPLE.resolve("test.parquet"), ja.resolve("test-00000-of-00001.parquet"));
        Path out = dir.resolve("out");
        TnCli.Result r = data("--from", dir.toString(), "--lang", "ja", "--out", out.toString());
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no MMLU-ProX validation split of 'ja' in " + dir), r.err());
        assertFalse(Files.exists(out), "nothing is written when a split is missing");

        r = data("--from", dir.toString(), "--lang", "jp", "--out", out.toString());
        assertEquals(Tn.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("'jp' is not one of MMLU-ProX's languages; did you mean 'ja'?"), r.err());

        Files.copy(SAMPLE.resolve("validation.parquet"), ja.resolve("validation-00000-of-00001.parquet"));
        Files.writeString(ja.resolve("test-00000-of-00001.parquet"), "not parquet");
        r = data("--from", dir.toString(), "--lang", "ja", "--out", out.toString());
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(ja.resolve("test-00000-of-00001.parquet") + ": not a parquet file"), r.err());
        assertFalse(Files.exists(out));
    }

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message mmlu_prox { "
            + "required int64 question_id; required binary question (UTF8); "
            + "optional binary option_0 (UTF8); optional binary option_1 (UTF8); optional binary option_2 (UTF8); "
            + "optional binary option_3 (UTF8); optional binary option_4 (UTF8); optional binary option_5 (UTF8); "
            + "optional binary option_6 (UTF8); optional binary option_7 (UTF8); optional binary option_8 (UTF8); "
            + "optional binary option_9 (UTF8); required binary answer (UTF8); optional int64 answer_index; "
            + "optional binary cot_content (UTF8); required binary category (UTF8); }");

    static void writeParquet(List<MmluProxFile.Row> rows, Path file) throws IOException {
        try (ParquetWriter<MmluProxFile.Row> w = ParquetWriter.writeFile(SCHEMA, file.toFile(), (r, v) -> {
            v.write("question_id", Long.parseLong(r.questionId()));
            v.write("question", r.question());
            for (int i = 0; i < MmluProxFile.OPTIONS; i++) {
                if (r.options().get(i) != null) v.write("option_" + i, r.options().get(i));
            }
            v.write("answer", r.answer());
            if (r.answerIndex() != null) v.write("answer_index", (long) r.answerIndex());
            if (r.cotContent() != null) v.write("cot_content", r.cotContent());
            v.write("category", r.category());
        })) {
            for (MmluProxFile.Row r : rows) w.write(r);
        }
    }
}
