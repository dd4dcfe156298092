package tn.analysis;

/** Cosine similarities between centroids (one per language): a symmetric matrix with 1 on the diagonal. */
public final class CentroidSimilarity {
    private CentroidSimilarity() {}

    /**
     * cos(c_a, c_b) for every pair of the given centroids (rows of equal length); NaN where a
     * centroid is the zero vector, whose direction is undefined.
     */
    public static double[][] of(double[][] centroids) {
        int g = centroids.length;
        double[] norms = new double[g];
        for (int a = 0; a < g; a++) {
            if (centroids[a].length != centroids[0].length) {
                throw new IllegalArgumentException(
                        "centroid " + a + " has " + centroids[a].length + " values, centroid 0 " + centroids[0].length);
            }
            norms[a] = Math.sqrt(dot(centroids[a], centroids[a]));
        }
        double[][] cos = new double[g][g];
        for (int a = 0; a < g; a++) {
            for (int b = a; b < g; b++) {
                double c = norms[a] == 0 || norms[b] == 0 ? Double.NaN
                        : a == b                          ? 1.0
                                                          : dot(centroids[a], centroids[b]) / (norms[a] * norms[b]);
                cos[a][b] = c;
                cos[b][a] = c;
            }
        }
        return cos;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
