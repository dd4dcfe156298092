package tn.compare;

import tn.io.InputException;
import tn.io.Npy;
import tn.run.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A finished `tn detect` run read back from its folder: the model it ran on (from run.json) and
 * the mean transfer score of every neuron (scores.npy, NaN outside the candidate layers).
 */
public record DetectionOutput(Path dir, String architecture, int nLayer, int nEmbd, int nFf, String type,
                              String lang, String layers, String fileType, long sizeBytes, long nParams,
                              String modelPath, String modelSha256, float[] scores) {

    public static DetectionOutput read(Path dir) {
        if (!Files.isDirectory(dir)) throw new InputException(dir + " is not a run folder (no such directory)");
        RunJson run = RunJson.of(dir);
        String command = run.text("command");
        if (!command.equals("detect")) {
            throw new InputException(run.file() + ": this is a '" + command + "' run; compare needs detection runs (tn detect)");
        }
        int nLayer = run.integer("model.n_layer");
        int nFf = run.integer("model.n_ff");
        return new DetectionOutput(dir, run.text("model.architecture"), nLayer, run.integer("model.n_embd"), nFf,
                run.text("parameters.type"), run.text("parameters.lang"), run.text("parameters.layers"),
                run.text("model.file_type"), run.longInteger("model.size_bytes"), run.longInteger("model.n_params"),
                run.text("model.path"), run.text("model.sha256"), scores(dir, nLayer, nFf));
    }

    /** The model's bits per weight: file size over parameters (metadata included, as users see it on disk). */
    public double bitsPerWeight() {
        return nParams > 0 ? 8.0 * sizeBytes / nParams : Double.NaN;
    }

    private static float[] scores(Path dir, int nLayer, int nFf) {
        Path npy = dir.resolve("scores.npy");
        if (!Files.isRegularFile(npy)) {
            throw new InputException("missing " + npy + ": the detection run in " + dir + " did not finish "
                    + "(resume it with tn detect ... --resume)");
        }
        Npy.Array a = Npy.readFloat32(npy);
        if (a.shape().length != 2 || a.shape()[0] != nLayer || a.shape()[1] != nFf) {
            throw new InputException(npy + ": shape " + Arrays.toString(a.shape()) + ", but run.json says the "
                    + "model has " + nLayer + " layers x " + nFf + " neurons");
        }
        return a.data();
    }
}
