package tn.bench;

import tn.io.Console;
import tn.run.RunContext;
import tn.run.RunInput;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tn.llama.CaptureSpec;
import tn.llama.Model;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.method.TransferType;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.run.CentroidRun;
import tn.run.DetectionRun;
import tn.run.RunSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * scripts/bench: detect against bare llama.cpp forward passes over the same sentences, in the
 * same run, on a synthetic model of Qwen2.5-0.5B's shape (24 layers, d 896, n_ff 4864, 14 heads,
 * 2 KV heads, Q8_0). Bare means llama_decode of the same batches with nothing captured, i.e.
 * the whole graph. Prints ratios, the share of time spent scoring, and the peak RSS of a
 * 1000-sentence detect in its own process.
 */
public final class DetectBenchmark {
    static final SyntheticModel QWEN_SHAPE = new SyntheticModel(24, 896, 4864, 14, 2, Vocabulary.QWEN2, 1, FileType.Q8_0);
    static final Console SILENT = new Console(Console.silent().out(), Console.writer(System.err), false);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "build/bench");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int batch = 32;
        Path model = model(dir);
        Path s300 = sentences(dir, 300);
        Path s1000 = sentences(dir, 1000);
        RunSettings settings = new RunSettings(threads, batch, 512, -1, tn.method.LastLayer.NORMED, false, true, false, 600, null);

        Path centroids = dir.resolve("centroids");
        new CentroidRun(new RunContext(model, new RunInput.Sentences(s300, "xx"), centroids, settings, SILENT), TransferType.TYPE2).execute();

        System.out.printf("model %s (%.0f MB), 300 sentences, %d per decode, threads %s%n", model.getFileName(),
                Files.size(model) / 1e6, batch, threads == 0 ? "all" : threads);
        System.out.printf("%-8s %10s %10s %10s %8s %8s%n", "type", "bare s", "detect s", "scoring s", "ratio", "scoring");
        for (int round = 0; round < 2; round++) {
            for (TransferType type : TransferType.values()) {
                double bare = bareForward(model, s300, settings);
                Path out = dir.resolve("detect-" + type.id());
                new DetectionRun(new RunContext(model, new RunInput.Sentences(s300, "xx"), out, settings, SILENT),
                        new DetectionRun.Params(type, 1000, centroids.resolve("centroids.npy"), null, false)).execute();
                JsonObject t = timings(out);
                double detect = t.get("forward_s").getAsDouble() + t.get("scoring_s").getAsDouble();
                double scoring = t.get("scoring_s").getAsDouble();
                System.out.printf("%-8s %10.2f %10.2f %10.2f %7.2fx %7.1f%%%n", type.id(), bare, detect, scoring,
                        detect / bare, 100 * scoring / detect);
            }
        }
        System.out.println("(detect s: its forward passes and scoring, as run.json records them; model loading, "
                + "hashing and reading value vectors come once per run and are left out, as for bare)");

        Path out = dir.resolve("detect-1000");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx8g",
                "-cp", System.getProperty("java.class.path"), "tn.cli.Tn", "detect", "--model", model.toString(),
                "--type", "type2", "--lang", "xx", "--top-n", "1000", "--centroids", centroids.resolve("centroids.npy").toString(),
                "--sentences", s1000.toString(), "--out", out.toString(), "--threads", String.valueOf(threads), "--quiet"));
        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (rc != 0) throw new IllegalStateException("detect of 1000 sentences failed: " + rc);
        JsonObject t = timings(out);
        long rss = t.get("peak_rss_bytes").getAsLong();
        System.out.printf("1000 sentences, type2, own process: %.1f s, peak RSS %.0f MB = model %.0f MB + %.0f MB (budget: + 1024 MB)%n",
                t.get("total_s").getAsDouble(), rss / 1e6 / 1.048576, Files.size(model) / 1e6 / 1.048576,
                (rss - Files.size(model)) / 1e6 / 1.048576);
    }

    /** The benchmark model in dir, synthesized on first use. */
    static Path model(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve("qwen-shape-L24-d896-q8_0.gguf");
        if (!Files.isRegularFile(model)) {
            System.out.println("synthesizing " + model);
            QWEN_SHAPE.write(model);
        }
        return model;
    }

    /** Seconds for llama_decode over the sentences in the same batches, nothing captured. */
    static double bareForward(Path modelPath, Path sentences, RunSettings settings) throws IOException {
        try (Model model = Model.open(modelPath, settings.gpuLayers());
             Session session = model.newSession(new SessionOptions(settings.threads(), settings.contextSize(),
                     settings.batch(), true))) {
            List<int[]> tokens = new ArrayList<>();
            for (String s : Files.readAllLines(sentences)) tokens.add(model.tokenize(s));
            long t0 = System.nanoTime();
            for (int from = 0; from < tokens.size(); from += settings.batch()) {
                session.run(tokens.subList(from, Math.min(tokens.size(), from + settings.batch())), CaptureSpec.nothing());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    static JsonObject timings(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject().getAsJsonObject("timings");
    }

    /** n L2 sentences from the demo dataset (the L2 side of the pairs, then the monolingual sets), cycled. */
    static Path sentences(Path dir, int n) throws IOException {
        List<String> pool = new ArrayList<>();
        for (String lang : new String[] {"ja", "nl", "ko", "it"}) {
            for (String line : resource("en-" + lang + ".tsv")) pool.add(line.split("\t")[1]);
            pool.addAll(resource(lang + ".txt"));
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) out.add(pool.get(k % pool.size()) + (k >= pool.size() ? " " + k : ""));
        Path file = dir.resolve("sentences-" + n + ".txt");
        Files.write(file, out);
        return file;
    }

    static List<String> resource(String name) throws IOException {
        try (var in = DetectBenchmark.class.getResourceAsStream("/tn/demo/" + name)) {
            if (in == null) throw new IllegalStateException("no demo file " + name + " in tn's jar");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
