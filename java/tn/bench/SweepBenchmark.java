package tn.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * scripts/bench-sweep: a whole `tn sweep` (Q8_0, Q6_K, Q4_K_M, Q3_K_M, Q2_K of an F16 model of
 * Qwen2.5-0.5B's shape, type1) against the same work done by hand, each step its own `tn`
 * process as a user would type it: the centroids and detect runs of every variant ("its
 * detections"), the quantizations and the compare. Every figure is a process's wall time.
 */
public final class SweepBenchmark {
    static final SyntheticModel BASE = new SyntheticModel(24, 896, 4864, 14, 2, Vocabulary.QWEN2, 1, FileType.F16);
    static final List<String> TYPES = List.of("Q8_0", "Q6_K", "Q4_K_M", "Q3_K_M", "Q2_K");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "build/bench");
        String threads = args.length > 1 ? args[1] : "0";
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Files.createDirectories(dir);
        Path base = dir.resolve("qwen-shape-L24-d896-f16.gguf");
        if (!Files.isRegularFile(base)) {
            System.out.println("synthesizing " + base);
            BASE.write(base);
        }
        Path sentences = DetectBenchmark.sentences(dir, n);
        Path pairs = pairs(dir, n);

        Path sweepDir = fresh(dir.resolve("sweep"));
        double sweep = tn("sweep", "--model", base.toString(), "--quant-types", String.join(",", TYPES), "--lang", "ja",
                "--type", "type1", "--centroid-sentences", pairs.toString(), "--sentences", sentences.toString(),
                "--out", sweepDir.toString(), "--top-n", "1000", "--threads", threads, "--quiet");

        Path hand = fresh(dir.resolve("sweep-by-hand"));
        double quantize = 0, detections = 0;
        List<String> detectDirs = new ArrayList<>();
        List<Path> models = new ArrayList<>(List.of(base));
        for (String type : TYPES) {
            Path q = hand.resolve("models").resolve("base." + type + ".gguf");
            quantize += tn("model", "quantize", base.toString(), q.toString(), "--type", type, "--threads", threads,
                    "--quiet");
            models.add(q);
        }
        for (Path model : models) {
            Path out = hand.resolve(model.getFileName().toString().replace(".gguf", ""));
            detections += tn("centroids", "--model", model.toString(), "--type", "type1", "--lang", "ja", "--sentences",
                    pairs.toString(), "--out", out.resolve("centroids").toString(), "--threads", threads, "--quiet");
            detections += tn("detect", "--model", model.toString(), "--type", "type1", "--lang", "ja", "--top-n",
                    "1000", "--centroids", out.resolve("centroids/centroids.npy").toString(), "--sentences",
                    sentences.toString(), "--out", out.resolve("detect").toString(), "--threads", threads, "--quiet");
            detectDirs.add(out.resolve("detect").toString());
        }
        List<String> compare = new ArrayList<>(List.of("compare"));
        compare.addAll(detectDirs);
        compare.addAll(List.of("--reference", detectDirs.get(0), "--out", hand.resolve("compare").toString()));
        double compareSeconds = tn(compare.toArray(String[] ::new));

        System.out.printf("%nsweep of %s to %s, type1, %d pairs and %d sentences, threads %s%n", base.getFileName(),
                TYPES, n, n, threads.equals("0") ? "all" : threads);
        System.out.printf("  tn sweep, one process:                      %7.1f s%n", sweep);
        System.out.printf("  by hand: centroids + detect, 12 processes:  %7.1f s  (\"its detections\")%n", detections);
        System.out.printf("  by hand: quantize, 5 processes:             %7.1f s%n", quantize);
        System.out.printf("  by hand: compare:                           %7.1f s%n", compareSeconds);
        JsonObject record = JsonParser.parseString(Files.readString(sweepDir.resolve("sweep.json"))).getAsJsonObject();
        double inQuantize = 0, inRuns = 0;
        for (var v : record.getAsJsonArray("variants")) {
            JsonObject steps = v.getAsJsonObject().getAsJsonObject("steps");
            for (String step : steps.keySet()) {
                double sec = steps.getAsJsonObject(step).get("seconds").getAsDouble();
                if (step.equals("quantize"))
                    inQuantize += sec;
                else
                    inRuns += sec;
            }
        }
        System.out.printf(
                "  inside the sweep: centroids + detect %.1f s, quantize %.1f s, compare %.1f s, rest %.1f s%n", inRuns,
                inQuantize, record.get("compare_s").getAsDouble(),
                sweep - inRuns - inQuantize - record.get("compare_s").getAsDouble());
        System.out.printf(
                "  sweep / detections:                         %7.2fx  (overhead %+.1f%%, quantization included)%n",
                sweep / detections, 100 * (sweep / detections - 1));
        System.out.printf("  sweep / everything by hand:                 %7.2fx  (overhead %+.1f%%)%n",
                sweep / (detections + quantize + compareSeconds),
                100 * (sweep / (detections + quantize + compareSeconds) - 1));
    }

    /** Wall seconds of `tn args...` in its own JVM; fails on a non-zero exit. */
    static double tn(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx8g",
                "-cp", System.getProperty("java.class.path"), "tn.cli.Tn"));
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        int rc = new ProcessBuilder(cmd)
                         .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                         .redirectError(ProcessBuilder.Redirect.INHERIT)
                         .start()
                         .waitFor();
        if (rc != 0) throw new IllegalStateException("tn " + String.join(" ", args) + " failed with exit code " + rc);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** n en-L2 pairs from the demo dataset, cycled over its four languages. */
    static Path pairs(Path dir, int n) throws IOException {
        List<String> pool = new ArrayList<>();
        for (String lang : new String[] {"ja", "nl", "ko", "it"})
            pool.addAll(DetectBenchmark.resource("en-" + lang + ".tsv"));
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) out.add(pool.get(k % pool.size()));
        Path file = dir.resolve("pairs-" + n + ".tsv");
        Files.write(file, out);
        return file;
    }

    static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        return Files.createDirectories(dir);
    }
}
