package tn.bench;

import com.google.gson.JsonParser;
import tn.llama.Model;
import tn.method.TransferType;
import tn.qa.PromptTemplate;
import tn.run.RunSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * scripts/bench --tools: tn against llama.cpp's own tools, built from the same pinned llama.cpp
 * with tn's flags, in the same run and on the same model, each a process of its own timed from
 * start to end (model loading included on both sides), alternating tn and the tool round by round
 * so that the machine's noise falls on both: a Type-2 detect against llama-imatrix over the same
 * text (imatrix's defaults: -c 512, F16 KV, flash attention auto), and tn qa against
 * llama-batched-bench at P = 1 and P = 8 with an F32 KV cache (the same prompts' mean length,
 * 64 new tokens, as many rounds of P). Prints medians and tn's throughput over the tool's.
 */
final class ToolsBenchmark {
    /** -Dtn.bench.questions, -Dtn.bench.newTokens: qa's work; -Dtn.bench.parts=detect,qa: which comparisons run. */
    static final int NEW_TOKENS = Integer.getInteger("tn.bench.newTokens", 64),
                     QUESTIONS = Integer.getInteger("tn.bench.questions", 32);
    static final List<String> PARTS = List.of(System.getProperty("tn.bench.parts", "detect,qa").split(","));
    static final int[] PARALLEL = {1, 8};

    private static String ngl = "0", tnGpuLayers = "0";

    private ToolsBenchmark() {}

    /** gpuLayers: layers offloaded by both sides (-1: all, 0: none, the CPU). */
    static void run(DetectBenchmark.Shape shape, Path dir, int threads, Path tools, int rounds, int gpuLayers)
            throws Exception {
        ngl = String.valueOf(gpuLayers < 0 ? 999 : gpuLayers);
        tnGpuLayers = String.valueOf(gpuLayers);
        Path model = DetectBenchmark.model(dir, shape);
        Path sentences = DetectBenchmark.sentences(dir, shape.sentences());
        String t = String.valueOf(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        RunSettings settings =
                new RunSettings(threads, 32, 512, -1, tn.method.LastLayer.NORMED, false, true, false, 600, null);
        Path centroids =
                DetectBenchmark.centroids(model, dir.resolve("centroids-" + shape.id() + "-type2"), TransferType.TYPE2,
                        settings);
        Path text = dir.resolve("imatrix-text-" + shape.sentences() + ".txt");
        Files.write(text, Files.readAllLines(sentences));
        System.out.printf("model %s (%.0f MB), threads %s, %d rounds, GPU layers %s, tools from %s%n",
                model.getFileName(), Files.size(model) / 1e6, t, rounds, tnGpuLayers, tools);

        System.out.printf("%n| work | tn | llama.cpp's tool | tn throughput / tool's |%n|---|---|---|---|%n");
        if (PARTS.contains("detect")) detect(shape, dir, rounds, model, sentences, t, centroids, text, tools);
        if (PARTS.contains("qa")) qa(dir, rounds, model, sentences, t, tools);
        System.out.println("(seconds: each process from start to end, the median of the rounds, min-max in brackets; "
                + "throughput ratio: the tool's median time over tn's)");
    }

    private static void detect(DetectBenchmark.Shape shape, Path dir, int rounds, Path model, Path sentences, String t,
            Path centroids, Path text, Path tools) throws Exception {
        List<Double> tn = new ArrayList<>(), imatrix = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path out = dir.resolve("tools-detect");
            tn.add(time(tnCommand("detect", "--model", model.toString(), "--type", "type2", "--lang", "ja", "--top-n",
                    "1000", "--centroids", centroids.toString(), "--sentences", sentences.toString(), "--out",
                    out.toString(), "--force", "--threads", t, "--quiet")));
            imatrix.add(time(List.of(tools.resolve("llama-imatrix").toString(), "-m", model.toString(), "-f",
                    text.toString(), "-o", dir.resolve("imatrix.gguf").toString(), "-c", "512", "-b", "512", "-t", t, "-ngl", ngl)));
        }
        row("type-2 detect of " + shape.sentences() + " sentences vs llama-imatrix (-c 512 -b 512, its defaults)", tn,
                imatrix);
    }

    private static void qa(Path dir, int rounds, Path model, Path sentences, String t, Path tools) throws Exception {
        Path questions = AnalysisBenchmark.questions(dir, sentences, QUESTIONS, "questions-" + QUESTIONS + ".jsonl");
        int promptTokens = promptTokens(questions, model);
        for (int p : PARALLEL) {
            List<Double> qa = new ArrayList<>(), bench = new ArrayList<>();
            List<String> npl = Collections.nCopies(QUESTIONS / p, String.valueOf(p));
            for (int r = 0; r < rounds; r++) {
                Path out = dir.resolve("tools-qa");
                // tn's template, as promptTokens counts it for batched-bench's -npp
                qa.add(time(tnCommand("qa", "--model", model.toString(), "--questions", questions.toString(), "--lang",
                        "ja", "--protocol", "tn", "--max-new-tokens", String.valueOf(NEW_TOKENS), "--answer", "all", "--parallel",
                        String.valueOf(p), "--out", out.toString(), "--force", "--threads", t, "--quiet")));
                checkLengths(out.resolve("answers.tsv"));
                bench.add(time(List.of(tools.resolve("llama-batched-bench").toString(), "-m", model.toString(), "-c",
                        String.valueOf(p * (promptTokens + NEW_TOKENS + 16)), "-b", "512", "-ub", "512", "-npp",
                        String.valueOf(promptTokens), "-ntg", String.valueOf(NEW_TOKENS), "-npl", String.join(",", npl),
                        "-ctk", "f32", "-ctv", "f32", "-t", t, "-ngl", ngl)));
            }
            row("tn qa, " + QUESTIONS + " questions x " + NEW_TOKENS + " new tokens, --parallel " + p
                            + " vs llama-batched-bench -npp " + promptTokens + " -ntg " + NEW_TOKENS + " -npl " + p
                            + " x" + npl.size() + " -ctk f32 -ctv f32",
                    qa, bench);
        }
    }

    private static void row(String what, List<Double> tn, List<Double> tool) {
        System.out.printf("| %s | %.1f s (%.1f-%.1f) | %.1f s (%.1f-%.1f) | %.2fx |%n", what, median(tn),
                Collections.min(tn), Collections.max(tn), median(tool), Collections.min(tool), Collections.max(tool),
                median(tool) / median(tn));
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A tn command in a JVM of its own, with this one's native library and the benchmark's GPU layers. */
    private static List<String> tnCommand(String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx8g", "-XX:+UseSerialGC"));
        for (String property : new String[] {"tn.native.dir", "tn.home"}) {
            if (System.getProperty(property) != null) cmd.add("-D" + property + "=" + System.getProperty(property));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "tn.cli.Tn"));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("--gpu-layers", tnGpuLayers));
        return cmd;
    }

    /** Seconds the command ran; its output goes to a log beside nothing (discarded), a failure stops the benchmark. */
    private static double time(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
        int rc = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + rc);
        String what = cmd.contains("tn.cli.Tn") ? "tn " + cmd.get(cmd.indexOf("tn.cli.Tn") + 1)
                                                : Path.of(cmd.get(0)).getFileName().toString();
        System.err.printf("%s: %.1f s%n", what, s);
        return s;
    }

    /** Every answer ran to NEW_TOKENS tokens, so that tn did the work the tool does. */
    private static void checkLengths(Path answers) throws IOException {
        List<String> lines = Files.readAllLines(answers);
        int column = Arrays.asList(lines.get(0).split("\t")).indexOf("generated_tokens");
        long shorter = lines.stream().skip(1).filter(l -> Integer.parseInt(l.split("\t", -1)[column]) != NEW_TOKENS)
                               .count();
        if (shorter > 0) System.out.printf("(%d of %d answers stopped before %d tokens)%n", shorter, lines.size() - 1,
                NEW_TOKENS);
    }

    /** The questions' mean prompt length in tokens, under qa's default template. */
    private static int promptTokens(Path questions, Path model) throws IOException {
        PromptTemplate template = PromptTemplate.parse(PromptTemplate.DEFAULT);
        try (Model m = Model.open(model, 0)) {
            return (int) Math.round(Files.readAllLines(questions)
                                            .stream()
                                            .map(l -> JsonParser.parseString(l).getAsJsonObject().get("question"))
                                            .mapToInt(q -> m.tokenize(template.apply(q.getAsString())).length)
                                            .average()
                                            .orElse(0));
        }
    }
}
