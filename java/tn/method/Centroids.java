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
            throw new InputException(file + ": centroids of shape " + java.util.Arrays.toString(shape)
                    + " do not fit " + model.path().getFileName() + ", which needs [" + model.nLayer() + ", "
                    + model.nEmbd() + "] (n_layer, n_embd)");
        }
        for (float v : a.data()) {
            if (!Float.isFinite(v)) throw new InputException(file + ": centroids contain NaN or infinite values");
        }
        return new Centroids(shape[0], shape[1], a.data());
    }

    private static Npy.Array fromPickle(Path file) {
        float[][] rows = ReferencePickles.readCentroids(file);
        float[] values = new float[rows.length * rows[0].length];
        for (int l = 0; l < rows.length; l++) System.arraycopy(rows[l], 0, values, l * rows[0].length, rows[0].length);
        return new Npy.Array(new int[] {rows.length, rows[0].length}, values);
    }
}
