package tn.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA against data whose principal axes and variances are known exactly; centroid cosines against the formula. */
class PcaTest {
    static final double TOL = 1e-9;

    @Test
    void handComputedTwoDimensionalCase() {
        // (±2, 0) and (0, ±1), shifted: variance 8/3 along x, 2/3 along y (n - 1 = 3)
        float[] p = {12, 5, 8, 5, 10, 6, 10, 4};
        Pca pca = Pca.of(p, 4, 2, 2);
        assertArrayEquals(new double[] {8.0 / 3, 2.0 / 3}, pca.variances(), TOL);
        assertArrayEquals(new double[] {0.8, 0.2}, pca.explained(), TOL);
        assertArrayEquals(new double[] {1, 0}, pca.components()[0], TOL);
        assertArrayEquals(new double[] {0, 1}, pca.components()[1], TOL);
        assertArrayEquals(new double[] {2, 0}, pca.coordinates()[0], TOL);
        assertArrayEquals(new double[] {0, -1}, pca.coordinates()[3], TOL);
    }

    /** Points ±s_i a_i along orthonormal axes a_i, plus an offset: the sample covariance is sum 2 s_i^2 a_i a_i^T / (n-1). */
    @Test
    void recoversKnownAxesAndVariancesOnBothSides() {
        double[] s = {3, 2, 1, 0.5};
        for (int d : new int[] {6, 40}) { // d <= n = 8 (covariance) and d > n (Gram matrix)
            Random random = new Random(d);
            double[][] axes = orthonormal(s.length, d, random);
            double[] offset = random.doubles(d, -5, 5).toArray();
            int n = 2 * s.length;
            float[] p = new float[n * d];
            double[][] exact = new double[n][d];
            for (int i = 0; i < s.length; i++) {
                for (int j = 0; j < d; j++) {
                    // float points: offsets and axes rounded first, so that the expected values are the floats' own
                    float plus = (float) (offset[j] + s[i] * axes[i][j]);
                    float minus = (float) (offset[j] - s[i] * axes[i][j]);
                    p[(2 * i) * d + j] = plus;
                    p[(2 * i + 1) * d + j] = minus;
                    exact[2 * i][j] = plus;
                    exact[2 * i + 1][j] = minus;
                }
            }
            Pca pca = Pca.of(p, n, d, 3);
            double sumSq = 0;
            for (double v : s) sumSq += v * v;
            for (int c = 0; c < 3; c++) {
                assertEquals(2 * s[c] * s[c] / (n - 1), pca.variances()[c], 1e-5, "variance " + c + ", d " + d);
                assertEquals(s[c] * s[c] / sumSq, pca.explained()[c], 1e-6, "explained " + c + ", d " + d);
                double cos = Math.abs(dot(pca.components()[c], axes[c]));
                assertEquals(1.0, cos, 1e-6, "component " + c + " is axis " + c + " up to sign, d " + d);
                assertEquals(1.0, Math.sqrt(dot(pca.components()[c], pca.components()[c])), TOL);
                assertEquals(s[c], Math.abs(pca.coordinates()[2 * c][c]), 1e-5, "coordinate, d " + d);
                assertEquals(0.0, pca.coordinates()[2 * c][(c + 1) % 3], 1e-5, "off-axis coordinate, d " + d);
            }
            assertTrue(pca.explained()[0] > pca.explained()[1] && pca.explained()[1] > pca.explained()[2]);
        }
    }

    @Test
    void bothSidesAgree() {
        Random random = new Random(7);
        int n = 30;
        float[] wide = new float[n * 50];
        for (int i = 0; i < wide.length; i++) wide[i] = (float) (random.nextGaussian() * (1 + i % 50 / 10.0));
        Pca gram = Pca.of(wide, n, 50, 2); // d > n
        float[] twice = new float[2 * n * 50];
        System.arraycopy(wide, 0, twice, 0, wide.length);
        System.arraycopy(wide, 0, twice, wide.length, wide.length);
        Pca cov = Pca.of(twice, 2 * n, 50, 2); // the same points twice: 60 > d, the same directions
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(gram.components()[c], cov.components()[c], 1e-9, "component " + c);
            assertEquals(gram.explained()[c], cov.explained()[c], 1e-9);
            assertArrayEquals(gram.coordinates()[3], cov.coordinates()[3], 1e-9);
            assertArrayEquals(gram.coordinates()[3], cov.coordinates()[n + 3], 1e-9);
        }
    }

    @Test
    void componentsBeyondTheRankAreZero() {
        float[] p = {1, 1, 1, 3, 3, 3}; // two points: rank 1
        Pca pca = Pca.of(p, 2, 3, 2);
        assertEquals(1.0, pca.explained()[0], TOL);
        assertEquals(0.0, pca.explained()[1]);
        assertArrayEquals(new double[3], pca.components()[1]);
        assertThrows(IllegalArgumentException.class, () -> Pca.of(p, 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Pca.of(new float[] {1, 2}, 1, 2, 1));
    }

    @Test
    void centroidSimilarityIsTheCosine() {
        double[][] c = {{1, 2, 3}, {-2, 0.5, 4}, {0, 0, 1}, {0, 0, 0}};
        double[][] cos = CentroidSimilarity.of(c);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double direct = dot(c[a], c[b]) / Math.sqrt(dot(c[a], c[a]) * dot(c[b], c[b]));
                assertEquals(direct, cos[a][b], 1e-15, a + "," + b);
            }
            assertEquals(1.0, cos[a][a]);
            assertTrue(Double.isNaN(cos[a][3]), "a zero centroid has no direction");
        }
        assertEquals(-2 + 1 + 12, dot(c[0], c[1]));
    }

    static double[][] orthonormal(int m, int d, Random random) {
        double[][] v = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] x = random.doubles(d, -1, 1).toArray();
            for (int k = 0; k < i; k++) {
                double p = dot(x, v[k]);
                for (int j = 0; j < d; j++) x[j] -= p * v[k][j];
            }
            double norm = Math.sqrt(dot(x, x));
            for (int j = 0; j < d; j++) x[j] /= norm;
            v[i] = x;
        }
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
