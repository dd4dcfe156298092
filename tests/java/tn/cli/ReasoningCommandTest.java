package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestRankings;
import tn.TestModels;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopStrings;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.reasoning.MmluProxLanguage;
import tn.reasoning.MmluProxScoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn reasoning end to end on the made-up MMLU-ProX rows (tests/data/reasoning), in the release's
 * parquet format: its prompts are the harness's byte for byte, each generation is what its
 * prompt generates alone with the task's stop strings and scores as the library scores it,
 * --parallel changes nothing, and --rescore recomputes the same accuracies from the texts alone.
 */
class ReasoningCommandTest {
    static final Path DATA = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning");
    static final List<Neuron> OFF = List.of(new Neuron(0, 3), new Neuron(1, 17), new Neuron(2, 5), new Neuron(3, 90));
    static final int MAX_NEW = 12;

    @TempDir
    static Path dir;
    static Path ranking;

    @BeforeAll
    static void write() throws IOException {
        ranking = TestRankings.write(dir.resolve("ranking.tsv"), OFF);
    }

    static TnCli.Result reasoning(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("reasoning", "--model", RunCommandsTest.model(), "--test",
                DATA.resolve("sample/test.parquet").toString(), "--fewshot",
                DATA.resolve("sample/validation.parquet").toString(), "--lang", "ja", "--limit", "1",
                "--max-new-tokens", String.valueOf(MAX_NEW), "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(more));
        return RunCommandsTest.tn(args.toArray(String[] ::new));
    }

    static List<JsonObject> jsonl(Path file) throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8))
            lines.add(JsonParser.parseString(l).getAsJsonObject());
        return lines;
    }

    @Test
    void promptsAreTheHarnessesAndGenerationsWhatEachPromptGivesAlone() throws IOException {
        Path out = dir.resolve("off");
        TnCli.Result r = reasoning(out, "--parallel", "3", "--deactivate", ranking.toString(), "--top-n", "4");
        assertEquals(0, r.code(), r.err());
        List<JsonObject> prompts = jsonl(out.resolve("prompts.jsonl"));
        List<JsonObject> generations = jsonl(out.resolve("generations.jsonl"));
        assertEquals(3, prompts.size(), "the first question of each of the three subjects");
        // the harness's prompts for ja, the first of each subject
        List<JsonObject> expected = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DATA.resolve("expected/prompts.jsonl.gz")))) {
            String last = "";
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                JsonObject o = JsonParser.parseString(l).getAsJsonObject();
                if (o.get("lang").getAsString().equals("ja") && !o.get("subject").getAsString().equals(last))
                    expected.add(o);
                if (o.get("lang").getAsString().equals("ja")) last = o.get("subject").getAsString();
            }
        }
        MmluProxLanguage ja = MmluProxLanguage.of("ja");
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                BatchedGenerator alone =
                        new BatchedGenerator(model, 1, Math.min(4096 + MAX_NEW, model.info().nCtxTrain()), 1, true)) {
            for (int k = 0; k < 3; k++) {
                JsonObject p = prompts.get(k), e = expected.get(k), g = generations.get(k);
                assertEquals(e.get("question_id").getAsLong(), p.get("question_id").getAsLong());
                assertEquals(e.get("subject").getAsString(), p.get("subject").getAsString());
                assertEquals(
                        e.get("prompt").getAsString(), p.get("prompt").getAsString(), "prompt " + k + " byte for byte");
                assertEquals(p.get("question_id").getAsLong(), g.get("question_id").getAsLong());
                Generation mine = alone.generateAll(List.of(new Request(model.tokenize(p.get("prompt").getAsString()),
                                                            MAX_NEW, new StopStrings(model, ja.until()),
                                                            Deactivation.zero(OFF, Positions.ALL_TOKENS))))
                                          .get(0);
                String text = MmluProxScoring.cut(model.detokenize(mine.tokens(), true), ja.until());
                assertEquals(text, g.get("generation").getAsString(), "generation " + k);
                assertEquals(mine.reason().id, g.get("stop_reason").getAsString());
                String extracted = MmluProxScoring.extract(ja.answerPattern(), text);
                assertEquals(extracted, g.get("extracted").getAsString());
                assertEquals(MmluProxScoring.correct(extracted, g.get("gold").getAsString()),
                        g.get("correct").getAsBoolean());
            }
        }
        List<String> tsv = Files.readAllLines(out.resolve("accuracy.tsv"));
        assertEquals("subject\tn\tcorrect\taccuracy", tsv.get(0));
        assertEquals(List.of("biology", "computer_science", "law", "total"),
                tsv.subList(1, 5).stream().map(l -> l.split("\t")[0]).toList());
        assertEquals("3", tsv.get(4).split("\t")[1]);
        assertEquals(4, Files.readAllLines(out.resolve("deactivated.tsv")).size() - 1);
    }

    @Test
    void parallelChangesNothingAndRescoringAgrees() throws IOException {
        List<String> runs = new ArrayList<>();
        for (String p : List.of("1", "2")) {
            Path out = dir.resolve("parallel-" + p);
            TnCli.Result r = reasoning(out, "--parallel", p, "--deactivate", ranking.toString(), "--top-n", "4",
                    "--subjects", "law,biology");
            assertEquals(0, r.code(), r.err());
            runs.add(Files.readString(out.resolve("generations.jsonl")));
        }
        assertEquals(runs.get(0), runs.get(1));
        Path out = dir.resolve("parallel-1");
        String tsv = Files.readString(out.resolve("accuracy.tsv"));
        Files.delete(out.resolve("accuracy.tsv"));
        assertEquals(0, RunCommandsTest.tn("reasoning", "--rescore", out.toString()).code());
        assertEquals(tsv, Files.readString(out.resolve("accuracy.tsv")));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("accuracy.json"))).getAsJsonObject();
        assertEquals("ja", json.get("lang").getAsString());
        assertTrue(json.has("rescored_from"));
    }

    /** tn report compares plain, deactivated and baseline runs given together in one plot and table. */
    @Test
    void theReportComparesPlainDeactivatedAndBaseline() throws IOException {
        List<String> dirs = new ArrayList<>();
        for (String kind : List.of("plain", "top", "baseline")) {
            Path out = dir.resolve("report-" + kind);
            List<String> more = new ArrayList<>(List.of("--subjects", "law", "--parallel", "2"));
            if (!kind.equals("plain")) more.addAll(List.of("--deactivate", ranking.toString(), "--top-n", "2"));
            if (kind.equals("baseline")) more.add("--baseline");
            assertEquals(0, reasoning(out, more.toArray(String[] ::new)).code());
            assertTrue(Files.size(out.resolve("accuracy.png")) > 0);
            dirs.add(out.toString());
        }
        Path page = dir.resolve("report.html");
        List<String> args = new ArrayList<>(List.of("report", "--out", page.toString()));
        args.addAll(dirs);
        assertEquals(0, Tn.commandLine().execute(args.toArray(String[] ::new)));
        String html = Files.readString(page);
        int section = html.indexOf("<section id=\"reasoning\"");
        assertTrue(section > 0, "no reasoning section");
        String part = html.substring(section, html.indexOf("</section>", section));
        assertTrue(part.contains("data:image/png;base64,"), part);
        for (String condition : List.of("all neurons", "transfer neurons off", "random neurons off"))
            assertTrue(part.contains(condition + "</td>"), "a row per run, named by its condition: " + part);
        assertTrue(html.contains("href=\"#reasoning\""));
    }

    /**
     * No flags: the paper's protocol on a model trained for 2560 tokens, which leaves the task's 2048 new tokens
     * a prompt budget of 512: every question is answered from its last 512 prompt tokens, and the run says so.
     */
    @Test
    void theHarnessesBudgetByDefault() throws IOException {
        Path model = TestModels.withContextLength(dir, 512 + 2048), out = dir.resolve("budget");
        TnCli.Result r = RunCommandsTest.tn("reasoning", "--model", model.toString(), "--test",
                DATA.resolve("sample/test.parquet").toString(), "--fewshot",
                DATA.resolve("sample/validation.parquet").toString(), "--lang", "ja", "--limit", "1", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<JsonObject> prompts = jsonl(out.resolve("prompts.jsonl"));
        assertEquals(3, prompts.size());
        try (Model m = Model.open(model)) {
            for (JsonObject p : prompts) {
                int tokens = m.tokenize(p.get("prompt").getAsString()).length;
                assertEquals(tokens, p.get("prompt_tokens").getAsInt());
                assertEquals(Math.max(0, tokens - 512), p.get("truncated_tokens").getAsInt());
            }
        }
        long cut = prompts.stream().filter(p -> p.get("truncated_tokens").getAsInt() > 0).count();
        assertTrue(cut > 0);
        JsonObject accuracy = JsonParser.parseString(Files.readString(out.resolve("accuracy.json"))).getAsJsonObject();
        assertEquals(3, accuracy.getAsJsonObject("total").get("n").getAsInt());
        assertEquals(cut, accuracy.get("truncated").getAsLong());
        JsonObject params = JsonParser.parseString(Files.readString(out.resolve("run.json")))
                                    .getAsJsonObject()
                                    .getAsJsonObject("parameters");
        assertEquals(2560, params.get("ctx").getAsInt(), "the trained context");
        assertEquals(2048, params.get("max_new_tokens").getAsInt());
        assertEquals(512, params.get("prompt_budget").getAsInt());
        assertTrue(r.err().contains(cut + " of 3 prompts are longer than the budget of 512 tokens"), r.err());
    }

    @Test
    void badInputGivesExitCodes() throws IOException {
        assertEquals(2, reasoning(dir.resolve("x1"), "--subjects", "astrology").code());
        assertEquals(2,
                RunCommandsTest
                        .tn("reasoning", "--model", RunCommandsTest.model(), "--test", "a", "--fewshot", "b", "--lang",
                                "nl", "--out", dir.resolve("x2").toString())
                        .code());
        Path noFewshot = Files.writeString(dir.resolve("few.jsonl"),
                Files.readAllLines(DATA.resolve("sample/validation.jsonl"))
                        .subList(0, 3)
                        .stream()
                        .reduce("", (a, b) -> a + b + "\n"));
        TnCli.Result r = RunCommandsTest.tn("reasoning", "--model", RunCommandsTest.model(), "--test",
                DATA.resolve("sample/test.jsonl").toString(), "--fewshot", noFewshot.toString(), "--lang", "ja",
                "--out", dir.resolve("x3").toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("few.jsonl") && r.err().contains("worked examples"), r.err());
        assertEquals(3, RunCommandsTest.tn("reasoning", "--rescore", dir.resolve("nothing-here").toString()).code());
        Files.createDirectories(dir.resolve("no-run-json"));
        Files.writeString(dir.resolve("no-run-json/generations.jsonl"), "{}\n");
        assertEquals(2, RunCommandsTest.tn("reasoning", "--rescore", dir.resolve("no-run-json").toString()).code());
    }
}
