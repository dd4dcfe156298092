package tn.compare;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import tn.method.Ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How far one ranking of the candidate neurons agrees with a reference ranking of the same
 * neurons: rank correlations over every score, overlap of the top k, and where the reference's
 * top n landed in the other ranking. Rankings order scores as {@link Ranking} does.
 *
 * <p>Spearman's rho is Pearson's r of the average ranks (ties share the mean of their ranks) and
 * Kendall's tau is tau-b, corrected for ties in either ranking: SciPy's spearmanr and kendalltau.
 *
 * <p>A top-n list (the original implementation's {@code *_top{n}.pkl}) ranks its first n neurons
 * without scores: with one on either side, the rank correlations are NaN, an overlap for k > n is
 * NaN, and a reference neuron missing from the other's list lands at an unknown rank beyond n,
 * counted as +infinity (so a percentile among them is infinite).
 *
 * @param landingMedian median rank (from 1) in the other ranking of the reference's top n
 * @param landingP90    its 90th percentile (linear interpolation, as numpy's default)
 */
public record
        Agreement(double spearman, double kendall, List<TopK> topK, int topN, double landingMedian, double landingP90) {
    /** |top k of A ∩ top k of B| / k, and the same intersection over the union. */
    public record TopK(int k, double overlap, double jaccard) {}

    /**
     * One ranking of the candidates: their positions (0..n-1 into the candidate list) from best
     * to worst, all of them, or only the first ones for a top-n list; and the scores the order
     * came from, or null for a top-n list.
     */
    record Ranked(int[] order, double[] scores) {
        static Ranked of(double[] scores) {
            return new Ranked(Ranking.order(scores), scores);
        }
    }

    /**
     * reference and other: the scores of the same candidate neurons, in the same order, none NaN.
     * ks larger than the candidate count are capped to it; topN likewise.
     */
    public static Agreement of(double[] reference, double[] other, int[] ks, int topN) {
        if (other.length != reference.length) {
            throw new IllegalArgumentException(
                    "rankings of different lengths: " + reference.length + " vs " + other.length);
        }
        return of(Ranked.of(reference), Ranked.of(other), reference.length, ks, topN);
    }

    /** Two rankings of n candidates; ks and topN are capped to n, topN also to the reference's length. */
    static Agreement of(Ranked reference, Ranked other, int n, int[] ks, int topN) {
        if (n < 2) throw new IllegalArgumentException("need at least 2 candidate neurons, have " + n);
        int[] refOrder = reference.order(), otherOrder = other.order();
        double[] otherRank = new double[n];
        Arrays.fill(otherRank, Double.POSITIVE_INFINITY);
        for (int pos = 0; pos < otherOrder.length; pos++) otherRank[otherOrder[pos]] = pos + 1;

        List<TopK> overlaps = new ArrayList<>();
        for (int k : ks) {
            int capped = Math.min(k, n);
            if (overlaps.stream().anyMatch(o -> o.k() == capped)) continue;
            if (capped > refOrder.length || capped > otherOrder.length) {
                overlaps.add(new TopK(capped, Double.NaN, Double.NaN));
                continue;
            }
            Set<Integer> top = new HashSet<>();
            for (int pos = 0; pos < capped; pos++) top.add(refOrder[pos]);
            int common = 0;
            for (int pos = 0; pos < capped; pos++)
                if (top.contains(otherOrder[pos])) common++;
            overlaps.add(new TopK(capped, (double) common / capped, (double) common / (2 * capped - common)));
        }

        int landing = Math.min(Math.min(topN, n), refOrder.length);
        double[] ranks = new double[landing];
        for (int j = 0; j < landing; j++) ranks[j] = otherRank[refOrder[j]];
        Arrays.sort(ranks);
        boolean scored = reference.scores() != null && other.scores() != null;
        double[] a = scored ? signlessZeros(reference.scores()) : null;
        double[] b = scored ? signlessZeros(other.scores()) : null;
        return new Agreement(scored ? new SpearmansCorrelation().correlation(a, b) : Double.NaN,
                scored ? new KendallsCorrelation().correlation(a, b) : Double.NaN, List.copyOf(overlaps), landing,
                percentile(ranks, 0.5), percentile(ranks, 0.9));
    }

    /**
     * The scores with -0.0 made 0.0: Commons Math ranks -0.0 below 0.0 (Double.compare), where
     * SciPy, like IEEE comparison, ties them (a neuron that never fires scores a zero of either sign).
     */
    private static double[] signlessZeros(double[] scores) {
        double[] out = scores.clone();
        for (int i = 0; i < out.length; i++) out[i] += 0.0; // -0.0 + 0.0 is 0.0; every other value is unchanged
        return out;
    }

    /**
     * The p-quantile of sorted values by linear interpolation between the closest ranks (numpy's
     * default, R's type 7); infinite where it draws on an infinite value.
     */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int below = (int) Math.floor(h);
        double fraction = h - below;
        if (fraction == 0 || below + 1 >= sorted.length) return sorted[below];
        if (Double.isInfinite(sorted[below + 1])) return Double.POSITIVE_INFINITY;
        return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
    }

    /** Whether both rankings had scores, so that the rank correlations exist. */
    public boolean hasRankCorrelations() {
        return !Double.isNaN(spearman);
    }
}
