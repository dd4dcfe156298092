package tn.analysis;

import tn.method.Accumulator;

/**
 * The mean and standard deviation of cos(u(en), u(L2)) over parallel pairs and over
 * non-parallel pairs, for several channels at once: a channel is one kind of vector at one
 * layer (hidden state h_l, or MLP activation a_l), so one pass serves both measures of
 * docs/method.md's representation similarity at every layer.
 *
 * <p>Non-parallel pairs are either given (a file of their own, added with {@link #addNonParallel})
 * or come without running any sentence twice: the pairs are processed in a seeded random order,
 * and the English side of each pair is matched with the L2 side of the next, the last with the
 * first. Every sentence then gets a partner other than its own translation, and only the previous
 * English vectors and the first L2 vectors need keeping; they live in the sums, so that a
 * checkpoint keeps them too.
 */
public final class PairSimilarity extends Accumulator {
    private static final int PAR_SUM = 0, PAR_SQ = 1, NON_SUM = 2, NON_SQ = 3, STATS = 4;

    private final int[] widths;
    private final boolean givenNonParallel;
    private final int parallelCount, nonParallelCount; // slots of sums
    private final int[] previousEn; // offset of each channel's carried English vector
    private final int[] firstL2; // and of its first L2 vector

    /** givenNonParallel: the non-parallel pairs come from {@link #addNonParallel}, not from the shuffle. */
    public PairSimilarity(int[] widths, boolean givenNonParallel) {
        super(size(widths));
        this.widths = widths.clone();
        this.givenNonParallel = givenNonParallel;
        this.previousEn = new int[widths.length];
        this.firstL2 = new int[widths.length];
        int offset = widths.length * STATS;
        parallelCount = offset++;
        nonParallelCount = offset++;
        for (int c = 0; c < widths.length; c++) {
            previousEn[c] = offset;
            firstL2[c] = offset + widths[c];
            offset += 2 * widths[c];
        }
    }

    private static int size(int[] widths) {
        long n = widths.length * (long) STATS + 2;
        for (int w : widths) n += 2L * w;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many channels");
        return (int) n;
    }

    /**
     * Adds the pairs of one batch, in processing order: en[c] and l2[c] hold channel c's vectors of
     * the batch's pairs one after another (sentences x widths[c]).
     */
    public void add(float[][] en, float[][] l2, int sentences) {
        for (int s = 0; s < sentences; s++) {
            boolean first = sums[parallelCount] == 0;
            for (int c = 0; c < widths.length; c++) {
                int w = widths[c];
                double par = cosine(en[c], s * w, l2[c], s * w, w);
                sums[c * STATS + PAR_SUM] += par;
                sums[c * STATS + PAR_SQ] += par * par;
                if (givenNonParallel) continue;
                if (first) {
                    keep(l2[c], s * w, firstL2[c], w);
                } else {
                    addNonParallel(c, cosine(carried(previousEn[c], w), 0, l2[c], s * w, w));
                }
                keep(en[c], s * w, previousEn[c], w);
            }
            sums[parallelCount]++;
            if (!givenNonParallel && !first) sums[nonParallelCount]++;
        }
        count += sentences;
    }

    /** Adds given non-parallel pairs, laid out as for {@link #add}. */
    public void addNonParallel(float[][] en, float[][] l2, int sentences) {
        if (!givenNonParallel) throw new IllegalStateException("the non-parallel pairs come from the shuffle");
        for (int s = 0; s < sentences; s++) {
            for (int c = 0; c < widths.length; c++) {
                addNonParallel(c, cosine(en[c], s * widths[c], l2[c], s * widths[c], widths[c]));
            }
            sums[nonParallelCount]++;
        }
        count += sentences;
    }

    private void addNonParallel(int c, double cos) {
        sums[c * STATS + NON_SUM] += cos;
        sums[c * STATS + NON_SQ] += cos * cos;
    }

    /**
     * Adds the next shard's state: its statistics, and the non-parallel pair that joins the two
     * (this part's last English with the next part's first L2), which the shuffle's chain forms
     * when one process runs both. The chain then goes on from the next part's last English.
     */
    @Override
    public void merge(double[] next, long nextCount) {
        if (givenNonParallel || next[parallelCount] == 0) {
            super.merge(next, nextCount); // the carried vectors are unused, or the next part has none
            return;
        }
        if (sums[parallelCount] == 0) {
            restore(next, count + nextCount); // nothing here yet: the next part's state is the whole
            return;
        }
        for (int c = 0; c < widths.length; c++) {
            int w = widths[c];
            addNonParallel(c, cosine(carried(sums, previousEn[c], w), 0, carried(next, firstL2[c], w), 0, w));
        }
        sums[nonParallelCount]++;
        for (int i = 0; i <= nonParallelCount; i++) sums[i] += next[i];
        for (int c = 0; c < widths.length; c++) System.arraycopy(next, previousEn[c], sums, previousEn[c], widths[c]);
        count += nextCount;
    }

    /** Means and population standard deviations per channel, over the pairs of each kind. */
    public record Result(double[] parallelMean, double[] parallelStd, double[] nonParallelMean, double[] nonParallelStd,
            long parallelPairs, long nonParallelPairs) {}

    /** The statistics, once every pair is in; closes the shuffle's cycle (the last English with the first L2). */
    public Result result() {
        long par = (long) sums[parallelCount];
        if (par < 2 && !givenNonParallel)
            throw new IllegalStateException("non-parallel pairs need at least 2 pairs, have " + par);
        if (par < 1 || (givenNonParallel && sums[nonParallelCount] < 1)) throw new IllegalStateException("no pairs");
        int n = widths.length;
        double[] parMean = new double[n], parStd = new double[n], nonMean = new double[n], nonStd = new double[n];
        long non = (long) sums[nonParallelCount] + (givenNonParallel ? 0 : 1);
        for (int c = 0; c < n; c++) {
            int w = widths[c];
            double wrap = givenNonParallel ? 0 : cosine(carried(previousEn[c], w), 0, carried(firstL2[c], w), 0, w);
            double nonSum = sums[c * STATS + NON_SUM] + wrap, nonSq = sums[c * STATS + NON_SQ] + wrap * wrap;
            parMean[c] = sums[c * STATS + PAR_SUM] / par;
            parStd[c] = std(sums[c * STATS + PAR_SUM], sums[c * STATS + PAR_SQ], par);
            nonMean[c] = nonSum / non;
            nonStd[c] = std(nonSum, nonSq, non);
        }
        return new Result(parMean, parStd, nonMean, nonStd, par, non);
    }

    /** cos(a[ao..ao+w), b[bo..bo+w)) in double; 0 where a vector is 0. */
    public static double cosine(float[] a, int ao, float[] b, int bo, int w) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < w; i++) {
            dot += (double) a[ao + i] * b[bo + i];
            na += (double) a[ao + i] * a[ao + i];
            nb += (double) b[bo + i] * b[bo + i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private void keep(float[] from, int offset, int to, int w) {
        for (int i = 0; i < w; i++) sums[to + i] = from[offset + i];
    }

    /** A carried vector, back in float (it was a float when kept, so this is exact). */
    private float[] carried(int offset, int w) {
        return carried(sums, offset, w);
    }

    private static float[] carried(double[] state, int offset, int w) {
        float[] v = new float[w];
        for (int i = 0; i < w; i++) v[i] = (float) state[offset + i];
        return v;
    }

    private static double std(double sum, double sq, long n) {
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }
}
