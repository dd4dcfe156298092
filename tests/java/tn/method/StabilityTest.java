package tn.method;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

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
