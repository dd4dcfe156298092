package tn.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Principal component analysis of n points in d dimensions (mean-centred, not scaled): the top k
 * components, the share of the total variance each explains, and the points' coordinates on them.
 *
 * <p>The eigenproblem is solved on the smaller side, with Apache Commons Math (as an SVD, see
 * {@link Eigen}): the d x d
 * covariance when d <= n, else the n x n Gram matrix of the centred points, whose eigenvectors
 * map onto the covariance's (v = X^T u / sqrt((n-1) lambda)). Cost: building that matrix,
 * n d min(n, d) multiply-adds (spread over the cores), then O(min(n, d)^3) for the
 * decomposition, which is single-threaded: measured 7-9 s for 1000 points of 896 dimensions and
 * 16-17 s for 1000 of 4096 on this project's machine, minutes for 5000.
 * Memory: the centred points (n d doubles) and the min(n, d)^2 matrix.
 *
 * <p>Signs of components are arbitrary in PCA; each is fixed here so that its entry of largest
 * magnitude is positive, which makes results reproducible. Components beyond the data's rank
 * (variance 0) are zero vectors with coordinates 0.
 *
 * @param components  k x d, row i the i-th component (unit length), by decreasing variance
 * @param variances   the variance along each component (eigenvalues of the covariance, n-1 denominator)
 * @param explained   each component's variance over the total variance (0 when the total is 0)
 * @param coordinates n x k, the centred points projected on the components
 */
public record Pca(double[][] components, double[] variances, double[] explained, double[][] coordinates) {
    private static final double RANK_TOLERANCE = 1e-12;

    /** The top k components of the n x d row-major matrix points. */
    public static Pca of(float[] points, int n, int d, int k) {
        if (n < 2) throw new IllegalArgumentException("PCA needs at least 2 points, has " + n);
        if (d < 1 || (long) n * d != points.length) {
            throw new IllegalArgumentException(
                    points.length + " values are not " + n + " points of " + d + " dimensions");
        }
        if (k < 1 || k > Math.min(n, d))
            throw new IllegalArgumentException("k must be 1.." + Math.min(n, d) + ", is " + k);
        double[][] x = centred(points, n, d);
        double total = IntStream.range(0, n).parallel().mapToDouble(i -> GramMatrix.dot(x[i], x[i])).sum() / (n - 1);
        return d <= n ? viaCovariance(x, n, k, total) : viaGram(x, n, d, k, total);
    }

    private static double[][] centred(float[] points, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) mean[j] += points[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i][j] = points[i * d + j] - mean[j];
        }
        return x;
    }

    private static Pca viaCovariance(double[][] x, int n, int k, double total) {
        double[][] cov = GramMatrix.of(GramMatrix.transpose(x), n - 1);
        Eigen e = Eigen.top(cov, k);
        double[][] components = new double[k][];
        for (int c = 0; c < k; c++) components[c] = e.vectors[c].clone();
        return finish(x, components, e.values, total);
    }

    private static Pca viaGram(double[][] x, int n, int d, int k, double total) {
        Eigen e = Eigen.top(GramMatrix.of(x, n - 1), k);
        double[][] components = new double[k][d];
        for (int c = 0; c < k; c++) {
            if (e.values[c] <= RANK_TOLERANCE * Math.max(total, Double.MIN_NORMAL)) continue;
            double scale = 1 / Math.sqrt((n - 1) * e.values[c]);
            double[] u = e.vectors[c];
            for (int i = 0; i < n; i++) {
                double w = u[i] * scale;
                for (int j = 0; j < d; j++) components[c][j] += w * x[i][j];
            }
        }
        return finish(x, components, e.values, total);
    }

    private static Pca finish(double[][] x, double[][] components, double[] values, double total) {
        int k = components.length;
        double[] variances = new double[k];
        double[] explained = new double[k];
        for (int c = 0; c < k; c++) {
            boolean inRank = values[c] > RANK_TOLERANCE * Math.max(total, Double.MIN_NORMAL);
            if (!inRank) Arrays.fill(components[c], 0);
            variances[c] = inRank ? values[c] : 0;
            explained[c] = total > 0 ? variances[c] / total : 0;
            fixSign(components[c]);
        }
        double[][] coordinates = IntStream.range(0, x.length)
                                         .parallel()
                                         .mapToObj(i -> {
                                             double[] row = new double[k];
                                             for (int c = 0; c < k; c++) row[c] = GramMatrix.dot(x[i], components[c]);
                                             return row;
                                         })
                                         .toArray(double[][] ::new);
        return new Pca(components, variances, explained, coordinates);
    }

    private static void fixSign(double[] v) {
        int big = 0;
        for (int j = 1; j < v.length; j++)
            if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
        if (v[big] < 0)
            for (int j = 0; j < v.length; j++) v[j] = -v[j];
    }

    /**
     * The k largest eigenvalues of a symmetric positive semi-definite matrix and their unit
     * eigenvectors, largest first. For such a matrix the singular value decomposition is the
     * eigendecomposition; Commons Math's SVD is used because its EigenDecomposition fails to
     * converge ("convergence failed") on the rank-deficient covariances of real hidden states
     * (repeated last tokens give repeated rows).
     */
    private record Eigen(double[] values, double[][] vectors) {
        static Eigen top(double[][] symmetric, int k) {
            SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(symmetric, false));
            double[] all = svd.getSingularValues(); // decreasing
            RealMatrix u = svd.getU();
            double[] values = new double[k];
            double[][] vectors = new double[k][];
            for (int c = 0; c < k; c++) {
                values[c] = all[c];
                vectors[c] = u.getColumn(c);
            }
            return new Eigen(values, vectors);
        }
    }
}
