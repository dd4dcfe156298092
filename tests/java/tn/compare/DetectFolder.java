package tn.compare;

import tn.io.Json;
import tn.io.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hand-made `tn detect` folder: the run.json fields compare reads, scores.npy, and optionally
 * scores_se.npy and stability.json's bootstrap. The model's file type is the folder's name, so
 * that compare labels the runs by it.
 */
public final class DetectFolder {
    private DetectFolder() {}

    /** The bootstrap percentiles stability.json would hold: Spearman's and top-10's 5th percentile. */
    public record Bootstrap(double p5Spearman, double p5Top10) {}

    /**
     * Writes dir/name of a type2 ja detection over layers (A:B) of an nLayer x nFf model;
     * scores and se are [nLayer * nFf], NaN outside the candidate layers; se and bootstrap may be null.
     */
    public static Path write(Path dir, String name, int nLayer, int nFf, String layers, float[] scores, float[] se,
            Bootstrap bootstrap) {
        try {
            Path d = Files.createDirectories(dir.resolve(name));
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("architecture", "llama");
            model.put("n_layer", nLayer);
            model.put("n_embd", 8);
            model.put("n_ff", nFf);
            model.put("file_type", name);
            model.put("size_bytes", 1000 + name.length());
            model.put("n_params", 1000);
            model.put("path", "/m/" + name + ".gguf");
            model.put("sha256", "0".repeat(64));
            Map<String, Object> params = Map.of("type", "type2", "lang", "ja", "layers", layers);
            Json.write(d.resolve("run.json"), Map.of("command", "detect", "model", model, "parameters", params));
            Npy.writeFloat32(d.resolve("scores.npy"), scores, nLayer, nFf);
            if (se != null) Npy.writeFloat32(d.resolve("scores_se.npy"), se, nLayer, nFf);
            if (bootstrap != null) {
                Map<String, Object> overlaps = new LinkedHashMap<>();
                overlaps.put("10", Map.of("median", 1.0, "p5", bootstrap.p5Top10()));
                overlaps.put("100", Map.of("median", 1.0, "p5", 1.0));
                Map<String, Object> boot = new LinkedHashMap<>();
                boot.put("replicates", 200);
                boot.put("spearman", Map.of("median", 0.999, "p5", bootstrap.p5Spearman()));
                boot.put("top_k_overlap", overlaps);
                Json.write(d.resolve("stability.json"), Map.of("bootstrap", boot));
            }
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
