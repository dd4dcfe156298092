package tn.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tridiagonal reduction and bisection against closed forms and against Commons Math. */
class SymmetricEigenvaluesTest {
    /** The second-difference matrix (2 on the diagonal, -1 beside it): eigenvalues 2 - 2 cos(k pi / (m + 1)). */
    @Test
    void theSecondDifferenceMatrixInClosedForm() {
        int m = 60;
        double[] diagonal = new double[m], off = new double[m - 1];
        Arrays.fill(diagonal, 2);
        Arrays.fill(off, -1);
        double[] expected = new double[m];
        for (int k = 1; k <= m; k++) expected[k - 1] = 2 - 2 * Math.cos(k * Math.PI / (m + 1));
        assertArrayEquals(expected, SymmetricEigenvalues.ofTridiagonal(diagonal, off), 1e-14);
        // the same as a full matrix, through the Householder reduction
        double[][] full = new double[m][m];
        for (int i = 0; i < m; i++) {
            full[i][i] = 2;
            if (i > 0) full[i][i - 1] = full[i - 1][i] = -1;
        }
        assertArrayEquals(expected, SymmetricEigenvalues.of(full), 1e-13);
    }

    /** Zeros, a 1 x 1 matrix, and eigenvalues repeated many times (the Gram matrix of equal rows). */
    @Test
    void degenerateMatrices() {
        // within the smallest pivot a Sturm count divides by, 2.2e-308
        assertArrayEquals(new double[7], SymmetricEigenvalues.of(new double[7][7]), 4 * Double.MIN_NORMAL);
        assertArrayEquals(new double[] {-3.5}, SymmetricEigenvalues.of(new double[][] {{-3.5}}));
        int m = 40;
        double[][] ones = new double[m][m]; // rank 1: eigenvalue m once, 0 m - 1 times
        for (double[] row : ones) Arrays.fill(row, 1);
        double[] values = SymmetricEigenvalues.of(ones);
        for (int i = 0; i < m - 1; i++) assertEquals(0, values[i], 1e-13 * m, "value " + i);
        assertEquals(m, values[m - 1], 1e-13 * m);
    }

    /** Random symmetric matrices, indefinite, against Commons Math's eigendecomposition. */
    @Test
    void randomMatricesAgainstCommonsMath() {
        SplittableRandom random = new SplittableRandom(11);
        for (int m : new int[] {2, 3, 17, 64}) {
            double[][] a = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++)
                    a[i][j] = a[j][i] = random.nextGaussian() * Math.exp(random.nextDouble() * 4);
            }
            double[] expected = new EigenDecomposition(new Array2DRowRealMatrix(a)).getRealEigenvalues();
            Arrays.sort(expected);
            double scale = Math.max(Math.abs(expected[0]), Math.abs(expected[m - 1]));
            double[] ours = SymmetricEigenvalues.of(a);
            for (int i = 0; i < m; i++) assertEquals(expected[i], ours[i], 1e-13 * scale, m + "x" + m + " value " + i);
        }
    }
}
