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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * scripts/bench: detect against bare llama.cpp forward passes over the same sentences, in the
 * same run, on a synthetic model of a real model's shape: Qwen2.5-0.5B's (24 layers, d 896, n_ff
 * 4864, 14 heads, 2 KV heads, Q8_0) or, with --shape 7b, Mistral-7B's (32 layers, d 4096, n_ff
 * 14336, 32 heads, 8 KV heads, Q4_K_M). Bare means llama_decode of the same batches with nothing
 * captured, i.e. the whole graph. Prints ratios, the share of time spent scoring, where scoring
 * ran, and the peak RSS of a Type-1 detect in its own process against the model file's size.
 */
public final class DetectBenchmark {
    /**
     * A model shape to benchmark: the synthetic model, its file name, sentences per timed run,
     * timing rounds, and sentences of the detect whose peak RSS is measured.
     */
    record Shape(String id, SyntheticModel spec, String file, int sentences, int rounds, int rssSentences) {}

    static final Shape QWEN_05B =
            new Shape("0.5b", new SyntheticModel(24, 896, 4864, 14, 2, Vocabulary.QWEN2, 1, FileType.Q8_0),
                    "qwen-shape-L24-d896-q8_0.gguf", 300, 2, 1000);
    static final Shape MISTRAL_7B =
            new Shape("7b", new SyntheticModel(32, 4096, 14336, 32, 8, Vocabulary.LLAMA_SPM, 1, FileType.Q4_K_M),
                    "mistral-shape-L32-d4096-q4_k_m.gguf", 64, 1, 64);
    static final Console SILENT = new Console(Console.silent().out(), Console.writer(System.err), false);

    /** [--tools TOOLS_DIR ROUNDS GPU_LAYERS] [--shape 0.5b|7b] [DIR] [THREADS] */
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        Path tools = null;
        int rounds = 0, gpuLayers = 0;
        if (rest.size() >= 4 && rest.get(0).equals("--tools")) {
            tools = Path.of(rest.get(1));
            rounds = Integer.parseInt(rest.get(2));
            gpuLayers = Integer.parseInt(rest.get(3));
            rest = rest.subList(4, rest.size());
        }
        Shape shape = QWEN_05B;
        if (!rest.isEmpty() && rest.get(0).equals("--shape")) {
            String id = rest.size() > 1 ? rest.get(1) : "";
            shape = Stream.of(QWEN_05B, MISTRAL_7B)
                            .filter(s -> s.id().equals(id))
                            .findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("--shape: 0.5b or 7b, not '" + id + "'"));
            rest = rest.subList(2, rest.size());
        }
        Path dir = Path.of(rest.size() > 0 ? rest.get(0) : "build/bench");
        int threads = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 0;
        if (tools != null) {
            ToolsBenchmark.run(shape, dir, threads, tools, rounds, gpuLayers);
            return;
        }
        int batch = 32;
        Path model = model(dir, shape);
        Path sentences = sentences(dir, shape.sentences());
        RunSettings settings =
                new RunSettings(threads, batch, 512, -1, tn.method.LastLayer.NORMED, false, true, false, 600, null);

        Map<TransferType, Path> centroids = new EnumMap<>(TransferType.class);
        for (TransferType type : TransferType.values()) {
            centroids.put(
                    type, centroids(model, dir.resolve("centroids-" + shape.id() + "-" + type.id()), type, settings));
        }

        System.out.printf("model %s (%.0f MB), %d sentences, %d per decode, threads %s%n", model.getFileName(),
                Files.size(model) / 1e6, shape.sentences(), batch, threads == 0 ? "all" : threads);
        System.out.printf("%-8s %10s %10s %10s %8s %8s %11s%n", "type", "bare s", "detect s", "scoring s", "ratio",
                "scoring", "stability");
        for (int round = 0; round < shape.rounds(); round++) {
            for (TransferType type : TransferType.values()) {
                double bare = bareForward(model, sentences, settings);
                Path out = dir.resolve("detect-" + shape.id() + "-" + type.id());
                new DetectionRun(new RunContext(model, new RunInput.Sentences(sentences, "ja"), out, settings, SILENT),
                        new DetectionRun.Params(type, 1000, centroids.get(type), null, false))
                        .replace(true) // the benchmark owns its folders: a rerun replaces them
                        .execute();
                JsonObject t = timings(out);
                double detect = t.get("forward_s").getAsDouble() + t.get("scoring_s").getAsDouble();
                double scoring = t.get("scoring_s").getAsDouble();
                double stability = t.get("stability_s").getAsDouble();
                System.out.printf("%-8s %10.2f %10.2f %10.2f %7.2fx %7.1f%% %10.1f%%%n", type.id(), bare, detect,
                        scoring, detect / bare, 100 * scoring / detect, 100 * stability / detect);
            }
        }
        System.out.println("(detect s: its forward passes and scoring, as run.json records them; model loading, "
                + "hashing and the layer constants come once per run and are left out, as for bare; stability: the "
                + "sampling-noise analysis after the last sentence (split halves, bootstrap, sample-size curve), as a "
                + "share of detect s)");
        System.out.println("scoring ran on: " + scoringPlacement(dir.resolve("detect-" + shape.id() + "-type1")));

        Path rssSentences = sentences(dir, shape.rssSentences());
        Path out = dir.resolve("detect-" + shape.id() + "-rss");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx8g",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "tn.cli.Tn", "detect", "--model",
                model.toString(), "--type", "type1", "--lang", "ja", "--top-n", "1000", "--centroids",
                centroids.get(TransferType.TYPE1).toString(), "--sentences", rssSentences.toString(), "--out",
                out.toString(), "--threads", String.valueOf(threads), "--quiet"));
        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (rc != 0) throw new IllegalStateException("detect of " + shape.rssSentences() + " sentences failed: " + rc);
        JsonObject t = timings(out);
        long rss = t.get("peak_rss_bytes").getAsLong();
        System.out.printf(
                "%d sentences, type1, own process: %.1f s, peak RSS %.0f MB = model %.0f MB + %.0f MB (budget: + 1024 MB)%n",
                shape.rssSentences(), t.get("total_s").getAsDouble(), rss / 1e6 / 1.048576,
                Files.size(model) / 1e6 / 1.048576, (rss - Files.size(model)) / 1e6 / 1.048576);
    }

    /** The 0.5B benchmark model in dir, synthesized on first use. */
    static Path model(Path dir) throws IOException {
        return model(dir, QWEN_05B);
    }

    static Path model(Path dir, Shape shape) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(shape.file());
        if (!Files.isRegularFile(model)) {
            System.out.println("synthesizing " + model);
            long t0 = System.nanoTime();
            shape.spec().write(model);
            System.out.printf("synthesized %s (%.0f MB) in %.1f s%n", model.getFileName(), Files.size(model) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
        return model;
    }

    /** Seconds for llama_decode over the sentences in the same batches, nothing captured. */
    static double bareForward(Path modelPath, Path sentences, RunSettings settings) throws IOException {
        try (Model model = Model.open(modelPath, settings.gpuLayers());
                Session session = model.newSession(
                        new SessionOptions(settings.threads(), settings.contextSize(), settings.batch(), true))) {
            List<int[]> tokens = new ArrayList<>();
            for (String s : Files.readAllLines(sentences)) tokens.add(model.tokenize(s));
            long t0 = System.nanoTime();
            for (int from = 0; from < tokens.size(); from += settings.batch()) {
                session.run(
                        tokens.subList(from, Math.min(tokens.size(), from + settings.batch())), CaptureSpec.nothing());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    static JsonObject timings(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("run.json")))
                .getAsJsonObject()
                .getAsJsonObject("timings");
    }

    /** Where a detect run's products ran, as its run.json records it. */
    static String scoringPlacement(Path out) throws IOException {
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        return run.getAsJsonObject("run").get("scoring_on").getAsString();
    }

    /**
     * A type's centroids of the model, as detect checks them (the type's own run): Type-1 from the
     * demo's en-L2 pairs, Type-2 from its L2 sentences. Returns centroids.npy.
     */
    static Path centroids(Path model, Path out, TransferType type, RunSettings settings) throws IOException {
        Path dir = out.getParent();
        RunInput input = type == TransferType.TYPE1 ? new RunInput.Pairs(pairs(dir), "ja")
                                                    : new RunInput.Sentences(sentences(dir, 300), "ja");
        new CentroidRun(new RunContext(model, input, out, settings, SILENT), type).replace(true).execute();
        return out.resolve("centroids.npy");
    }

    /** The demo dataset's en-L2 pairs of every language, as one pairs file. */
    static Path pairs(Path dir) throws IOException {
        List<String> pool = new ArrayList<>();
        for (String lang : new String[] {"ja", "nl", "ko", "it"}) pool.addAll(resource("en-" + lang + ".tsv"));
        Path file = dir.resolve("pairs.tsv");
        Files.write(file, pool);
        return file;
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
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}
