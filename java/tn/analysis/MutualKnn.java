package tn.analysis;

/**
 * Mutual k-nearest-neighbour alignment of two spaces over the same items (docs/method.md, mutual k-nearest neighbours):
 * each vector is L2-normalised; item j's neighbours are the k other items of largest dot product,
 * ties to the lower index; the score is the mean over j of |kNN_a(j) and kNN_b(j) in common| / k.
 * Vectors are rows of n x width float arrays.
 */
public final class MutualKnn {
    private MutualKnn() {}

    /** The alignment of a and b, in [0, 1]: 1 when every item has the same neighbours in both. */
    public static double score(float[] a, float[] b, int width, int k) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "the two spaces differ in size: " + a.length + " and " + b.length + " floats");
        }
        int[][] na = neighbours(a, width, k), nb = neighbours(b, width, k);
        long shared = 0;
        for (int j = 0; j < na.length; j++) {
            for (int x : na[j]) {
                for (int y : nb[j]) {
                    if (x == y) shared++;
                }
            }
        }
        return (double) shared / ((long) na.length * k);
    }

    /** Each item's k nearest other items, nearest first. */
    static int[][] neighbours(float[] x, int width, int k) {
        if (width < 1 || x.length % width != 0) {
            throw new IllegalArgumentException(x.length + " floats are not rows of width " + width);
        }
        int n = x.length / width;
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be 1.." + (n - 1) + " (less than the " + n + " items), is " + k);
        }
        if ((long) n * n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(n + " items are too many to compare all pairs of");
        double[] gram = gram(normalised(x, width), n, width);
        int[][] out = new int[n][];
        for (int j = 0; j < n; j++) out[j] = nearest(gram, n, j, k);
        return out;
    }

    /** The k best of row j of the dot products, j itself left out; an insertion sort keeps them. */
    private static int[] nearest(double[] gram, int n, int j, int k) {
        int[] best = new int[k];
        double[] dot = new double[k];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (i == j) continue;
            double d = gram[j * n + i];
            if (kept == k && !(d > dot[k - 1])) continue; // i ascends: an equal dot loses to the lower index
            int p = kept < k ? kept++ : k - 1;
            while (p > 0 && d > dot[p - 1]) {
                best[p] = best[p - 1];
                dot[p] = dot[p - 1];
                p--;
            }
            best[p] = i;
            dot[p] = d;
        }
        return best;
    }

    /** Rows scaled to unit length, in double; an all-zero row stays zero (dot 0 with everything). */
    private static double[] normalised(float[] x, int width) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length; r += width) {
            double sq = 0;
            for (int c = 0; c < width; c++) sq += (double) x[r + c] * x[r + c];
            double scale = sq == 0 ? 0 : 1 / Math.sqrt(sq);
            for (int c = 0; c < width; c++) out[r + c] = x[r + c] * scale;
        }
        return out;
    }

    /** All dot products, n x n; computed once per unordered pair, so that gram[i][j] == gram[j][i] exactly. */
    private static double[] gram(double[] x, int n, int width) {
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = 0;
                for (int c = 0; c < width; c++) d += x[i * width + c] * x[j * width + c];
                g[i * n + j] = d;
                g[j * n + i] = d;
            }
        }
        return g;
    }
}
