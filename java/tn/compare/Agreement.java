package tn.compare;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import tn.method.Ranking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How far one ranking of the candidate neurons agrees with a reference ranking of the same
 * neurons: rank correlations over every score, overlap of the top k, and where the reference's
 * top n landed in the other ranking. Rankings order scores as {@link Ranking} does.
 *
 * @param landingMedian median rank (from 1) in the other ranking of the reference's top n
 * @param landingP90    its 90th percentile (linear interpolation, as numpy's default)
 */
public record
        Agreement(double spearman, double kendall, List<TopK> topK, int topN, double landingMedian, double landingP90) {
    /** |top k of A ∩ top k of B| / k, and the same intersection over the union. */
    public record TopK(int k, double overlap, double jaccard) {}

    /**
     * reference and other: the scores of the same candidate neurons, in the same order, none NaN.
     * ks larger than the candidate count are capped to it; topN likewise.
     */
    public static Agreement of(double[] reference, double[] other, int[] ks, int topN) {
        int n = reference.length;
        if (other.length != n)
            throw new IllegalArgumentException("rankings of different lengths: " + n + " vs " + other.length);
        if (n < 2) throw new IllegalArgumentException("need at least 2 candidate neurons, have " + n);
        int[] refOrder = Ranking.order(reference);
        int[] otherOrder = Ranking.order(other);
        int[] otherRank = new int[n];
        for (int pos = 0; pos < n; pos++) otherRank[otherOrder[pos]] = pos + 1;

        List<TopK> overlaps = new ArrayList<>();
        for (int k : ks) {
            int capped = Math.min(k, n);
            if (overlaps.stream().anyMatch(o -> o.k() == capped)) continue;
            Set<Integer> top = new HashSet<>();
            for (int pos = 0; pos < capped; pos++) top.add(refOrder[pos]);
            int common = 0;
            for (int pos = 0; pos < capped; pos++)
                if (top.contains(otherOrder[pos])) common++;
            overlaps.add(new TopK(capped, (double) common / capped, (double) common / (2 * capped - common)));
        }

        int landing = Math.min(topN, n);
        double[] ranks = new double[landing];
        for (int j = 0; j < landing; j++) ranks[j] = otherRank[refOrder[j]];
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        return new Agreement(new SpearmansCorrelation().correlation(reference, other),
                new KendallsCorrelation().correlation(reference, other), List.copyOf(overlaps), landing,
                percentile.evaluate(ranks, 50), percentile.evaluate(ranks, 90));
    }
}
