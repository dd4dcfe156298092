package tn.compare;

import tn.data.ReferencePickles;
import tn.io.Json;
import tn.llama.Neuron;
import tn.io.Wording;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Npy;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One side of a comparison: a finished `tn detect` run read back from its folder, or one of the
 * original implementation's ranking pickles ({@link OriginalRanking}). For a run: the model it
 * ran on (from run.json), the mean transfer score of every neuron (scores.npy, NaN outside the
 * candidate layers) and, where the run has them, its sampling noise: the standard errors
 * (scores_se.npy) and the bootstrap's agreement (stability.json); null for runs made before tn
 * kept them. A pickle records no model: architecture, the model's path and hash are null, sizes 0.
 *
 * @param dir    the run's folder, or the pickle file
 * @param scores [nLayer * nFf], NaN outside the candidate neurons; null for a top-n list, which ranks without scores
 * @param listed a top-n list's neurons in rank order; null for every other kind
 */
public record DetectionOutput(Path dir, String architecture, int nLayer, int nEmbd, int nFf, String type, String lang,
        String layers, String fileType, long sizeBytes, long nParams, String modelPath, String modelSha256,
        double[] scores, List<Neuron> listed, float[] standardErrors, Bootstrap bootstrap) {
    /**
     * The run's bootstrap agreement with its own ranking: Spearman's and each top k's (by k) 5th
     * percentile and median, the agreement to expect from another sample of its size.
     */
    public record Bootstrap(
            int replicates, double spearmanP5, double spearmanMedian, Map<Integer, double[]> overlapP5Median) {}

    /** A tn detect folder, or the original implementation's {@code *_top{n}.pkl} or {@code *_score_dict.pkl}. */
    public static DetectionOutput read(Path path) {
        if (ReferencePickles.isPickle(path) && !Files.isDirectory(path)) return OriginalRanking.read(path);
        return readRun(path);
    }

    /** Whether this is one of the original implementation's pickles rather than a tn run. */
    public boolean fromOriginal() {
        return architecture == null;
    }

    /** Whether every candidate neuron has a score: a tn run or a score dict, not a top-n list. */
    public boolean scored() {
        return scores != null;
    }

    private static DetectionOutput readRun(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a run folder (no such directory) nor one of the original "
                    + "implementation's ranking pickles (.pkl)");
        }
        RunJson run = RunJson.of(dir);
        String command = run.text("command");
        if (!command.equals("detect")) {
            throw new InputException(
                    run.file() + ": this is a '" + command + "' run; compare needs detection runs (tn detect)");
        }
        int nLayer = positive(run, "model.n_layer");
        int nFf = positive(run, "model.n_ff");
        long size = run.longInteger("model.size_bytes"), params = run.longInteger("model.n_params");
        if (size <= 0 || params <= 0) {
            throw new InputException(run.file()
                    + ": fields 'model.size_bytes' and 'model.n_params' must be positive, are " + size + " and "
                    + params);
        }
        return new DetectionOutput(dir, run.text("model.architecture"), nLayer, positive(run, "model.n_embd"), nFf,
                run.text("parameters.type"), run.text("parameters.lang"), run.text("parameters.layers"),
                run.text("model.file_type"), size, params, run.text("model.path"), run.text("model.sha256"),
                toDoubles(scores(dir, nLayer, nFf)), null, standardErrors(dir, nLayer, nFf), bootstrap(dir));
    }

    private static int positive(RunJson run, String field) {
        int v = run.integer(field);
        if (v < 1)
            throw new InputException(run.file() + ": field '" + field + "' is " + v + "; expected a positive count");
        return v;
    }

    private static float[] standardErrors(Path dir, int nLayer, int nFf) {
        Path npy = dir.resolve("scores_se.npy");
        if (!Files.exists(npy)) return null;
        float[] se = layerMatrix(npy, nLayer, nFf);
        for (int i = 0; i < se.length; i++) {
            if (se[i] < 0) { // a spread is never negative: the file is not what detect wrote
                throw new InputException(npy + ": standard error " + se[i] + " at layer " + i / nFf + ", neuron "
                        + i % nFf + "; a standard error is never negative");
            }
        }
        return se;
    }

    private static Bootstrap bootstrap(Path dir) {
        Path file = dir.resolve("stability.json");
        if (!Files.exists(file)) return null;
        JsonObject root;
        String text = InputFile.readString(file);
        try {
            JsonElement e = Json.parse(text);
            if (!e.isJsonObject()) throw new InputException("corrupt " + file + ": not a JSON object");
            root = e.getAsJsonObject();
            if (!root.has("bootstrap") || root.get("bootstrap").isJsonNull()) return null;
            JsonObject b = root.getAsJsonObject("bootstrap");
            Map<Integer, double[]> overlaps = new TreeMap<>();
            for (Map.Entry<String, JsonElement> k : b.getAsJsonObject("top_k_overlap").entrySet()) {
                JsonObject o = k.getValue().getAsJsonObject();
                overlaps.put(Integer.parseInt(k.getKey()),
                        new double[] {o.get("p5").getAsDouble(), o.get("median").getAsDouble()});
            }
            JsonObject rho = b.getAsJsonObject("spearman");
            return new Bootstrap(b.get("replicates").getAsInt(), rho.get("p5").getAsDouble(),
                    rho.get("median").getAsDouble(), overlaps);
        } catch (RuntimeException e) {
            throw new InputException("corrupt " + file + ": " + Json.problem(e), e);
        }
    }

    /** The model's bits per weight: file size over parameters (metadata included, as users see it on disk). */
    public double bitsPerWeight() {
        return nParams > 0 ? 8.0 * sizeBytes / nParams : Double.NaN;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    private static float[] scores(Path dir, int nLayer, int nFf) {
        Path npy = dir.resolve("scores.npy");
        if (!Files.exists(npy)) {
            throw new InputException(
                    Wording.of("missing {}: the detection run in {} did not finish (run its command again "
                                    + "with {resume})",
                            npy, dir));
        }
        return layerMatrix(npy, nLayer, nFf);
    }

    /**
     * A [n_layer, n_ff] float array of a detection (scores or their standard errors): NaN marks a
     * neuron outside the candidate layers; an infinite value is refused, since every figure made
     * from it (a rank correlation, a plot's axis) would be meaningless.
     */
    private static float[] layerMatrix(Path npy, int nLayer, int nFf) {
        Npy.Array a = Npy.readFloat32(npy);
        if (a.shape().length != 2 || a.shape()[0] != nLayer || a.shape()[1] != nFf) {
            throw new InputException(npy + ": shape " + Arrays.toString(a.shape()) + ", but run.json says the "
                    + "model has " + nLayer + " layers x " + nFf + " neurons");
        }
        float[] v = a.data();
        for (int i = 0; i < v.length; i++) {
            if (Float.isInfinite(v[i])) {
                throw new InputException(npy + ": " + v[i] + " at layer " + i / nFf + ", neuron " + i % nFf
                        + "; expected finite values (NaN outside the candidate layers)");
            }
        }
        return v;
    }
}
