package tn.analysis;

import tn.io.InvalidValueException;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original's htest.py and corr_analysis.py: Welch's t-test against SciPy's values and Commons
 * Math's TTest, its language-family labels, its criterion (eta^2 >= threshold), and the mean
 * eta^2 of the top neurons against a naive computation.
 */
class SpecificityLabelsTest {
    static final List<String> SEED_LANGS = List.of("ja", "nl", "ko", "it", "en");

    static Moments moments(double... xs) {
        return SpecificityTest.streamed(xs);
    }

    /** ttest_ind([1, 3], [5, 7, 9], equal_var=False) and another pair, as SciPy 1.17 prints them (repr). */
    @Test
    void welchAgreesWithScipy() {
        WelchTest w = WelchTest.of(moments(1, 3), moments(5, 7, 9));
        assertEquals(-3.273268353539886, w.t(), 1e-14);
        assertEquals(0.04941625686257753, w.pValue(), 1e-15);
        assertEquals(2.8823529411764697, w.df(), 1e-14);

        double[] a = new double[12], b = new double[9];
        for (int i = 0; i < a.length; i++) a[i] = 0.1 * i;
        for (int i = 0; i < b.length; i++) b[i] = 5 + 0.37 * i;
        w = WelchTest.of(moments(a), moments(b));
        assertEquals(-16.778166504344224, w.t(), 1e-12);
        assertEquals(2.148818827719141e-08, w.pValue(), 1e-20);
        assertEquals(9.529004112626826, w.df(), 1e-12);
        assertEquals(-w.t(), WelchTest.of(moments(b), moments(a)).t(), 0, "the sign follows the order");
    }

    @Test
    void welchAgreesWithCommonsMathOnRandomGroups() {
        SplittableRandom random = new SplittableRandom(3);
        TTest tTest = new TTest();
        for (int trial = 0; trial < 200; trial++) {
            double[] g0 =
                    sample(random, 2 + random.nextInt(60), random.nextDouble() * 3, 0.1 + random.nextDouble() * 4);
            double[] g1 = sample(random, 2 + random.nextInt(60), random.nextDouble() * 3, 0.1 + random.nextDouble());
            WelchTest w = WelchTest.of(moments(g0), moments(g1));
            assertEquals(tTest.t(g0, g1), w.t(), 1e-10 * Math.abs(w.t()) + 1e-12, "trial " + trial);
            assertEquals(tTest.tTest(g0, g1), w.pValue(), 1e-9 * w.pValue() + 1e-13, "trial " + trial);
        }
        assertTrue(Double.isNaN(WelchTest.of(moments(1), moments(1, 2)).t()), "a group of one has no variance");
        assertTrue(Double.isNaN(WelchTest.of(moments(2, 2), moments(2, 2, 2)).pValue()), "all equal: 0/0");
    }

    static double[] sample(SplittableRandom random, int n, double mean, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = mean + sd * gaussian(random);
        return x;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** htest.py's labels_dict_lang_family_specific and labels_dict_lang_specific, per language block. */
    @Test
    void labelsAreTheOriginalsForItsFiveLanguages() {
        int[][] family = {{1, 0, 1, 0, 0}, {0, 1, 0, 1, 1}, {1, 0, 1, 0, 0}, {0, 1, 0, 1, 1}, {0, 1, 0, 1, 1}};
        for (int t = 0; t < 5; t++) {
            boolean[] f = LabelSetting.FAMILY.labelOne(SEED_LANGS, SEED_LANGS.get(t), LanguageFamilies.SEED);
            boolean[] l = LabelSetting.LANGUAGE.labelOne(SEED_LANGS, SEED_LANGS.get(t), LanguageFamilies.SEED);
            for (int g = 0; g < 5; g++) {
                assertEquals(family[t][g] == 1, f[g], SEED_LANGS.get(t) + " family, block " + g);
                assertEquals(g == t, l[g], SEED_LANGS.get(t) + " language, block " + g);
            }
        }
        assertEquals("ja+ko,nl+it+en", LanguageFamilies.SEED.toString());
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> LabelSetting.FAMILY.labelOne(List.of("ja", "de"), "ja", LanguageFamilies.SEED));
        assertTrue(e.getMessage().contains("'de' is in no family"), e.getMessage());
        assertArrayEquals(new boolean[] {true, false},
                LabelSetting.LANGUAGE.labelOne(List.of("ja", "de"), "ja", LanguageFamilies.SEED),
                "the language label needs no families");
        assertArrayEquals(new boolean[] {false, true, true},
                LabelSetting.FAMILY.labelOne(List.of("ja", "de", "nl"), "nl", LanguageFamilies.parse("ja, de+nl")));
        assertThrows(InvalidValueException.class, () -> LanguageFamilies.parse("ja+ko,ko+en"));
        assertThrows(InvalidValueException.class, () -> LanguageFamilies.parse("ja+,en"));
        assertEquals(List.of(LabelSetting.LANGUAGE, LabelSetting.FAMILY), LabelSetting.parse("both"));
        assertThrows(InvalidValueException.class, () -> LabelSetting.parse("lang"));
    }

    /**
     * Five languages' activations streamed per language; the family split's eta^2, ANOVA p and Welch
     * t and p against the raw values merged into the two groups and computed directly.
     */
    @Test
    void familyLabelsAgainstTheMergedRawValues() {
        SplittableRandom random = new SplittableRandom(11);
        int[] sizes = {40, 35, 50, 30, 45};
        double[][] x = new double[5][];
        LanguageMoments m = new LanguageMoments(1, 5);
        for (int g = 0; g < 5; g++) {
            x[g] = sample(random, sizes[g], g == 0 || g == 2 ? 1.0 : 0.6, 0.5 + 0.1 * g);
            for (double v : x[g]) m.add(g, j -> v);
        }
        TTest tTest = new TTest();
        for (String target : SEED_LANGS) {
            boolean[] one = LabelSetting.FAMILY.labelOne(SEED_LANGS, target, LanguageFamilies.SEED);
            List<Double> g1 = new ArrayList<>(), g0 = new ArrayList<>();
            for (int g = 0; g < 5; g++)
                for (double v : x[g]) (one[g] ? g1 : g0).add(v);
            double[] a1 = g1.stream().mapToDouble(Double::doubleValue).toArray(),
                     a0 = g0.stream().mapToDouble(Double::doubleValue).toArray();
            double[] naive = SpecificityTest.twoPass(new double[][] {a1, a0}, 0);
            Specificity s = m.specificity(0, one);
            assertEquals(naive[0], s.eta2(), 1e-12, target);
            assertEquals(naive[1], s.pValue(), 1e-12, target);
            assertEquals(tTest.t(a0, a1), s.welch().t(), 1e-10, target);
            assertEquals(tTest.tTest(a0, a1), s.welch().pValue(), 1e-12, target);
            assertEquals(a1.length, m.count(one));
        }
        // ja and ko share a family: the same split, the same eta^2
        assertEquals(m.specificity(0, LabelSetting.FAMILY.labelOne(SEED_LANGS, "ja", LanguageFamilies.SEED)).eta2(),
                m.specificity(0, LabelSetting.FAMILY.labelOne(SEED_LANGS, "ko", LanguageFamilies.SEED)).eta2(), 0);
    }

    @Test
    void theCriterionIsEta2AtLeastTheThresholdAndPBelowFivePercent() {
        assertTrue(SpecificityTest.specificity(0.1, 0.049).specific(0.1), "eta2 exactly 0.1 counts, as in htest.py");
        assertTrue(SpecificityTest.specificity(0.25, 0.01).specific(0.25));
        assertFalse(SpecificityTest.specificity(0.0999, 0.01).specific(0.1));
        assertFalse(SpecificityTest.specificity(0.5, 0.05).specific(0.1), "p must be below 0.05");
    }

    /** 1,200 neurons with eta^2 k / 1200 (rank k from 0), two undefined: shares and means worked out. */
    @Test
    void sharesAndMeanEta2OfTheTopNeurons() {
        List<Specificity> perNeuron = new ArrayList<>();
        for (int k = 0; k < 1200; k++) {
            perNeuron.add(k == 3 || k == 500
                            ? Specificity.of(moments(1, 1), moments(1, 1))
                            : SpecificityTest.specificity((1200 - k) / 1200.0, k % 2 == 0 ? 0.01 : 0.2));
        }
        RankedNeurons r = new RankedNeurons(Path.of("r.tsv"), "r", "ja", "type1", NeuronSet.none());
        SpecificitySummary s = SpecificitySummary.of(r, LabelSetting.FAMILY, perNeuron);
        assertEquals(2, s.undefined());
        double top10 = 0;
        for (int k = 0; k < 10; k++)
            if (k != 3) top10 += (1200 - k) / 1200.0;
        assertEquals(top10 / 9, s.meanEta2Top(10), 1e-15);
        double top1000 = 0;
        for (int k = 0; k < 1000; k++)
            if (k != 3 && k != 500) top1000 += (1200 - k) / 1200.0;
        assertEquals(top1000 / 998, s.meanEta2Top(1000), 1e-14);
        // eta2 >= 0.1: (1200 - k) >= 120, k <= 1080; even k (p 0.01), not 500 (undefined): 541 - 1
        assertEquals(540 / 1200.0, s.shareAtLeast01(), 1e-15);
        // eta2 >= 0.25: k <= 900, even: 451 - 1
        assertEquals(450 / 1200.0, s.shareAtLeast025(), 1e-15);
        SpecificitySummary small = SpecificitySummary.of(r, LabelSetting.LANGUAGE, perNeuron.subList(0, 50));
        assertEquals(1, small.meanEta2().size());
        assertTrue(Double.isNaN(small.meanEta2Top(100)), "50 neurons have no top 100");
    }
}
