package tn.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** svd.py's component counts: worked out by hand, and against Commons Math's SVD of the matrix itself. */
class EffectiveDimensionalityTest {
    /**
     * Rows (3,0,0,0), (0,2,0,0), (0,0,1,0): s^2 = 9, 4, 1 of 14; cumulative 9/14 = 0.643, 13/14 = 0.929, 1.
     * 90%: index 1, k = 2. 95% and 99%: index 2, k = 3.
     */
    @Test
    void aDiagonalMatrixByHand() {
        float[] x = {3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0};
        assertArrayEquals(new double[] {9, 4, 1}, EffectiveDimensionality.squaredSingularValues(x, 3, 4), 1e-12);
        assertArrayEquals(
                new int[] {2, 3, 3}, EffectiveDimensionality.components(x, 3, 4, EffectiveDimensionality.THRESHOLDS));
        // the same states as columns: the d x d side of the Gram matrix
        float[] t = {3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0};
        assertArrayEquals(new double[] {9, 4, 1}, EffectiveDimensionality.squaredSingularValues(t, 4, 3), 1e-12);
    }

    /** s^2 = 9, 1: the first share is exactly 0.9, which searchsorted (side 'left') finds at index 0. */
    @Test
    void aShareEqualToTheThresholdIsEnough() {
        assertArrayEquals(
                new int[] {1, 2, 2}, EffectiveDimensionality.components(new double[] {9, 1}, 0.9, 0.95, 0.99));
        assertArrayEquals(new int[] {0, 0, 0}, EffectiveDimensionality.components(new float[6], 2, 3, 0.9, 0.95, 0.99),
                "zeros explain nothing");
        assertThrows(IllegalArgumentException.class, () -> EffectiveDimensionality.components(new double[] {1}, 1.0));
    }

    /**
     * Random matrices, wide and tall, with a decaying spectrum and repeated rows (sentences with
     * the same last token give the same embedding): s^2 and every count equal those of Commons
     * Math's SVD of X itself, the route svd.py takes with NumPy.
     */
    @Test
    void randomMatricesAgainstADirectSvd() {
        SplittableRandom random = new SplittableRandom(5);
        int[][] shapes = {{30, 64}, {64, 30}, {50, 50}, {7, 200}, {120, 16}};
        for (int[] shape : shapes) {
            int n = shape[0], d = shape[1];
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                if (i % 5 == 4) { // a repeated row: rank below min(n, d)
                    System.arraycopy(x, (i - 1) * d, x, i * d, d);
                    continue;
                }
                for (int j = 0; j < d; j++)
                    x[i * d + j] = (float) ((random.nextDouble() - 0.3) * Math.exp(-0.15 * j) + 0.05);
            }
            double[] ours = EffectiveDimensionality.squaredSingularValues(x, n, d);
            double[][] m = new double[n][d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) m[i][j] = x[i * d + j];
            double[] s = new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues();
            assertEquals(Math.min(n, d), ours.length);
            for (int i = 0; i < ours.length; i++) {
                assertEquals(s[i] * s[i], ours[i], 1e-10 * s[0] * s[0], n + "x" + d + " value " + i);
            }
            double[] s2 = new double[s.length];
            for (int i = 0; i < s.length; i++) s2[i] = s[i] * s[i];
            for (double t : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
                int expected = naiveCount(s2, t);
                assertEquals(expected, EffectiveDimensionality.components(x, n, d, t)[0], n + "x" + d + " at " + t);
            }
        }
    }

    /** The smallest k whose top-k share of sum s^2 reaches t, by summing the top k afresh for each k. */
    static int naiveCount(double[] s2, double t) {
        double total = 0;
        for (double v : s2) total += v;
        for (int k = 1; k <= s2.length; k++) {
            double top = 0;
            for (int i = 0; i < k; i++) top += s2[i];
            if (top / total >= t) return k;
        }
        return s2.length + 1;
    }
}
