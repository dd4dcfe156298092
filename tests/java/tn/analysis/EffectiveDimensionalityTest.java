package tn.analysis;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.io.InputFile;
import tn.io.Json;
import tn.io.Npy;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * svd.py's component counts: worked out by hand, against Commons Math's SVD of the matrix itself,
 * and against NumPy's np.linalg.svd on the fixtures of tests/data/svd (make_fixtures.py).
 */
class EffectiveDimensionalityTest {
    static final Path FIXTURES = Path.of("tests/data/svd");

    /**
     * States NumPy decomposed: rank-deficient, repeated and duplicated rows, zeros, entries and rows
     * spanning 1e-6..1e6, random wide and tall. Every s^2 equals NumPy's to 1e-12 of the largest
     * (float64 SVD is itself only that accurate: eps * s_max on each s), and every component count
     * equals NumPy's, except for the zeros, whose 0/0 shares NumPy's searchsorted places at k = 1
     * where tn reports 0: zeros explain nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"random_wide", "random_tall", "rank_deficient", "repeated_row", "duplicated_rows",
            "zeros", "wide_range_entries", "wide_range_rows"})
    void numpysFigures(String name) {
        JsonObject expected = Json.parse(InputFile.readString(FIXTURES.resolve("expected.json")))
                                      .getAsJsonObject()
                                      .getAsJsonObject("cases")
                                      .getAsJsonObject(name);
        Npy.Array states = Npy.readFloat32(FIXTURES.resolve(name + ".npy"));
        int n = states.shape()[0], d = states.shape()[1];
        double[] numpy = doubles(expected.getAsJsonArray("s2"));
        double[] ours = EffectiveDimensionality.squaredSingularValues(states.data(), n, d);
        assertEquals(numpy.length, ours.length);
        for (int i = 0; i < ours.length; i++) assertEquals(numpy[i], ours[i], 1e-12 * numpy[0], name + " s^2 " + i);
        int[] counts = EffectiveDimensionality.components(states.data(), n, d, EffectiveDimensionality.THRESHOLDS);
        int[] numpyCounts =
                expected.getAsJsonArray("components").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        if (name.equals("zeros")) {
            assertArrayEquals(new int[] {1, 1, 1}, numpyCounts);
            assertArrayEquals(new int[] {0, 0, 0}, counts);
        } else {
            assertArrayEquals(numpyCounts, counts, name);
        }
    }

    /**
     * The crash of tn latent ("the symmetric eigensolver did not converge"): 44 copies of one state,
     * whose Gram matrix of rank 1 EJML's symmetric QR eigensolver gives up on (checked here, so the
     * fixture keeps reproducing it), while the bisection finds NumPy's s^2 = |x|^2 * 44, then zeros.
     */
    @Test
    void repeatedStatesThatStoppedTheQrEigensolver() {
        Npy.Array states = Npy.readFloat32(FIXTURES.resolve("repeated_row.npy"));
        int n = states.shape()[0], d = states.shape()[1];
        double[][] gram = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < d; j++) gram[a][b] += (double) states.data()[a * d + j] * states.data()[b * d + j];
            }
        }
        assertFalse(DecompositionFactory_DDRM.eig(n, false, true).decompose(new DMatrixRMaj(gram)),
                "EJML's QR eigensolver no longer fails here: the fixture lost its point");
        double[] s2 = EffectiveDimensionality.squaredSingularValues(states.data(), n, d);
        double norm2 = 0;
        for (int j = 0; j < d; j++) norm2 += (double) states.data()[j] * states.data()[j];
        assertEquals(n * norm2, s2[0], 1e-12 * n * norm2);
        for (int i = 1; i < n; i++) assertTrue(s2[i] <= 1e-12 * s2[0], "s^2 " + i + " = " + s2[i]);
    }

    private static double[] doubles(JsonArray a) {
        return a.asList().stream().mapToDouble(e -> e.getAsDouble()).toArray();
    }
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
