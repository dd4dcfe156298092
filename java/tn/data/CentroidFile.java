package tn.data;

import tn.io.InputException;
import tn.io.Npy;
import tn.llama.ModelInfo;
import tn.method.Centroids;

import java.nio.file.Path;
import java.util.Arrays;

/** A centroids file a detection reads: tn's centroids.npy, or the original implementation's pickle of them. */
public final class CentroidFile {
    private CentroidFile() {}

    /**
     * Reads centroids.npy, or the original implementation's pickle of them (a list of one vector per
     * layer, from the same last-token hidden states: layer l's output, the last after the final
     * norm), and checks that they fit the model.
     */
    public static Centroids read(Path file, ModelInfo model) {
        Npy.Array a = ReferencePickles.isPickle(file) ? fromPickle(file) : Npy.readFloat32(file);
        int[] shape = a.shape();
        if (shape.length != 2 || shape[0] != model.nLayer() || shape[1] != model.nEmbd()) {
            throw new InputException(file + ": centroids of shape " + Arrays.toString(shape) + " do not fit "
                    + model.path().getFileName() + ", which needs [" + model.nLayer() + ", " + model.nEmbd()
                    + "] (n_layer, n_embd)");
        }
        Centroids c = new Centroids(shape[0], shape[1], a.data());
        c.requireUsable(file.toString());
        return c;
    }

    private static Npy.Array fromPickle(Path file) {
        float[][] rows = ReferencePickles.readCentroids(file);
        float[] values = new float[rows.length * rows[0].length];
        for (int l = 0; l < rows.length; l++) System.arraycopy(rows[l], 0, values, l * rows[0].length, rows[0].length);
        return new Npy.Array(new int[] {rows.length, rows[0].length}, values);
    }
}
