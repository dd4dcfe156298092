package tn.analysis;

import java.util.Arrays;

/**
 * The effective dimensionality of a set of hidden states, as the original implementation's
 * svd.py measures it per language and layer: the singular values s of the n x d matrix X of the
 * states (one row per sentence, NOT mean-centred), the share of each component s_i^2 / sum s^2,
 * and for each threshold t the number of components that explain it,
 * <pre>
 *   k = searchsorted(cumsum(s^2 / sum s^2), t) + 1
 * </pre>
 * i.e. one more than the index of the first cumulative share at least t (NumPy's searchsorted,
 * side 'left'). The paper's thresholds are 0.90, 0.95 and 0.99.
 *
 * <p>s^2 are the eigenvalues of the Gram matrix of the smaller side, X X^T (n x n) when n <= d,
 * else X^T X (d x d), in double precision, found by {@link SymmetricEigenvalues} (tridiagonal
 * reduction and bisection), which cannot fail to converge: a QR eigensolver gave up on the
 * rank-deficient Gram matrices of states with repeated rows. The Gram route is chosen over an
 * SVD of X itself for speed (n^2 d / 2 multiply-adds over all cores, then 4/3 n^3, against
 * about 4 n^2 d single-threaded for a bidiagonalisation: 5 times the work at 1000 x 4096), at no
 * cost to what is measured: squaring blurs only the s^2 below about m eps s_max^2, a share of
 * sum s^2 too small to move a cumulative share across 0.90, 0.95 or 0.99 (unless it lies within
 * that much of one). Tiny negative eigenvalues of a rank-deficient matrix (rounding) count as 0.
 * A matrix of zeros explains nothing: 0 components.
 */
public final class EffectiveDimensionality {
    /** The original's thresholds. */
    public static final double[] THRESHOLDS = {0.90, 0.95, 0.99};

    private EffectiveDimensionality() {}

    /** The component count for each threshold, for the n x d row-major matrix rows. */
    public static int[] components(float[] rows, int n, int d, double... thresholds) {
        return components(squaredSingularValues(rows, n, d), thresholds);
    }

    /** For each threshold t in (0, 1), searchsorted(cumsum(s2 / sum s2), t) + 1; s2 in decreasing order. */
    public static int[] components(double[] s2, double... thresholds) {
        double total = 0;
        for (double v : s2) total += v;
        int[] k = new int[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            if (!(thresholds[t] > 0 && thresholds[t] < 1))
                throw new IllegalArgumentException("a threshold must lie in (0, 1), is " + thresholds[t]);
            if (total == 0) continue;
            double cumulative = 0;
            int i = 0;
            // cumsum of the ratios, in the original's order of operations
            while (i < s2.length && (cumulative += s2[i] / total) < thresholds[t]) i++;
            k[t] = i + 1;
        }
        return k;
    }

    /** The squared singular values of the n x d matrix rows (not centred), decreasing; min(n, d) of them. */
    public static double[] squaredSingularValues(float[] rows, int n, int d) {
        if (n < 1 || d < 1 || (long) n * d != rows.length) {
            throw new IllegalArgumentException(rows.length + " values are not " + n + " rows of " + d);
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rows[i * d + j];
                if (!Double.isFinite(x[i][j]))
                    throw new IllegalArgumentException("state " + i + " has " + x[i][j] + " at dimension " + j);
            }
        }
        double[][] gram = GramMatrix.of(n <= d ? x : GramMatrix.transpose(x), 1);
        double[] increasing = SymmetricEigenvalues.of(gram);
        Arrays.sort(increasing); // bisected one by one, so only nearly in order
        int m = increasing.length;
        double[] values = new double[m];
        for (int i = 0; i < m; i++) values[i] = Math.max(0, increasing[m - 1 - i]);
        return values;
    }
}
