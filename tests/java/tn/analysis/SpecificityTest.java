package tn.analysis;

import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.stat.inference.OneWayAnova;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eta^2 and the ANOVA p-value: hand-computed tables, Commons Math's OneWayAnova, a naive two-pass formula. */
public class SpecificityTest {
    /** The moments of values added one by one, through the accumulator as runs add them. */
    static Moments streamed(double... xs) {
        LanguageMoments m = new LanguageMoments(1, 1);
        for (double x : xs) m.add(0, j -> x);
        return m.moments(0, 0);
    }

    /**
     * Target {1, 3}, others {5, 7}; N = 4.
     * Means 2 and 6, grand mean 4.
     * SS_between = 2 (2-4)^2 + 2 (6-4)^2 = 16; SS_within = (1+1) + (1+1) = 4; SS_total = 9+1+1+9 = 20.
     * eta^2 = 16/20 = 0.8; F = (16/1) / (4/2) = 8.
     * F(1, 2)'s upper tail is I_{2/(2+F)}(1, 1/2) = 1 - (1 - 2/(2+F))^(1/2) = 1 - sqrt(F/(F+2)),
     * so p = 1 - sqrt(8/10) = 1 - 0.894427191 = 0.105572809.
     */
    @Test
    void aHandComputedTableOfFourValues() {
        Specificity s = Specificity.of(streamed(1, 3), streamed(5, 7));
        assertEquals(0.8, s.eta2(), 1e-15);
        assertEquals(8, s.f(), 1e-13);
        assertEquals(1 - Math.sqrt(0.8), s.pValue(), 1e-14);
        assertEquals(0.105572809, s.pValue(), 1e-9);
        assertEquals(
                s.pValue(), new OneWayAnova().anovaPValue(List.of(new double[] {1, 3}, new double[] {5, 7})), 1e-12);
        assertEquals(s.f(), new OneWayAnova().anovaFValue(List.of(new double[] {1, 3}, new double[] {5, 7})), 1e-12);
        assertFalse(s.specific(0.1), "eta2 0.8, but with 4 sentences p is 0.106: not significant");
        assertTrue(specificity(0.8, 0.04).specific(0.25));
        assertFalse(specificity(0.2, 0.04).specific(0.25));
    }

    /**
     * Target {2, 4, 6}, others {7, 8, 9, 10}; N = 7.
     * Means 4 and 8.5, grand mean 46/7.
     * SS_between = n1 n2 / N (m1 - m2)^2 = 12/7 * 20.25 = 243/7; SS_within = (4+0+4) + (2.25+0.25+0.25+2.25) = 13;
     * SS_total = 243/7 + 13 = 334/7 (directly: sum x^2 - N mean^2 = 350 - 2116/7 = 334/7).
     * eta^2 = 243/334; F = (243/7) / (13/5) = 1215/91; p = P(F(1, 5) > 1215/91), from Commons Math.
     */
    @Test
    void aHandComputedTableOfSevenValues() {
        double[] target = {2, 4, 6}, others = {7, 8, 9, 10};
        Specificity s = Specificity.of(streamed(target), streamed(others));
        assertEquals(243.0 / 334, s.eta2(), 1e-15);
        assertEquals(1215.0 / 91, s.f(), 1e-12);
        assertEquals(1 - new FDistribution(1, 5).cumulativeProbability(1215.0 / 91), s.pValue(), 1e-12);
        assertEquals(new OneWayAnova().anovaPValue(List.of(target, others)), s.pValue(), 1e-12);
        assertTrue(
                s.pValue() > 0.01 && s.pValue() < 0.02, "t = sqrt(F) = 3.65 on 5 df: p about 0.015, is " + s.pValue());
    }

    /**
     * Target {1, 1 + 1e-6}, others {101, 101 + 1e-6}: SS_within = 2 (0.5e-6)^2 * 2 = 1e-12, SS_between =
     * (2*2/4) 100^2 = 1e4, F = 1e4 / (1e-12 / 2) = 2e16, where 1 - cdf is 0 but the tail is
     * 1 - sqrt(F/(F+2)) = (2/(F+2)) / (1 + sqrt(F/(F+2))), about 5e-17.
     */
    @Test
    void tinyPValuesAreNotRoundedToZero() {
        Specificity s = Specificity.of(streamed(1, 1 + 1e-6), streamed(101, 101 + 1e-6));
        double f = s.f();
        assertEquals(2e16, f, 2e16 * 1e-6);
        double exact = (2 / (f + 2)) / (1 + Math.sqrt(f / (f + 2)));
        assertEquals(exact, s.pValue(), exact * 1e-9);
        assertTrue(s.pValue() > 0 && s.pValue() < 1e-16, "p " + s.pValue());
        double subtracted = 1 - new FDistribution(1, 2).cumulativeProbability(f);
        assertTrue(Math.abs(subtracted - exact) > 0.5 * exact, "1 - cdf would have given " + subtracted);
    }

    @Test
    void undefinedCasesAreNaN() {
        for (Specificity s :
                List.of(Specificity.of(streamed(1), streamed(2)), // N = 2: no within-group degree of freedom
                        Specificity.of(streamed(3, 3, 3), streamed(3, 3)), // constant: 0/0
                        Specificity.of(Moments.EMPTY, streamed(1, 2, 3)), // no sentence of the target
                        Specificity.of(streamed(1, 2, 3), Moments.EMPTY))) {
            assertTrue(Double.isNaN(s.eta2()) && Double.isNaN(s.f()) && Double.isNaN(s.pValue()), s.toString());
            assertFalse(s.defined());
            assertFalse(s.specific(0.1), "undefined is not specific");
        }
        // each group constant but different: perfectly separated
        Specificity separated = Specificity.of(streamed(2, 2), streamed(5, 5, 5));
        assertEquals(List.of(1.0, Double.POSITIVE_INFINITY, 0.0),
                List.of(separated.eta2(), separated.f(), separated.pValue()));
        assertEquals(Double.POSITIVE_INFINITY, separated.welch().t(), "others' mean 5 minus the target's 2, over 0");
        assertEquals(0, separated.welch().pValue());
        assertTrue(separated.specific(0.25));
    }

    /**
     * Five languages of uneven sizes, a large mean against a small spread (where raw sums of x^2
     * cancel), added interleaved in two different orders and, for one, half restored from a
     * checkpoint copy: the same eta^2 and p as a naive two-pass computation on the raw arrays.
     */
    @Test
    void streamingAgreesWithTheTwoPassFormulaInAnyOrder() {
        int langs = 5, neurons = 3;
        int[] sizes = {37, 41, 29, 50, 33};
        SplittableRandom random = new SplittableRandom(7);
        double[][][] x = new double[neurons][langs][];
        for (int j = 0; j < neurons; j++) {
            for (int g = 0; g < langs; g++) {
                x[j][g] = new double[sizes[g]];
                for (int k = 0; k < sizes[g]; k++) x[j][g][k] = 1000 + 0.3 * g * j + random.nextGaussian();
            }
        }
        List<int[]> order = new ArrayList<>(); // (language, index) pairs, language by language
        for (int g = 0; g < langs; g++)
            for (int k = 0; k < sizes[g]; k++) order.add(new int[] {g, k});
        List<int[]> shuffled = new ArrayList<>(order);
        for (int i = shuffled.size() - 1; i > 0; i--) Collections.swap(shuffled, i, random.nextInt(i + 1));

        LanguageMoments inOrder = new LanguageMoments(neurons, langs);
        for (int[] gk : order) inOrder.add(gk[0], j -> x[j][gk[0]][gk[1]]);
        LanguageMoments first = new LanguageMoments(neurons, langs), resumed = new LanguageMoments(neurons, langs);
        int half = shuffled.size() / 2;
        for (int[] gk : shuffled.subList(0, half)) first.add(gk[0], j -> x[j][gk[0]][gk[1]]);
        resumed.restore(first.sums().clone(), first.count());
        for (int[] gk : shuffled.subList(half, shuffled.size())) resumed.add(gk[0], j -> x[j][gk[0]][gk[1]]);

        assertEquals(order.size(), resumed.count());
        for (int j = 0; j < neurons; j++) {
            for (int target = 0; target < langs; target++) {
                double[] naive = twoPass(x[j], target);
                for (LanguageMoments m : List.of(inOrder, resumed)) {
                    Specificity s = m.specificity(j, language(langs, target));
                    assertEquals(naive[0], s.eta2(), Math.abs(naive[0]) * 1e-9 + 1e-15, "eta2 " + j + "/" + target);
                    assertEquals(naive[1], s.pValue(), 1e-9, "p " + j + "/" + target);
                }
                // OneWayAnova sums x and x^2, which at a mean of 1000 against a spread of 1 keeps only ~8 digits
                assertEquals(new OneWayAnova().anovaPValue(split(x[j], target)),
                        inOrder.specificity(j, language(langs, target)).pValue(), 1e-6);
            }
            for (int g = 0; g < langs; g++) {
                assertEquals(mean(x[j][g]), resumed.moments(j, g).mean(), 1e-12);
                assertEquals(sizes[g], resumed.count(g));
            }
        }
        // the data has language-specific means for neurons 1 and 2: the check sees something other than 0
        double eta2 = inOrder.specificity(2, language(langs, 4)).eta2();
        assertTrue(eta2 > 0.1, "eta2 " + eta2);
    }

    /** A specificity of the given eta^2 and ANOVA p (F and Welch's test do not matter to the criterion). */
    static Specificity specificity(double eta2, double p) {
        return new Specificity(eta2, Double.NaN, p, WelchTest.of(Moments.EMPTY, Moments.EMPTY));
    }

    /** The language label: 1 for language target only. */
    static boolean[] language(int langs, int target) {
        boolean[] one = new boolean[langs];
        one[target] = true;
        return one;
    }

    /** {eta2, p}: grand mean, then group means, then the sums of squares; p as 1 - cdf. */
    public static double[] twoPass(double[][] groups, int target) {
        List<double[]> two = split(groups, target);
        double n = 0, sum = 0;
        for (double[] g : two)
            for (double v : g) {
                n++;
                sum += v;
            }
        double mean = sum / n, between = 0, total = 0;
        for (double[] g : two) {
            between += g.length * Math.pow(mean(g) - mean, 2);
            for (double v : g) total += (v - mean) * (v - mean);
        }
        double f = between / ((total - between) / (n - 2));
        return new double[] {between / total, 1 - new FDistribution(1, n - 2).cumulativeProbability(f)};
    }

    /** The target's values, and every other language's in one array. */
    static List<double[]> split(double[][] groups, int target) {
        List<Double> others = new ArrayList<>();
        for (int g = 0; g < groups.length; g++)
            if (g != target)
                for (double v : groups[g]) others.add(v);
        return List.of(groups[target], others.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    @Test
    void chanMergeEqualsTheMomentsOfTheUnion() {
        Moments a = streamed(1, 2, 4), b = streamed(10, 11), both = streamed(1, 2, 4, 10, 11);
        Moments merged = a.merge(b);
        assertEquals(both.n(), merged.n());
        assertEquals(both.mean(), merged.mean(), 1e-14);
        assertEquals(both.m2(), merged.m2(), 1e-12);
        assertEquals(a, a.merge(Moments.EMPTY));
        assertEquals(b, Moments.EMPTY.merge(b));
        // M2 of {1,2,4,10,11}: mean 5.6, deviations^2 21.16+12.96+2.56+19.36+29.16 = 85.2
        assertEquals(85.2, merged.m2(), 1e-12);
    }
}
