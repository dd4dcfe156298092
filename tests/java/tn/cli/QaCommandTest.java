package tn.cli;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import net.razorvine.pickle.Pickler;
import tn.TestRankings;
import tn.TestModels;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopRule;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.qa.MkqaF1;
import tn.qa.Prediction;
import tn.qa.PromptTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn qa on a synthetic model: every answer is the greedy generation of the templated question
 * (with the ranking's neurons off at the prompt), scored by MKQA's F1; gold answers equal to the
 * predictions score 1; bad input gives the right exit codes.
 */
class QaCommandTest {
    static final int MAX_NEW = 6;
    static final String TEMPLATE = "Q: {question}\\nA:";
    static final String[][] QUESTIONS = {
            {"ja", "日本の首都はどこですか？", "東京"},
            {"en", "What is the capital of Japan?", "Tokyo"},
            {"ja", "富士山の高さは？", "3776メートル"},
            {"ja", "猫は何を飲みますか？", "牛乳"},
    };
    static final List<Neuron> OFF =
            List.of(new Neuron(0, 1), new Neuron(0, 50), new Neuron(1, 7), new Neuron(2, 33), new Neuron(3, 80));

    @TempDir
    static Path dir;
    static Path questions;
    static Path ranking;

    @BeforeAll
    static void files() throws IOException {
        questions = dir.resolve("questions.jsonl");
        StringBuilder b = new StringBuilder();
        for (String[] q : QUESTIONS) {
            b.append(String.format(
                    "{\"question\": \"%s\", \"answers\": [\"%s\"], \"lang\": \"%s\"}\n", q[1], q[2], q[0]));
        }
        Files.writeString(questions, b.toString());
        ranking = TestRankings.write(dir.resolve("ranking.tsv"), OFF);
    }

    /** tn qa in tn's protocol, with TEMPLATE and MAX_NEW (the paper's protocol is tested on its own below). */
    static TnCli.Result qa(Path out, Path questionsFile, String... more) {
        List<String> args = new ArrayList<>(List.of("qa", "--model", RunCommandsTest.model(), "--questions",
                questionsFile.toString(), "--lang", "ja", "--protocol", "tn", "--max-new-tokens",
                String.valueOf(MAX_NEW), "--template", TEMPLATE, "--out", out.toString()));
        args.addAll(List.of(more));
        return RunCommandsTest.tn(args.toArray(String[] ::new));
    }

    /** answers.tsv's rows, header dropped, split into cells. */
    static List<String[]> rows(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("answers.tsv"), StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("line\tquestion\tgold_answers\tprediction\tf1"), lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split("\t", -1)).toList();
    }

    @Test
    void answersAreGreedyGenerationsScoredByMkqaF1() throws IOException {
        for (boolean off : new boolean[] {false, true}) {
            Path out = dir.resolve(off ? "off" : "plain");
            TnCli.Result r =
                    off ? qa(out, questions, "--deactivate", ranking.toString(), "--top-n", "5") : qa(out, questions);
            assertEquals(0, r.code(), r.err());
            List<String[]> rows = rows(out);
            assertEquals(3, rows.size(), "the three ja questions");
            // the run generates 8 at a time; each answer is what the question generates alone
            try (Model model = Model.open(TestModels.file(TestModels.SPM));
                    BatchedGenerator generator = new BatchedGenerator(model, 1, 512, 0, true)) {
                PromptTemplate template = PromptTemplate.parse(TEMPLATE);
                double sum = 0;
                int row = 0;
                for (String[] q : QUESTIONS) {
                    if (!q[0].equals("ja")) continue;
                    String[] cells = rows.get(row++);
                    Generation g =
                            generator
                                    .generateAll(List.of(new Request(model.tokenize(template.apply(q[1])), MAX_NEW,
                                            StopRule.NONE,
                                            off ? Deactivation.zero(OFF, Positions.ALL_TOKENS) : Deactivation.none())))
                                    .get(0);
                    String generated = model.detokenize(g.tokens(), true);
                    assertEquals(q[1], cells[1]);
                    assertEquals(Prediction.of(generated),
                            cells[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"));
                    double f1 = MkqaF1.score(Prediction.of(generated), List.of(q[2]), "ja");
                    assertEquals(f1, Double.parseDouble(cells[4]), 1e-6);
                    assertEquals(String.valueOf(g.tokens().length), cells[8]);
                    sum += f1;
                }
                assertEquals(sum / 3, summary(out, "mean_f1"), 1e-9);
                assertEquals(off ? 5 : 0, Files.readAllLines(out.resolve("deactivated.tsv")).size() - 1);
            }
        }
        assertFalse(Arrays.equals(column(dir.resolve("plain"), 6), column(dir.resolve("off"), 6))
                        && Arrays.equals(column(dir.resolve("plain"), 9), column(dir.resolve("off"), 9)),
                "five neurons off at the prompt changed no generation and no margin");
    }

    /** One question at a time or several together: the same answers.tsv, margins included, with neurons off. */
    @Test
    void parallelDoesNotChangeTheAnswers() throws IOException {
        List<String> tables = new ArrayList<>();
        for (String p : List.of("1", "2")) {
            Path out = dir.resolve("parallel-" + p);
            TnCli.Result r = qa(out, questions, "--parallel", p, "--deactivate", ranking.toString(), "--top-n", "5");
            assertEquals(0, r.code(), r.err());
            tables.add(Files.readString(out.resolve("answers.tsv")));
        }
        assertEquals(tables.get(0), tables.get(1));
        assertEquals(2, qa(dir.resolve("parallel-0"), questions, "--parallel", "0").code());
    }

    @Test
    void goldAnswersEqualToThePredictionsScoreOne() throws IOException {
        Path first = dir.resolve("first");
        assertEquals(0, qa(first, questions).code());
        List<String[]> rows = rows(first);
        Path echo = dir.resolve("echo.jsonl");
        StringBuilder b = new StringBuilder();
        int row = 0;
        for (String[] q : QUESTIONS) {
            if (!q[0].equals("ja")) continue;
            String prediction = rows.get(row++)[3];
            // a gold answer that differs only in case, punctuation and spacing: MKQA's normalisation equates them
            b.append("{\"question\": \"")
                    .append(q[1])
                    .append("\", \"answers\": [\"nothing\", ")
                    .append(new Gson().toJson("  " + prediction.toUpperCase(Locale.ROOT) + " !"))
                    .append("], \"lang\": \"ja\"}\n");
        }
        Files.writeString(echo, b.toString());
        Path second = dir.resolve("second");
        assertEquals(0, qa(second, echo).code());
        assertEquals(1.0, summary(second, "mean_f1"), 1e-12);
        assertEquals(1.0, summary(second, "exact_match"), 1e-12);
    }

    /** MKQA's release as it is: every language on each line, answers with aliases, unanswerable ones. */
    @Test
    void mkqaReleaseIsReadAsItIs() throws IOException {
        Path mkqa = dir.resolve("mkqa.jsonl.gz");
        String lines =
                "{\"example_id\": 1, \"query\": \"capital of japan\", \"queries\": {\"en\": \"capital of japan\", "
                + "\"ja\": \"日本の首都\"}, \"answers\": {\"en\": [{\"type\": \"entity\", \"text\": \"Tokyo\", \"aliases\": "
                + "[\"Tōkyō\"]}], \"ja\": [{\"type\": \"entity\", \"text\": \"東京\", \"aliases\": [\"東京都\", \"とうきょう\"]}]}}\n"
                + "{\"example_id\": 2, \"query\": \"who\", \"queries\": {\"en\": \"who\", \"ja\": \"誰\"}, \"answers\": "
                + "{\"en\": [{\"type\": \"unanswerable\", \"text\": null}], \"ja\": [{\"type\": \"unanswerable\", \"text\": null}]}}\n";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(mkqa))) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        // as the original, a question whose English answer is unanswerable (or long_answer) is left out by default
        Path left = dir.resolve("mkqa-left-out");
        TnCli.Result r = qa(left, mkqa);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, rows(left).size());
        assertEquals(1.0, summary(left, "left_out_long_answer_or_unanswerable"));
        Path out = dir.resolve("mkqa");
        r = qa(out, mkqa, "--keep-unanswerable");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = rows(out);
        assertEquals(2, rows.size());
        assertEquals("日本の首都", rows.get(0)[1]);
        assertEquals("[\"東京\",\"東京都\",\"とうきょう\"]", rows.get(0)[2]);
        assertEquals("誰", rows.get(1)[1]);
        assertEquals("[]", rows.get(1)[2], "no gold text");
        // the unanswerable question scores 1 only for an empty prediction
        assertEquals(rows.get(1)[3].isBlank() ? 1.0 : 0.0, Double.parseDouble(rows.get(1)[4]), 1e-12);
        List<String> args = List.of("qa", "--model", RunCommandsTest.model(), "--questions", mkqa.toString(), "--lang",
                "xx", "--protocol", "tn", "--out", dir.resolve("mkqa-xx").toString());
        r = RunCommandsTest.tn(args.toArray(String[] ::new));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("line 1") && r.err().contains("'xx'"), r.err());
    }

    /**
     * The original's setting: its prompt for ja ("{q}? 答え: "), the whole continuation scored, the neurons (its
     * pickled list) off at the prompt's last position only; every answer against the generator run directly so.
     */
    @Test
    void theOriginalsPromptAnswerAndPromptLastMode() throws IOException {
        List<Object[]> tuples = OFF.stream().map(n -> new Object[] {n.layer(), n.index()}).toList();
        Path pickle = dir.resolve("ja_type1_top5.pkl");
        Files.write(pickle, new Pickler().dumps(tuples));
        Path out = dir.resolve("seed-style");
        List<String> args = new ArrayList<>(List.of("qa", "--model", RunCommandsTest.model(), "--questions",
                questions.toString(), "--lang", "ja", "--max-new-tokens", String.valueOf(MAX_NEW), "--prompt", "seed", // old name
                "--answer", "all", "--deactivation-type", "prompt_last", "--deactivate", pickle.toString(), "--top-n",
                "5", "--out", out.toString()));
        TnCli.Result r = RunCommandsTest.tn(args.toArray(String[] ::new));
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = rows(out);
        assertEquals(3, rows.size());
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                BatchedGenerator generator = new BatchedGenerator(model, 1, 512, 1, true)) {
            int row = 0;
            for (String[] q : QUESTIONS) {
                if (!q[0].equals("ja")) continue;
                String[] cells = rows.get(row++);
                int[] prompt = model.tokenize(q[1] + "? 答え: ");
                Generation g = generator
                                       .generateAll(List.of(new Request(prompt, MAX_NEW, StopRule.NONE,
                                               Deactivation.zero(OFF, Positions.LAST_TOKEN))))
                                       .get(0);
                String generated = model.detokenize(g.tokens(), true);
                assertEquals(generated, cells[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"),
                        "the whole continuation");
                assertEquals(MkqaF1.score(generated, List.of(q[2]), "ja"), Double.parseDouble(cells[4]), 1e-6);
            }
        }
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("? 答え: ") && runJson.contains("the prompt's last position")
                        && runJson.contains("the whole continuation"),
                runJson);
        for (String[] c : new String[][] {{"--prompt", "original", "--lang", "de", "prompts for en, it, ja, ko, nl only"},
                     {"--lang", "de", "give --template"}, {"--protocol", "book", "expected paper or tn"},
                     {"--prompt", "paper", "--template", "{question}", "give one of them"},
                     {"--deactivation-type", "prompt_first", "expected prompt or prompt_last"},
                     {"--answer", "last-line", "expected first-line or all"}}) {
            List<String> bad = new ArrayList<>(List.of("qa", "--model", RunCommandsTest.model(), "--questions",
                    questions.toString(), "--out", dir.resolve("bad-seed").toString()));
            bad.addAll(List.of(c).subList(0, c.length - 1));
            if (!bad.contains("--lang")) bad.addAll(List.of("--lang", "ja"));
            r = RunCommandsTest.tn(bad.toArray(String[] ::new));
            assertEquals(Tn.EXIT_USAGE, r.code(), r.err());
            assertTrue(r.err().contains(c[c.length - 1]), r.err());
        }
    }

    /**
     * No protocol flags: the paper's. On MKQA's release (gzipped, as it ships): the original's prompt,
     * byte for byte in prompts.jsonl with its tokens counted, the long_answer and unanswerable questions
     * left out, 10 new tokens, and the whole continuation scored, each against the generator run alone.
     */
    @Test
    void thePapersProtocolByDefault() throws IOException {
        Path mkqa = dir.resolve("release-sample.jsonl.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(mkqa))) {
            o.write(Files.readAllBytes(
                    Path.of(System.getProperty("tn.repo", "."), "tests", "data", "mkqa", "release-sample.jsonl")));
        }
        Path out = dir.resolve("paper");
        TnCli.Result r = RunCommandsTest.tn("qa", "--model", RunCommandsTest.model(), "--questions", mkqa.toString(),
                "--lang", "ja", "--parallel", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> expected = List.of("日本の首都はどこ? 答え: ", "富士山の高さは何メートル? 答え: ", "東京は大阪より大きいですか? 答え: ");
        List<String> gold = List.of("[\"東京\",\"東京都\"]", "[\"3776.0 メートル\",\"3776メートル\"]", "[\"はい\"]");
        List<String> prompts = Files.readAllLines(out.resolve("prompts.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, prompts.size());
        List<String[]> rows = rows(out);
        assertEquals(3, rows.size());
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                BatchedGenerator generator = new BatchedGenerator(model, 1, 512, 1, true)) {
            long[] ids = {101, 104, 105};
            int[] index = {0, 3, 4};
            for (int k = 0; k < 3; k++) {
                com.google.gson.JsonObject p = JsonParser.parseString(prompts.get(k)).getAsJsonObject();
                assertEquals(ids[k], p.get("question_id").getAsLong());
                assertEquals(index[k], p.get("index").getAsInt());
                assertArrayEquals(expected.get(k).getBytes(StandardCharsets.UTF_8),
                        p.get("prompt").getAsString().getBytes(StandardCharsets.UTF_8), "prompt " + k);
                int[] tokens = model.tokenize(expected.get(k));
                assertEquals(tokens.length, p.get("prompt_tokens").getAsInt());
                Request alone = new Request(tokens, 10, StopRule.NONE, Deactivation.none());
                Generation g = generator.generateAll(List.of(alone)).get(0);
                String whole = model.detokenize(g.tokens(), true);
                String[] cells = rows.get(k);
                assertEquals(gold.get(k), cells[2]);
                assertEquals(whole, cells[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"),
                        "the whole continuation is the prediction");
                assertEquals(String.valueOf(g.tokens().length), cells[8]);
                assertTrue(g.tokens().length == 10 || cells[7].equals("end_of_generation"), "10 new tokens");
                assertEquals(MkqaF1.score(whole, new Gson().fromJson(cells[2], List.class), "ja"),
                        Double.parseDouble(cells[4]), 1e-6);
            }
        }
        assertEquals(3.0, summary(out, "left_out_long_answer_or_unanswerable"));
        com.google.gson.JsonObject params =
                JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject().getAsJsonObject(
                        "parameters");
        assertEquals("paper", params.get("protocol").getAsString());
        assertEquals(10, params.get("max_new_tokens").getAsInt());
        assertEquals("{question}? 答え: ", params.get("template").getAsString());
        assertEquals("the whole continuation", params.get("answer").getAsString());

        // --protocol tn: tn's template, 20 new tokens, the first line
        Path tn = dir.resolve("tn-protocol");
        r = RunCommandsTest.tn("qa", "--model", RunCommandsTest.model(), "--questions", mkqa.toString(), "--lang", "ja",
                "--protocol", "tn", "--out", tn.toString());
        assertEquals(0, r.code(), r.err());
        params = JsonParser.parseString(Files.readString(tn.resolve("run.json"))).getAsJsonObject().getAsJsonObject(
                "parameters");
        assertEquals(20, params.get("max_new_tokens").getAsInt());
        assertEquals(PromptTemplate.parse(PromptTemplate.DEFAULT).text(), params.get("template").getAsString());
        assertEquals("the first non-empty line generated", params.get("answer").getAsString());
        for (String[] cells : rows(tn)) {
            String generated = cells[6].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
            assertEquals(Prediction.of(generated),
                    cells[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"));
        }
    }

    /** tn qa-compare ARGS: exit code, stdout, stderr (it has no --quiet, so not through RunCommandsTest.tn). */
    record Printed(int code, String out, String err) {}

    static Printed qaCompare(String... args) {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        picocli.CommandLine cl = Tn.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("qa-compare"));
        all.addAll(List.of(args));
        return new Printed(cl.execute(all.toArray(String[] ::new)), out.toString(), err.toString());
    }

    /** tn qa-compare on three of these runs: the table and files against the answers.tsv files read directly. */
    @Test
    void threeRunsCompared() throws IOException {
        Path plain = dir.resolve("cmp-plain"), off = dir.resolve("cmp-off"), base = dir.resolve("cmp-base");
        assertEquals(0, qa(plain, questions).code());
        assertEquals(0, qa(off, questions, "--deactivate", ranking.toString(), "--top-n", "5").code());
        assertEquals(0, qa(base, questions, "--deactivate", ranking.toString(), "--top-n", "5", "--baseline").code());
        Path out = dir.resolve("cmp");
        Printed r = qaCompare(plain.toString(), off.toString(), base.resolve("answers.tsv").toString(), "--thresholds",
                "0,1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> tsv = Files.readAllLines(out.resolve("qa_compare.tsv"));
        assertEquals("threshold\tquestions\tmean_f1_plain\tmean_f1_deactivated\tmean_f1_baseline", tsv.get(0));
        // threshold 0 keeps every question: the means are the runs' own mean F1
        String[] all = tsv.get(1).split("\t");
        assertEquals("0", all[0]);
        assertEquals("3", all[1]);
        assertEquals(summary(plain, "mean_f1"), Double.parseDouble(all[2]), 1e-6);
        assertEquals(summary(off, "mean_f1"), Double.parseDouble(all[3]), 1e-6);
        assertEquals(summary(base, "mean_f1"), Double.parseDouble(all[4]), 1e-6);
        assertTrue(r.out().contains("F1 >=") && r.out().contains("wrote"), r.out());
        for (String png : List.of("scatter-0.png", "scatter-1.png"))
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve("scatter-0.png").toFile());
        assertEquals(800, img.getWidth());
        assertTrue(CompareCommandTest.distinctColours(img) > 5, "looks blank");

        r = qaCompare("tests/data/pkl/qa_normal_ja.pkl", "tests/data/pkl/qa_type1_ja.pkl",
                "tests/data/pkl/qa_baseline_ja.pkl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0.8                2    0.9000        0.1250    0.9000"), r.out());
        assertTrue(r.out().contains("0.5                4    0.7417        0.2875    0.7167"), r.out());
        r = qaCompare(plain.toString(), "tests/data/pkl/qa_type1_ja.pkl", base.toString(), "--thresholds", "0");
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("qa_type1_ja.pkl has no score for question"), r.err());
    }

    @Test
    void badInputGivesExitCodes() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(
                bad, "{\"question\": \"a?\", \"answers\": [\"b\"], \"lang\": \"ja\"}\n{\"question\": \"c?\"}\n");
        TnCli.Result r = qa(dir.resolve("o1"), bad);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("bad.jsonl line 2") && r.err().contains("answers"), r.err());

        Files.writeString(bad, "{\"question\": \"a?\", \"answers\": [\"b\"], \"lang\": \"ja\"}\nnot json\n");
        r = qa(dir.resolve("o2"), bad);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("bad.jsonl line 2"), r.err());

        Files.writeString(bad, "{\"question\": \"a?\", \"answers\": [\"b\"], \"lang\": \"ko\"}\n");
        r = qa(dir.resolve("o3"), bad);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("no questions in language 'ja'") && r.err().contains("ko=1"), r.err());

        r = qa(dir.resolve("o4"), questions, "--template", "no placeholder");
        assertEquals(2, r.code(), r.err());
        r = qa(dir.resolve("o5"), questions, "--max-new-tokens", "600");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(dir.resolve("o5").resolve("answers.tsv")));
    }

    private static double summary(Path out, String field) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("qa.json")))
                .getAsJsonObject()
                .get(field)
                .getAsDouble();
    }

    private static String[] column(Path out, int c) throws IOException {
        return rows(out).stream().map(cells -> cells[c]).toArray(String[] ::new);
    }
}
