package tn.method;

/**
 * A run's score sums kept in blocks of items (item i in block i mod B), each block with its item
 * count: sums[b][c] is the sum of candidate c's score over block b's items. Any weighting of the
 * blocks gives a mean over a sample of the items: all of them, half of them, a resample.
 */
public record BlockSums(double[][] sums, long[] counts) {
    public BlockSums {
        if (sums.length != counts.length || sums.length == 0) throw new IllegalArgumentException("one count per block");
    }

    public int blocks() {
        return sums.length;
    }

    public int candidates() {
        return sums[0].length;
    }

    public long items() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    /**
     * The mean over the blocks weighted by weight[b] (how many times block b is taken; null takes
     * every block once): sum of weighted sums over the weighted count, blocks added in order.
     */
    public double[] mean(int[] weight) {
        int nc = candidates();
        double[] total = new double[nc];
        long n = 0;
        for (int b = 0; b < blocks(); b++) {
            int w = weight == null ? 1 : weight[b];
            if (w == 0 || counts[b] == 0) continue;
            double[] s = sums[b];
            for (int c = 0; c < nc; c++) total[c] += w * s[c];
            n += w * counts[b];
        }
        if (n == 0) throw new IllegalStateException("no items in the blocks taken");
        for (int c = 0; c < nc; c++) total[c] /= n;
        return total;
    }

    /** The blocks with at least one item, in order. */
    public int[] nonEmpty() {
        int k = 0;
        for (long c : counts)
            if (c > 0) k++;
        int[] out = new int[k];
        k = 0;
        for (int b = 0; b < blocks(); b++)
            if (counts[b] > 0) out[k++] = b;
        return out;
    }

    /**
     * The standard error of each candidate's mean, from the spread of the blocks: with the K
     * non-empty blocks, block sums S_b of n_b items, N items and mean m,
     * SE^2 = K / (K - 1) * sum_b (S_b - m n_b)^2 / N^2 (the grouped, ratio-estimator variance; for
     * equal blocks, the variance of the block means over K). NaN with fewer than two blocks.
     */
    public double[] standardErrors() {
        int[] used = nonEmpty();
        int nc = candidates();
        double[] se = new double[nc];
        if (used.length < 2) {
            java.util.Arrays.fill(se, Double.NaN);
            return se;
        }
        double[] m = mean(null);
        double n = items(), k = used.length;
        for (int c = 0; c < nc; c++) {
            double ss = 0;
            for (int b : used) {
                double d = sums[b][c] - m[c] * counts[b];
                ss += d * d;
            }
            se[c] = Math.sqrt(k / (k - 1) * ss) / n;
        }
        return se;
    }
}
