package tn.method;

import tn.data.ReferencePickles;
import tn.io.InputException;
import tn.io.Npy;
import tn.llama.ModelInfo;

import java.nio.file.Path;

/** A centroid C_l per layer: nLayer x nEmbd, row-major, as centroids.npy stores it. */
public record Centroids(int nLayer, int nEmbd, float[] values) {
    public Centroids {
        if (values.length != (long) nLayer * nEmbd) {
            throw new IllegalArgumentException(values.length + " values for " + nLayer + " x " + nEmbd + " centroids");
        }
    }

    public double[] layer(int l) {
        double[] c = new double[nEmbd];
        for (int j = 0; j < nEmbd; j++) c[j] = values[l * nEmbd + j];
        return c;
    }

    public void write(Path file) {
        Npy.writeFloat32(file, values, nLayer, nEmbd);
    }

    /**
     * Reads centroids.npy, or the original implementation's pickle of them (a list of one vector per
     * layer, from the same last-token hidden states: layer l's output, the last after the final
     * norm), and checks that they fit the model.
     */
    public static Centroids read(Path file, ModelInfo model) {
        Npy.Array a = ReferencePickles.isPickle(file) ? fromPickle(file) : Npy.readFloat32(file);
        int[] shape = a.shape();
        if (shape.length != 2 || shape[0] != model.nLayer() || shape[1] != model.nEmbd()) {
            throw new InputException(file + ": centroids of shape " + java.util.Arrays.toString(shape) + " do not fit "
                    + model.path().getFileName() + ", which needs [" + model.nLayer() + ", " + model.nEmbd()
                    + "] (n_layer, n_embd)");
        }
        Centroids c = new Centroids(shape[0], shape[1], a.data());
        c.requireUsable(file.toString());
        return c;
    }

    /**
     * Refuses centroids no score can be computed against: a NaN or infinite value, or a layer whose
     * centroid is all zeros (the cosine with it is undefined, and every score would come out 0).
     * source names where they came from, for the message.
     */
    public void requireUsable(String source) {
        for (int l = 0; l < nLayer; l++) {
            boolean zero = true;
            for (int j = 0; j < nEmbd; j++) {
                float v = values[l * nEmbd + j];
                if (!Float.isFinite(v)) {
                    throw new InputException(source + ": the centroid of layer " + l + " holds " + v + " (element " + j
                            + "); centroids must be finite");
                }
                zero &= v == 0;
            }
            if (zero) {
                throw new InputException(source + ": the centroid of layer " + l + " is all zeros; a cosine with it is "
                        + "undefined and every transfer score would be 0");
            }
        }
    }

    private static Npy.Array fromPickle(Path file) {
        float[][] rows = ReferencePickles.readCentroids(file);
        float[] values = new float[rows.length * rows[0].length];
        for (int l = 0; l < rows.length; l++) System.arraycopy(rows[l], 0, values, l * rows[0].length, rows[0].length);
        return new Npy.Array(new int[] {rows.length, rows[0].length}, values);
    }
}
