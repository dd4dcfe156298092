package tn.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Agreement statistics against values worked out by hand. */
class AgreementTest {
    private static final double EPS = 1e-12;

    @Test
    void smallRankingsGiveHandComputedValues() {
        // reference ranks neurons 0,1,2,3,4; the other swaps 0<->1 and 2<->3
        double[] reference = {5, 4, 3, 2, 1};
        double[] other = {4, 5, 2, 3, 1};
        Agreement a = Agreement.of(reference, other, new int[] {2, 3, 10}, 3);
        // rank differences 1,1,1,1,0: rho = 1 - 6*4 / (5*(25-1)) = 0.8
        assertEquals(0.8, a.spearman(), EPS);
        // 2 discordant pairs of 10: tau = (8 - 2) / 10 = 0.6
        assertEquals(0.6, a.kendall(), EPS);
        // top 2: {0,1} and {1,0}; top 3: {0,1,2} and {1,0,3} share 2 (union 4); k=10 is capped to 5
        assertEquals(List.of(new Agreement.TopK(2, 1.0, 1.0), new Agreement.TopK(3, 2.0 / 3, 0.5),
                             new Agreement.TopK(5, 1.0, 1.0)),
                a.topK());
        // the reference's top 3 (0, 1, 2) sit at ranks 2, 1, 4 in the other: median 2;
        // 90th percentile (numpy's linear): position 0.9 * 2 = 1.8 between 2 and 4 -> 3.6
        assertEquals(3, a.topN());
        assertEquals(2.0, a.landingMedian(), EPS);
        assertEquals(3.6, a.landingP90(), EPS);
    }

    @Test
    void reversedRankingIsPerfectlyAnticorrelated() {
        double[] reference = {1, 2, 3, 4, 5, 6};
        double[] other = {6, 5, 4, 3, 2, 1};
        Agreement a = Agreement.of(reference, other, new int[] {3}, 1);
        assertEquals(-1.0, a.spearman(), EPS);
        assertEquals(-1.0, a.kendall(), EPS);
        assertEquals(0.0, a.topK().get(0).overlap(), EPS);
        assertEquals(0.0, a.topK().get(0).jaccard(), EPS);
        assertEquals(6.0, a.landingMedian(), EPS); // the reference's best is the other's worst
    }

    @Test
    void identicalScoresAgreeCompletely() {
        double[] s = new double[2000];
        for (int i = 0; i < s.length; i++) s[i] = Math.sin(i * 0.37) * 10 + i * 1e-3;
        Agreement a = Agreement.of(s, s.clone(), new int[] {10, 100, 1000}, 100);
        assertEquals(1.0, a.spearman(), EPS);
        assertEquals(1.0, a.kendall(), EPS);
        for (Agreement.TopK k : a.topK()) {
            assertEquals(1.0, k.overlap(), EPS);
            assertEquals(1.0, k.jaccard(), EPS);
        }
        assertEquals(50.5, a.landingMedian(), EPS); // ranks 1..100 stay 1..100
    }

    @Test
    void tiesGoToTheLowerNeuronAsInDetection() {
        // all tied: both rankings are 0,1,2,3, so the top 2 agree
        Agreement a = Agreement.of(new double[] {1, 1, 1, 1}, new double[] {2, 2, 2, 2}, new int[] {2}, 2);
        assertEquals(1.0, a.topK().get(0).overlap(), EPS);
        assertEquals(1.5, a.landingMedian(), EPS);
    }
}
