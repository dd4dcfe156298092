package tn.analysis;

import java.util.stream.IntStream;

/**
 * The m x m matrix of dot products of m rows (over a divisor), computed once per pair and mirrored
 * so that it is exactly symmetric; the rows run in parallel. Serves the eigenproblems of PCA and
 * of the effective dimensionality.
 */
final class GramMatrix {
    private GramMatrix() {}

    static double[][] of(double[][] rows, double divisor) {
        int m = rows.length;
        double[][] out = new double[m][m];
        IntStream.range(0, m).parallel().forEach(a -> {
            for (int b = a; b < m; b++) out[a][b] = dot(rows[a], rows[b]) / divisor;
        });
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) out[a][b] = out[b][a];
        }
        return out;
    }

    static double[][] transpose(double[][] x) {
        int n = x.length, d = n == 0 ? 0 : x[0].length;
        double[][] t = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) t[j][i] = x[i][j];
        }
        return t;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
