package tn.method;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stability figures against direct computations on small block sums. */
class StabilityTest {
    /** B blocks of C candidates: per item a true score plus noise, items in block i mod B. */
    static BlockSums sums(int items, int blocks, int candidates, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] truth = new double[candidates];
        for (int c = 0; c < candidates; c++) truth[c] = r.nextGaussian();
        double[][] s = new double[blocks][candidates];
        long[] n = new long[blocks];
        for (int i = 0; i < items; i++) {
            for (int c = 0; c < candidates; c++) s[i % blocks][c] += truth[c] + noise * r.nextGaussian();
            n[i % blocks]++;
        }
        return new BlockSums(s, n);
    }

    @Test
    void spearmanOfRanksIsCommonsMathsWithoutTies() {
        SplittableRandom r = new SplittableRandom(5);
        double[] a = new double[300], b = new double[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
            b[i] = a[i] + r.nextGaussian();
        }
        double expected = new SpearmansCorrelation().correlation(a, b);
        double got = Stability.spearman(Stability.ranks(Ranking.order(a)), Stability.ranks(Ranking.order(b)));
        assertEquals(expected, got, 1e-12);
    }

    @Test
    void standardErrorsAreTheSpreadOfEqualBlockMeans() {
        BlockSums s = sums(200, 20, 7, 0.5, 11);
        double[] se = s.standardErrors();
        for (int c = 0; c < 7; c++) {
            double[] means = new double[20];
            for (int b = 0; b < 20; b++) means[b] = s.sums()[b][c] / s.counts()[b];
            double mean = Arrays.stream(means).average().orElseThrow(), ss = 0;
            for (double m : means) ss += (m - mean) * (m - mean);
            assertEquals(Math.sqrt(ss / 19 / 20), se[c], 1e-12, "candidate " + c);
        }
    }

    @Test
    void splitHalfComparesEvenAndOddBlocksAsFloat32() {
        BlockSums s = sums(101, 10, 400, 2, 7);
        double[] even = new double[400], odd = new double[400];
        long nEven = 0, nOdd = 0;
        for (int b = 0; b < 10; b++) {
            for (int c = 0; c < 400; c++) (b % 2 == 0 ? even : odd)[c] += s.sums()[b][c];
            if (b % 2 == 0)
                nEven += s.counts()[b];
            else
                nOdd += s.counts()[b];
        }
        for (int c = 0; c < 400; c++) {
            even[c] = (float) (even[c] / nEven);
            odd[c] = (float) (odd[c] / nOdd);
        }
        Stability.Agreement a = Stability.splitHalf(s, new int[] {10, 100});
        assertEquals(new SpearmansCorrelation().correlation(even, odd), a.spearman(), 1e-12);
        int[] oe = Ranking.order(even), oo = Ranking.order(odd);
        for (int j = 0; j < 2; j++) {
            int k = new int[] {10, 100}[j], common = 0;
            for (int p = 0; p < k; p++)
                for (int q = 0; q < k; q++)
                    if (oe[p] == oo[q]) common++;
            assertEquals((double) common / k, a.overlap()[j], 0);
        }
    }

    @Test
    void bootstrapIsDeterminedBySeedNotThreads() {
        BlockSums s = sums(400, 20, 3000, 3, 1);
        int[] order = Ranking.order(s.mean(null));
        Stability.Result one = Stability.of(s, order, 50, 64, 9, 1);
        Stability.Result two = Stability.of(s, order, 50, 64, 9, 2);
        assertEquals(one.bootstrap().spearman(), two.bootstrap().spearman());
        assertArrayEquals(one.bootstrap().overlap(), two.bootstrap().overlap());
        assertArrayEquals(one.rankP5(), two.rankP5());
        assertArrayEquals(one.rankP95(), two.rankP95());
        Stability.Result other = Stability.of(s, order, 50, 64, 10, 2);
        assertTrue(other.bootstrap().spearman().median() != one.bootstrap().spearman().median(),
                "another seed resamples otherwise");
        // noisy items: the bootstrap agrees imperfectly, and better than two disjoint halves
        assertTrue(one.bootstrap().spearman().median() < 1);
        assertTrue(one.bootstrap().spearman().median() > one.splitHalf().spearman());
        for (int j = 0; j < 50; j++) assertTrue(one.rankP5()[j] <= one.rankP95()[j], "rank " + (j + 1));
    }

    /**
     * The rank interval and the bootstrap's spread recomputed plainly from the resamples that the
     * seed draws (R draws of as many non-empty blocks, uniformly with replacement, from a
     * SplittableRandom of the seed): each replicate's means summed block by block, each neuron's rank
     * counted as the candidates above it, percentiles by numpy's linear interpolation over the
     * sorted replicates. Noisy items make the 5th percentile, the median and the 95th differ, so
     * a percentile taken at the wrong level fails.
     */
    @Test
    void rankIntervalIsThePercentilesOfEachNeuronsBootstrapRank() {
        BlockSums s = sums(300, 20, 80, 1.5, 3);
        int replicates = 50, topN = 25;
        double[] full = plainMeans(s, null);
        int[] order = plainOrder(full);
        Stability.Result got = Stability.of(s, order, topN, replicates, 17, 2);

        SplittableRandom random = new SplittableRandom(17);
        int[] used = IntStream.range(0, s.blocks()).filter(b -> s.counts()[b] > 0).toArray();
        double[][] rankOf = new double[topN][replicates];
        double[] rho = new double[replicates];
        double[][] overlap = new double[got.ks().length][replicates];
        for (int r = 0; r < replicates; r++) {
            int[] weight = new int[s.blocks()];
            for (int j = 0; j < used.length; j++) weight[used[random.nextInt(used.length)]]++;
            double[] resampled = plainMeans(s, weight);
            for (int j = 0; j < topN; j++) rankOf[j][r] = plainRank(resampled, order[j]);
            rho[r] = new SpearmansCorrelation().correlation(full, resampled);
            for (int k = 0; k < got.ks().length; k++)
                overlap[k][r] = plainOverlap(order, plainOrder(resampled), got.ks()[k]);
        }
        boolean spread = false;
        for (int j = 0; j < topN; j++) {
            assertEquals(percentile(rankOf[j], 5), got.rankP5()[j], 1e-12, "rank_p5 of rank " + (j + 1));
            assertEquals(percentile(rankOf[j], 95), got.rankP95()[j], 1e-12, "rank_p95 of rank " + (j + 1));
            spread |= percentile(rankOf[j], 5) < percentile(rankOf[j], 50)
                    && percentile(rankOf[j], 50) < percentile(rankOf[j], 95);
        }
        assertTrue(spread, "a case where the 5th percentile, the median and the 95th differ");
        assertEquals(percentile(rho, 50), got.bootstrap().spearman().median(), 1e-12);
        assertEquals(percentile(rho, 5), got.bootstrap().spearman().p5(), 1e-12);
        assertTrue(percentile(rho, 5) < percentile(rho, 50));
        for (int k = 0; k < got.ks().length; k++) {
            assertEquals(percentile(overlap[k], 50), got.bootstrap().overlap()[k].median(), 1e-12);
            assertEquals(percentile(overlap[k], 5), got.bootstrap().overlap()[k].p5(), 1e-12);
        }
    }

    /**
     * The sample-size curve recomputed plainly: for each size m, ten pairs of disjoint samples of m
     * blocks (the first 2m blocks of a Fisher-Yates shuffle of the non-empty blocks, from a
     * SplittableRandom of the seed xor 0x5DEECE66D), each pair's means compared by Spearman's rho and
     * top-k overlap, the medians over the pairs reported with the mean item count of a sample.
     */
    @Test
    void curveIsTheMedianAgreementOfDisjointSamples() {
        BlockSums s = sums(403, 24, 90, 2, 8);
        Stability.Result got = Stability.of(s, plainOrder(plainMeans(s, null)), 10, 0, 23, 2);
        int[] used = IntStream.range(0, s.blocks()).filter(b -> s.counts()[b] > 0).toArray();
        assertEquals(List.of(1, 2, 3, 4, 7, 12), got.curve().stream().map(Stability.CurvePoint::blocks).toList(),
                "six sizes spaced geometrically from one block to half the blocks");
        SplittableRandom random = new SplittableRandom(23 ^ 0x5DEECE66DL);
        boolean differs = false;
        for (Stability.CurvePoint point : got.curve()) {
            int m = point.blocks(), draws = 10;
            double[] rho = new double[draws], items = new double[draws];
            double[][] overlap = new double[got.ks().length][draws];
            for (int d = 0; d < draws; d++) {
                int[] shuffled = used.clone();
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = shuffled[i];
                    shuffled[i] = shuffled[j];
                    shuffled[j] = t;
                }
                int[] wa = new int[s.blocks()], wb = new int[s.blocks()];
                for (int i = 0; i < m; i++) {
                    wa[shuffled[i]] = 1;
                    wb[shuffled[m + i]] = 1;
                    items[d] += (s.counts()[shuffled[i]] + s.counts()[shuffled[m + i]]) / 2.0;
                }
                double[] a = plainMeans(s, wa), b = plainMeans(s, wb);
                rho[d] = new SpearmansCorrelation().correlation(a, b);
                for (int k = 0; k < got.ks().length; k++)
                    overlap[k][d] = plainOverlap(plainOrder(a), plainOrder(b), got.ks()[k]);
            }
            assertEquals(percentile(rho, 50), point.spearman(), 1e-12, "Spearman at " + m + " blocks");
            assertEquals(Arrays.stream(items).average().orElseThrow(), point.meanItems(), 1e-12);
            for (int k = 0; k < got.ks().length; k++)
                assertEquals(percentile(overlap[k], 50), point.overlap()[k], 1e-12, "overlap at " + m + " blocks");
            differs |= percentile(rho, 5) < percentile(rho, 50) && percentile(rho, 50) < percentile(rho, 95);
        }
        assertTrue(differs, "a case where the median over the pairs is not their minimum or maximum");
        assertTrue(got.curve().get(0).spearman() < got.curve().get(got.curve().size() - 1).spearman(),
                "more sentences agree better");
    }

    /** Means of the weighted blocks, summed plainly. */
    private static double[] plainMeans(BlockSums s, int[] weight) {
        double[] mean = new double[s.candidates()];
        long n = 0;
        for (int b = 0; b < s.blocks(); b++) {
            int w = weight == null ? 1 : weight[b];
            for (int c = 0; c < mean.length; c++) mean[c] += w * s.sums()[b][c];
            n += w * s.counts()[b];
        }
        for (int c = 0; c < mean.length; c++) mean[c] /= n;
        return mean;
    }

    /** Rank from 1: one more than the candidates scoring higher (ties to the lower index). */
    private static int plainRank(double[] score, int c) {
        int above = 0;
        for (int d = 0; d < score.length; d++)
            if (score[d] > score[c] || (score[d] == score[c] && d < c)) above++;
        return above + 1;
    }

    private static int[] plainOrder(double[] score) {
        int[] order = new int[score.length];
        for (int c = 0; c < score.length; c++) order[plainRank(score, c) - 1] = c;
        return order;
    }

    private static double plainOverlap(int[] a, int[] b, int k) {
        Set<Integer> top = new HashSet<>();
        for (int p = 0; p < k; p++) top.add(a[p]);
        int common = 0;
        for (int p = 0; p < k; p++)
            if (top.contains(b[p])) common++;
        return (double) common / k;
    }

    /** numpy's percentile (linear interpolation between the sorted values). */
    private static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double h = (v.length - 1) * q / 100;
        int lo = (int) Math.floor(h);
        return lo + 1 < v.length ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
    }

    @Test
    void identicalItemsAgreePerfectly() {
        BlockSums s = sums(60, 20, 500, 0, 4);
        Stability.Result r = Stability.of(s, Ranking.order(s.mean(null)), 30, 100, 42, 2);
        assertEquals(1.0, r.splitHalf().spearman());
        assertEquals(1.0, r.bootstrap().spearman().p5());
        for (double o : r.splitHalf().overlap()) assertEquals(1.0, o);
        for (Stability.Spread sp : r.bootstrap().overlap()) assertEquals(1.0, sp.p5());
        for (int j = 0; j < 30; j++) {
            assertEquals(j + 1, r.rankP5()[j]);
            assertEquals(j + 1, r.rankP95()[j]);
        }
        for (Stability.CurvePoint p : r.curve()) assertEquals(1.0, p.spearman());
        for (double se : r.standardErrors()) assertEquals(0, se, 1e-12);
    }

    @Test
    void oneItemHasNoHalvesAndNoBootstrap() {
        BlockSums s = sums(1, 20, 50, 1, 4);
        Stability.Result r = Stability.of(s, Ranking.order(s.mean(null)), 10, 200, 42, 1);
        assertNull(r.splitHalf());
        assertNull(r.bootstrap());
        assertTrue(r.curve().isEmpty());
        assertTrue(Double.isNaN(r.standardErrors()[0]));
    }
}
