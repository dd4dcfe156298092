package tn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.TestRankings;
import tn.llama.Neuron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.cli.RunCommandsTest.model;
import static tn.cli.RunCommandsTest.tn;

/**
 * --baseline-seeds R: each seed's folder is the single run with that --seed, number for number;
 * the aggregate's means and 95% intervals are those computed here from the seeds' files (Student t
 * quantiles in closed form); a rerun keeps the seeds that finished; combinations that cannot work
 * are usage errors.
 */
class BaselineSeedsTest {
    /** t_{0.975} with 2 degrees of freedom (3 seeds), from F(t) = 1/2 + t / (2 sqrt(2 + t^2)). */
    static final double T2 = Math.sqrt(2 * 0.95 * 0.95 / (1 - 0.95 * 0.95));
    /** With 1 (2 seeds): the Cauchy quantile. */
    static final double T1 = Math.tan(Math.PI * 0.475);
    @TempDir
    static Path dir;
    static Path ranking;
    static String PAIRS;

    @BeforeAll
    static void files() throws IOException {
        Path pairs = Files.createDirectories(dir.resolve("pairs")).resolve("en-ja.tsv"); // the demo's first 16 pairs
        Files.write(pairs, Files.readAllLines(Path.of("data/demo/en-ja.tsv")).subList(0, 16));
        PAIRS = pairs.toString();
        ranking = TestRankings.write(dir.resolve("ranking.tsv"),
                List.of(new Neuron(0, 5), new Neuron(1, 7), new Neuron(2, 9), new Neuron(1, 2)));
    }

    static List<String> similarity(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("similarity", "--model", model(), "--pairs", PAIRS, "--deactivate",
                ranking.toString(), "--top-n", "3", "--baseline", "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    static TnCli.Result run(List<String> args) {
        return tn(args.toArray(String[] ::new));
    }

    @Test
    void similarityOfThreeSeedsIsThreeSingleRunsAndTheirMeanWithItsInterval() throws IOException {
        Path out = dir.resolve("sim");
        run(similarity(out, "--seed", "5", "--baseline-seeds", "3")).expect(0);
        List<List<String[]>> seeds = new ArrayList<>();
        for (long s = 5; s <= 7; s++) {
            Path single = dir.resolve("sim-single-" + s);
            run(similarity(single, "--seed", String.valueOf(s))).expect(0);
            Path seedDir = out.resolve("seeds").resolve(String.valueOf(s));
            for (String f : List.of("similarity.csv", "deactivated.tsv")) {
                assertEquals(Files.readString(single.resolve(f)), Files.readString(seedDir.resolve(f)), f + " of " + s);
            }
            JsonObject seedRun = json(seedDir.resolve("run.json"));
            assertEquals(json(single.resolve("run.json")).get("parameters"), seedRun.get("parameters"));
            List<String> line = texts(seedRun.getAsJsonObject("run").getAsJsonArray("command_line"));
            assertFalse(line.contains("--baseline-seeds"), "the seed's command line runs it alone: " + line);
            assertEquals(List.of("--seed", String.valueOf(s), "--out", seedDir.toString()),
                    line.subList(line.size() - 4, line.size()));
            seeds.add(csv(seedDir.resolve("similarity.csv"), ","));
        }
        assertNotEquals(seeds.get(0).get(1)[2], seeds.get(1).get(1)[2], "the seeds' baselines differ");

        List<String[]> mean = csv(out.resolve("similarity.csv"), ",");
        List<String> header = List.of(seeds.get(0).get(0));
        List<String> expectedHeader = new ArrayList<>(header);
        expectedHeader.addAll(List.of("parallel_mean_ci_low", "parallel_mean_ci_high", "nonparallel_mean_ci_low",
                "nonparallel_mean_ci_high"));
        assertEquals(expectedHeader, List.of(mean.get(0)));
        assertEquals(seeds.get(0).size(), mean.size());
        for (int row = 1; row < mean.size(); row++) {
            String[] cells = mean.get(row);
            assertEquals(seeds.get(0).get(row)[0], cells[0]); // layer
            assertEquals(seeds.get(0).get(row)[1], cells[1]); // kind
            for (int c = 2; c < header.size(); c++) {
                assertEquals(average(seeds, row, c), Double.parseDouble(cells[c]), 1e-12, header.get(c));
            }
            for (String x : List.of("parallel_mean", "nonparallel_mean")) {
                double[] ci = interval(seeds, row, header.indexOf(x), T2);
                assertEquals(ci[0], Double.parseDouble(cells[expectedHeader.indexOf(x + "_ci_low")]), 1e-12);
                assertEquals(ci[1], Double.parseDouble(cells[expectedHeader.indexOf(x + "_ci_high")]), 1e-12);
                assertTrue(ci[1] > ci[0], "the seeds differ, so the interval has a width");
            }
        }
        JsonObject whole = json(out.resolve("run.json"));
        assertEquals("similarity", whole.get("command").getAsString());
        JsonObject params = whole.getAsJsonObject("parameters");
        assertEquals(List.of("5", "6", "7"), texts(params.getAsJsonArray("baseline_seeds")));
        assertFalse(params.has("seed") || params.has("deactivated_neurons"), "each seed's own: " + params);
        String seed5 = json(out.resolve("seeds/5/run.json")).getAsJsonObject("parameters").get("deactivated")
                               .getAsString();
        assertEquals(seed5.replace(", seed 5", ", seeds 5..7"), params.get("deactivated").getAsString());
        assertEquals(List.of("similarity.csv", "hidden_similarity.png", "activation_similarity.png", "run.json"),
                texts(whole.getAsJsonArray("outputs")));
        for (String png : List.of("hidden_similarity.png", "activation_similarity.png"))
            assertTrue(Files.size(out.resolve(png)) > 1000, png);

        // a rerun keeps the seeds that finished and runs the rest
        List<String> args = similarity(out, "--seed", "5", "--baseline-seeds", "3");
        String[] before = seedRunJsons(out, 5, 3);
        String aggregate = Files.readString(out.resolve("similarity.csv"));
        run(args).expect(0);
        assertEquals(List.of(before), List.of(seedRunJsons(out, 5, 3)), "every seed kept as it was");
        assertEquals(List.of(false, false, false), ranThisProcess(out));

        String seed6 = Files.readString(out.resolve("seeds/6/similarity.csv"));
        delete(out.resolve("seeds/6"));
        run(args).expect(0);
        assertEquals(List.of(false, true, false), ranThisProcess(out));
        assertEquals(seed6, Files.readString(out.resolve("seeds/6/similarity.csv")));
        assertEquals(aggregate, Files.readString(out.resolve("similarity.csv")));

        Path seed7 = out.resolve("seeds/7/run.json"); // now the run of another batch size: not this one
        Files.writeString(seed7, Files.readString(seed7).replace("\"batch\": 32", "\"batch\": 31"));
        run(args).expect(0);
        assertEquals(List.of(false, false, true), ranThisProcess(out));
        assertEquals(before[0], seedRunJsons(out, 5, 3)[0]);
        assertTrue(Files.readString(seed7).contains("\"batch\": 32"));
    }

    @Test
    void qaOfThreeSeedsIsThreeSingleRunsAndTheirMeanWithItsInterval() throws IOException {
        // gold answers are the plain run's predictions, so that the baselines' answers score apart
        Path plain = dir.resolve("qa-plain");
        qa(plain, questions(List.of("a", "b", "c"))).expect(0);
        List<String> gold = QaCommandTest.rows(plain)
                                    .stream()
                                    .map(r -> r[3].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"))
                                    .toList();
        Path questions = questions(gold);

        Path out = dir.resolve("qa");
        qa(out, questions, "--baseline", "20", "--layers", "0:3", "--seed", "11", "--baseline-seeds", "3")
                .expect(0);
        double[][] figures = new double[2][3];
        for (int s = 11; s <= 13; s++) {
            Path single = dir.resolve("qa-single-" + s);
            qa(single, questions, "--baseline", "20", "--layers", "0:3", "--seed", String.valueOf(s))
                    .expect(0);
            Path seedDir = out.resolve("seeds").resolve(String.valueOf(s));
            for (String f : List.of("answers.tsv", "qa.json", "deactivated.tsv"))
                assertEquals(Files.readString(single.resolve(f)), Files.readString(seedDir.resolve(f)), f + " of " + s);
            JsonObject qa = json(seedDir.resolve("qa.json"));
            figures[0][s - 11] = qa.get("mean_f1").getAsDouble();
            figures[1][s - 11] = qa.get("exact_match").getAsDouble();
        }
        JsonObject qa = json(out.resolve("qa.json"));
        String[] names = {"mean_f1", "exact_match"};
        for (int f = 0; f < 2; f++) {
            double[] x = figures[f];
            double[] ci = interval(x, T2);
            assertEquals((x[0] + x[1] + x[2]) / 3, qa.get(names[f]).getAsDouble(), 1e-12, names[f]);
            assertEquals(ci[0], qa.get(names[f] + "_ci_low").getAsDouble(), 1e-12, names[f]);
            assertEquals(ci[1], qa.get(names[f] + "_ci_high").getAsDouble(), 1e-12, names[f]);
        }
        assertTrue(qa.get("mean_f1_ci_high").getAsDouble() > qa.get("mean_f1_ci_low").getAsDouble(),
                "the baselines' F1 differ: " + Arrays.toString(figures[0]));
        assertEquals(3, qa.get("questions").getAsInt());
        assertEquals(List.of("11", "12", "13"), texts(qa.getAsJsonArray("baseline_seeds")));
        assertTrue(qa.get("deactivated").getAsString().endsWith(", seeds 11..13"), qa.toString());
        JsonObject whole = json(out.resolve("run.json"));
        assertEquals("qa", whole.get("command").getAsString());
        assertEquals(List.of("qa.json", "run.json"), texts(whole.getAsJsonArray("outputs")));
    }

    @Test
    void mknnAndReasoningAggregateTheirScoresAndAccuracies() throws IOException {
        Path mknn = dir.resolve("mknn");
        run(List.of("mknn", "--model", model(), "--pairs", PAIRS, "--k", "3", "--baseline", "10", "--layers", "0:4",
                    "--baseline-seeds", "2", "--out", mknn.toString()))
                .expect(0);
        List<List<String[]>> seeds =
                List.of(csv(mknn.resolve("seeds/42/mknn.csv"), ","), csv(mknn.resolve("seeds/43/mknn.csv"), ","));
        List<String[]> mean = csv(mknn.resolve("mknn.csv"), ",");
        assertEquals(List.of("layer", "score", "score_ci_low", "score_ci_high"), List.of(mean.get(0)));
        for (int row = 1; row < mean.size(); row++) {
            double[] ci = interval(seeds, row, 1, T1);
            assertEquals(average(seeds, row, 1), Double.parseDouble(mean.get(row)[1]), 1e-12);
            assertEquals(ci[0], Double.parseDouble(mean.get(row)[2]), 1e-12);
            assertEquals(ci[1], Double.parseDouble(mean.get(row)[3]), 1e-12);
        }
        assertTrue(Files.size(mknn.resolve("mknn.png")) > 1000);

        Path reasoning = dir.resolve("reasoning");
        ReasoningCommandTest.reasoning(reasoning, "--baseline", "10", "--layers", "0:4", "--baseline-seeds", "2")
                .expect(0);
        double[] total = new double[2];
        for (int s = 0; s < 2; s++) {
            total[s] = json(reasoning.resolve("seeds/" + (42 + s) + "/accuracy.json"))
                               .getAsJsonObject("total")
                               .get("accuracy")
                               .getAsDouble();
        }
        JsonObject accuracy = json(reasoning.resolve("accuracy.json"));
        JsonObject all = accuracy.getAsJsonObject("total");
        double[] ci = interval(total, T1);
        assertEquals((total[0] + total[1]) / 2, all.get("accuracy").getAsDouble(), 1e-12);
        assertEquals(ci[0], all.get("accuracy_ci_low").getAsDouble(), 1e-12);
        assertEquals(ci[1], all.get("accuracy_ci_high").getAsDouble(), 1e-12);
        for (String subject : accuracy.getAsJsonObject("subjects").keySet())
            assertTrue(accuracy.getAsJsonObject("subjects").getAsJsonObject(subject).has("accuracy_ci_high"), subject);
        assertEquals(List.of("subject", "n", "correct", "accuracy", "accuracy_ci_low", "accuracy_ci_high"),
                List.of(csv(reasoning.resolve("accuracy.tsv"), "\t").get(0)));
        assertTrue(Files.size(reasoning.resolve("accuracy.png")) > 1000);
    }

    @Test
    void seedsWithAShardOrWithoutABaselineOrOutOfRangeAreUsageErrors() {
        Path out = dir.resolve("refused");
        TnCli.Result sharded = run(similarity(out, "--baseline-seeds", "3", "--shard", "1/2"));
        assertEquals(Tn.EXIT_USAGE, sharded.code(), sharded.err());
        assertTrue(sharded.err().contains("--shard") && sharded.err().contains("--seed S"), sharded.err());

        List<String> noBaseline = new ArrayList<>(List.of("similarity", "--model", model(), "--pairs", PAIRS,
                "--deactivate", ranking.toString(), "--top-n", "3", "--baseline-seeds", "3", "--out", out.toString()));
        TnCli.Result r = run(noBaseline);
        assertEquals(Tn.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("needs --baseline"), r.err());

        for (String bad : List.of("0", "101")) {
            TnCli.Result range = run(similarity(out, "--baseline-seeds", bad));
            assertEquals(Tn.EXIT_USAGE, range.code(), range.err());
            assertTrue(range.err().contains("--baseline-seeds must be 1..100"), range.err());
        }
        TnCli.Result slurm = TnCli.run("slurm", "similarity", "--model", model(), "--pairs", PAIRS, "--baseline", "5",
                "--layers", "0:2", "--baseline-seeds", "3", "--out", out.toString(), "--shards", "2");
        assertEquals(Tn.EXIT_USAGE, slurm.code(), slurm.err());
        assertTrue(slurm.err().contains("submit each seed's run (--seed S --out OUT/seeds/S)"), slurm.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    /**
     * tn qa on the synthetic Qwen2 model, each question alone as the prompt, the whole continuation
     * scored: what this model generates there changes with which neurons are off.
     */
    static TnCli.Result qa(Path out, Path questions, String... more) {
        List<String> args = new ArrayList<>(List.of("qa", "--model", TestModels.file(TestModels.QWEN2).toString(),
                "--questions", questions.toString(), "--lang", "ja", "--max-new-tokens", "6", "--template",
                "{question}", "--answer", "all", "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return run(args);
    }

    /** A questions file of the three ja questions of QaCommandTest, with these gold answers. */
    static Path questions(List<String> gold) throws IOException {
        Path f = Files.createTempFile(dir, "questions", ".jsonl");
        StringBuilder b = new StringBuilder();
        int g = 0;
        for (String[] q : QaCommandTest.QUESTIONS) {
            if (!q[0].equals("ja")) continue;
            JsonObject line = new JsonObject();
            line.addProperty("question", q[1]);
            JsonArray answers = new JsonArray();
            answers.add(gold.get(g++));
            line.add("answers", answers);
            line.addProperty("lang", "ja");
            b.append(line).append('\n');
        }
        Files.writeString(f, b.toString());
        return f;
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static List<String> texts(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    static List<String[]> csv(Path file, String separator) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> l.split(separator, -1)).toList();
    }

    static double average(List<List<String[]>> seeds, int row, int column) {
        double sum = 0;
        for (List<String[]> s : seeds) sum += Double.parseDouble(s.get(row)[column]);
        return sum / seeds.size();
    }

    static double[] interval(List<List<String[]>> seeds, int row, int column, double t) {
        return interval(seeds.stream().mapToDouble(s -> Double.parseDouble(s.get(row)[column])).toArray(), t);
    }

    /** mean ± t sd / sqrt(n), sd with divisor n - 1. */
    static double[] interval(double[] x, double t) {
        double mean = Arrays.stream(x).sum() / x.length;
        double squares = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
        double half = t * Math.sqrt(squares / (x.length - 1)) / Math.sqrt(x.length);
        return new double[] {mean - half, mean + half};
    }

    static void delete(Path tree) throws IOException {
        try (var walk = Files.walk(tree)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static String[] seedRunJsons(Path out, long first, int n) throws IOException {
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) texts[i] = Files.readString(out.resolve("seeds/" + (first + i) + "/run.json"));
        return texts;
    }

    static List<Boolean> ranThisProcess(Path out) throws IOException {
        List<Boolean> ran = new ArrayList<>();
        json(out.resolve("run.json"))
                .getAsJsonObject("run")
                .getAsJsonArray("seed_runs")
                .forEach(e -> ran.add(e.getAsJsonObject().get("ran_this_process").getAsBoolean()));
        return ran;
    }
}
