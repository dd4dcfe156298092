package tn.method;

import tn.io.InputException;
import tn.io.Npy;

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
}
