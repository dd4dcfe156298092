package tn.analysis;

import tn.method.Accumulator;

/**
 * Per layer, the mean and standard deviation of cos(u_l(en), u_l(L2)) over parallel pairs and over
 * non-parallel pairs, for one kind of vector u (hidden states, or MLP activations): METHOD.md
 * analyses 1 and 2.
 *
 * <p>Non-parallel pairs come without running any sentence twice: the pairs are processed in a
 * seeded random order, and the English side of each pair is matched with the L2 side of the
 * next, the last with the first. Every sentence gets a partner other than its own translation,
 * and only the previous English vectors and the first L2 vectors need keeping; they live in the
 * sums, so that a checkpoint keeps them too.
 */
public final class PairSimilarity extends Accumulator {
    private static final int PAR_SUM = 0, PAR_SQ = 1, NON_SUM = 2, NON_SQ = 3, STATS = 4;

    private final int nLayer;
    private final int width;
    private final int carried;     // offset of the previous English vectors; first L2 vectors follow

    public PairSimilarity(int nLayer, int width) {
        super(nLayer * STATS + 2 * nLayer * width);
        this.nLayer = nLayer;
        this.width = width;
        this.carried = nLayer * STATS;
    }

    /**
     * Adds pairs in processing order: en and l2 are layer-major, en[l][s] the English vector of
     * pair s of this batch at layer l (width floats each), sentences pairs in all.
     */
    public void add(float[][] en, float[][] l2, int sentences) {
        for (int s = 0; s < sentences; s++) {
            long index = count + s;
            for (int l = 0; l < nLayer; l++) {
                double c = cosine(en[l], s * width, l2[l], s * width, width);
                sums[l * STATS + PAR_SUM] += c;
                sums[l * STATS + PAR_SQ] += c * c;
                if (index == 0) {
                    copy(l2[l], s * width, firstL2(l));
                } else {
                    addNonParallel(l, cosine(carriedVector(previousEn(l)), 0, l2[l], s * width, width));
                }
                copy(en[l], s * width, previousEn(l));
            }
        }
        count += sentences;
    }

    /** The statistics, once every pair is in: closes the cycle (the last English with the first L2). */
    public Result result() {
        if (count < 2) throw new IllegalStateException("non-parallel pairs need at least 2 pairs, have " + count);
        double[] parMean = new double[nLayer], parStd = new double[nLayer], nonMean = new double[nLayer], nonStd = new double[nLayer];
        for (int l = 0; l < nLayer; l++) {
            double wrap = cosine(carriedVector(previousEn(l)), 0, carriedVector(firstL2(l)), 0, width);
            double nonSum = sums[l * STATS + NON_SUM] + wrap, nonSq = sums[l * STATS + NON_SQ] + wrap * wrap;
            parMean[l] = sums[l * STATS + PAR_SUM] / count;
            parStd[l] = std(sums[l * STATS + PAR_SUM], sums[l * STATS + PAR_SQ], count);
            nonMean[l] = nonSum / count;
            nonStd[l] = std(nonSum, nonSq, count);
        }
        return new Result(parMean, parStd, nonMean, nonStd, count);
    }

    /** Means and population standard deviations per layer; n pairs of each kind. */
    public record Result(double[] parallelMean, double[] parallelStd, double[] nonParallelMean,
                         double[] nonParallelStd, long n) {
    }

    private void addNonParallel(int l, double c) {
        sums[l * STATS + NON_SUM] += c;
        sums[l * STATS + NON_SQ] += c * c;
    }

    private int previousEn(int l) {
        return carried + l * width;
    }

    private int firstL2(int l) {
        return carried + (nLayer + l) * width;
    }

    private void copy(float[] from, int offset, int to) {
        for (int i = 0; i < width; i++) sums[to + i] = from[offset + i];
    }

    private static double std(double sum, double sq, long n) {
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    static double cosine(float[] a, int ao, float[] b, int bo, int width) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < width; i++) {
            dot += (double) a[ao + i] * b[bo + i];
            na += (double) a[ao + i] * a[ao + i];
            nb += (double) b[bo + i] * b[bo + i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** A carried vector, back in float (it was a float when stored, so this is exact). */
    private float[] carriedVector(int offset) {
        float[] v = new float[width];
        for (int i = 0; i < width; i++) v[i] = (float) sums[offset + i];
        return v;
    }
}
