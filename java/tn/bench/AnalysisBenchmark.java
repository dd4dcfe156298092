package tn.bench;

import tn.run.RunContext;
import tn.run.RunInput;
import tn.analysis.Lape;
import tn.analysis.NeuronSet;
import tn.analysis.RankedNeurons;
import tn.llama.CaptureSpec;
import tn.llama.BareGreedy;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.method.LastLayer;
import tn.method.Ranking;
import tn.qa.PromptTemplate;
import tn.run.LapeRun;
import tn.run.QaRun;
import tn.run.RunSettings;
import tn.run.SpecificityRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * scripts/bench-analyses: issue 6's analyses against bare forward work over the same inputs, in
 * the same run, on DetectBenchmark's synthetic model of Qwen2.5-0.5B's shape (Q8_0).
 * <ul>
 *   <li>qa: greedy answers to 40 questions, 20 new tokens each, 8 at a time, with none and with
 *       1000 neurons off at the prompt, against llama.cpp's own batched greedy decoding of the same
 *       prompts to the same lengths, 8 at a time ({@link BareGreedy});</li>
 *   <li>lape: counts over every token of 300 sentences in 5 languages, against bare forward passes
 *       of the same batches with every token an output (what counting the last layer needs) and
 *       with last tokens only;</li>
 *   <li>specificity: 1000 neurons' last-token activations over the same sentences, against bare
 *       forward passes with last tokens only.</li>
 * </ul>
 * Times are forward plus scoring as run.json records them (loading and hashing left out, as for bare).
 * Then {@link GenerationBenchmark}'s throughput table. The third argument runs one part: analyses or
 * generation (default: both).
 */
public final class AnalysisBenchmark {
    static final int QUESTIONS = 40, NEW_TOKENS = 20, SENTENCES = 300, NEURONS = 1000, PARALLEL = 8;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "build/bench");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Path model = DetectBenchmark.model(dir);
        RunSettings settings = new RunSettings(threads, 32, 512, -1, LastLayer.NORMED, false, true, false, 600, null);
        Path sentences = DetectBenchmark.sentences(dir, SENTENCES);
        Path ranking = ranking(dir, model);
        Path questions = questions(dir, sentences);
        String part = args.length > 2 ? args[2] : "all";
        System.out.printf("model %s (%.0f MB), threads %s%n", model.getFileName(), Files.size(model) / 1e6,
                threads == 0 ? "all" : threads);
        if (!part.equals("generation")) analyses(dir, model, settings, sentences, ranking, questions);
        if (!part.equals("analyses")) GenerationBenchmark.run(model, questions, ranking, threads);
    }

    private static void analyses(Path dir, Path model, RunSettings settings, Path sentences, Path ranking,
            Path questions) throws IOException {
        System.out.printf("%-34s %10s %10s %8s%n", "work", "bare s", "tn s", "ratio");
        for (int round = 0; round < 2; round++) {
            double bareQa = 0;
            for (boolean off : new boolean[] {false, true}) {
                Path out = dir.resolve("qa-" + (off ? "off" : "plain"));
                new QaRun(new RunContext(model, new RunInput.Questions(questions, "ja"), out, settings,
                                  DetectBenchmark.SILENT),
                        new QaRun.Params(off ? NeuronSet.Choice.top(ranking, NEURONS) : NeuronSet.Choice.none(), 42,
                                PromptTemplate.parse(PromptTemplate.DEFAULT), NEW_TOKENS, PARALLEL))
                        .replace(true) // the benchmark owns its folders: a rerun replaces them
                        .execute();
                if (!off) bareQa = bareGreedy(model, questions, settings, out);
                row("qa, " + (off ? NEURONS + " neurons off at the prompt" : "no neurons off"), bareQa, out);
            }
            Map<String, Path> languages = split(dir, sentences);
            double bareLast = bareForward(model, languages, settings, CaptureSpec.nothing());
            double bareAll = bareForward(model, languages, settings, CaptureSpec.allTokens().build());
            Path lape = dir.resolve("lape");
            new LapeRun(
                    new RunContext(model, new RunInput.Languages(languages), lape, settings, DetectBenchmark.SILENT),
                    Lape.Thresholds.PAPER, LapeRun.Signal.GATE)
                    .replace(true) // the benchmark owns its folders: a rerun replaces them
                    .execute();
            row("lape vs all-token outputs", bareAll, lape);
            row("lape vs last-token outputs", bareLast, lape);
            Path specificity = dir.resolve("specificity");
            new SpecificityRun(new RunContext(model, new RunInput.Languages(languages), specificity, settings,
                                       DetectBenchmark.SILENT),
                    new SpecificityRun.Params(List.of(RankedNeurons.read(ranking, NEURONS, "l0"))))
                    .replace(true) // the benchmark owns its folders: a rerun replaces them
                    .execute();
            row("specificity, " + NEURONS + " neurons", bareLast, specificity);
        }
    }

    private static void row(String what, double bare, Path out) throws IOException {
        var t = DetectBenchmark.timings(out);
        double tn = t.get("forward_s").getAsDouble() + t.get("scoring_s").getAsDouble();
        System.out.printf("%-34s %10.2f %10.2f %7.2fx%n", what, bare, tn, tn / bare);
    }

    /**
     * Seconds for llama.cpp's own batched greedy decoding of every question's prompt, PARALLEL at a
     * time, to the lengths the plain qa run in answers generated (at least one token).
     */
    static double bareGreedy(Path modelPath, Path questions, RunSettings settings, Path answers) throws IOException {
        try (Model model = Model.open(modelPath, settings.gpuLayers())) {
            PromptTemplate template = PromptTemplate.parse(PromptTemplate.DEFAULT);
            List<int[]> prompts = new ArrayList<>();
            for (String line : Files.readAllLines(questions)) {
                String q = com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("question").getAsString();
                prompts.add(model.tokenize(template.apply(q)));
            }
            List<String> rows = Files.readAllLines(answers.resolve("answers.tsv"));
            int column = List.of(rows.get(0).split("\t")).indexOf("generated_tokens");
            double seconds = 0;
            for (int from = 0; from < prompts.size(); from += PARALLEL) {
                int to = Math.min(prompts.size(), from + PARALLEL);
                int[] lengths = new int[to - from];
                for (int k = from; k < to; k++)
                    lengths[k - from] = Math.max(1, Integer.parseInt(rows.get(k + 1).split("\t")[column]));
                seconds += BareGreedy
                                   .run(model, prompts.subList(from, to), lengths, settings.contextSize(),
                                           settings.threads(), true)
                                   .seconds();
            }
            return seconds;
        }
    }

    /** Seconds for llama_decode over each language's sentences in the run's batches, nothing captured. */
    static double bareForward(Path modelPath, Map<String, Path> languages, RunSettings settings, CaptureSpec spec)
            throws IOException {
        try (Model model = Model.open(modelPath, settings.gpuLayers());
                Session session = model.newSession(
                        new SessionOptions(settings.threads(), settings.contextSize(), settings.batch(), true))) {
            List<int[]> tokens = new ArrayList<>();
            for (Path file : languages.values())
                for (String s : Files.readAllLines(file)) tokens.add(model.tokenize(s));
            long t0 = System.nanoTime();
            for (int from = 0; from < tokens.size(); from += settings.batch()) {
                session.run(tokens.subList(from, Math.min(tokens.size(), from + settings.batch())), spec);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** The sentences as five "languages" of 60, for the analyses across languages. */
    static Map<String, Path> split(Path dir, Path sentences) throws IOException {
        List<String> all = Files.readAllLines(sentences);
        Map<String, Path> out = new LinkedHashMap<>();
        int per = all.size() / 5;
        for (int g = 0; g < 5; g++) {
            out.put("l" + g, Files.write(dir.resolve("lang-" + g + ".txt"), all.subList(g * per, (g + 1) * per)));
        }
        return out;
    }

    /** A ranking of NEURONS random neurons in the model's first 15 layers (the shape's Type-1 candidates). */
    static Path ranking(Path dir, Path model) throws IOException {
        int nFf;
        try (Model m = Model.open(model, 0)) {
            nFf = m.info().nFf();
        }
        SplittableRandom random = new SplittableRandom(7);
        java.util.Set<Neuron> drawn = new java.util.LinkedHashSet<>();
        while (drawn.size() < NEURONS) drawn.add(new Neuron(random.nextInt(15), random.nextInt(nFf)));
        double[] scores = new double[NEURONS];
        for (int k = 0; k < NEURONS; k++) scores[k] = 1.0 / (k + 1);
        Path file = dir.resolve("bench-ranking.tsv");
        new Ranking(List.copyOf(drawn), scores).writeTsv(file);
        return file;
    }

    /** QUESTIONS questions made of the sentences, with a gold answer each (the scores do not matter here). */
    static Path questions(Path dir, Path sentences) throws IOException {
        return questions(dir, sentences, QUESTIONS, "questions.jsonl");
    }

    /** n questions from the sentences, as qa's JSONL, in dir/name. */
    static Path questions(Path dir, Path sentences, int n, String name) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> all = Files.readAllLines(sentences);
        for (int k = 0; k < n; k++) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("question", all.get(k * 7 % all.size()));
            com.google.gson.JsonArray answers = new com.google.gson.JsonArray();
            answers.add("answer");
            o.add("answers", answers);
            lines.add(o.toString());
        }
        return Files.write(dir.resolve(name), lines);
    }
}
