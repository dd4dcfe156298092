package tn;

import org.junit.jupiter.api.Test;
import tn.analysis.PairSimilarity;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' one cosine: 0 (not NaN) for a zero vector, as tn's similarity and transfer scores have it. */
class CosineTest {
    @Test
    void aZeroVectorHasSimilarityZero() {
        float[] zero = new float[8], x = {1, -2, 3, 0, 0.5f, 7, -1, 2};
        assertEquals(0.0, Cosine.of(zero, x));
        assertEquals(0.0, Cosine.of(zero, zero));
        assertEquals(0.0, Cosine.of(new double[3], new double[] {1, 2, 3}));
        assertEquals(PairSimilarity.cosine(zero, 0, x, 0, 8), Cosine.of(zero, x));
    }

    @Test
    void equalsPairSimilarityAndIsOneForAScaledCopy() {
        SplittableRandom r = new SplittableRandom(3);
        float[] a = new float[64], b = new float[64];
        double[] u = new double[64], twice = new double[64];
        for (int j = 0; j < 64; j++) {
            a[j] = (float) r.nextGaussian();
            b[j] = (float) r.nextGaussian();
            u[j] = a[j];
            twice[j] = 2 * a[j];
        }
        assertEquals(PairSimilarity.cosine(a, 0, b, 0, 64), Cosine.of(a, b), 1e-15);
        assertEquals(1.0, Cosine.of(u, twice), 1e-15);
    }
}
