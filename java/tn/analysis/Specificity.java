package tn.analysis;

import org.apache.commons.math3.special.Beta;

/**
 * How specific a neuron's activation is to one language (docs/method.md, language specificity): the sentences
 * split in two groups, those labelled 1 (the target language's, or its family's, see
 * {@link LabelSetting}) and all the others (label 0); the correlation ratio of the activation
 * with that label,
 * <pre>
 *   eta^2 = SS_between / SS_total,  SS_between = sum_g n_g (mean_g - mean)^2,  SS_total = sum (x - mean)^2
 * </pre>
 * the one-way ANOVA of the two groups: F = (SS_between / 1) / (SS_within / (N - 2)) with
 * p = P(F(1, N-2) > F); and beside them Welch's t-test of the two groups ({@link WelchTest}), as
 * the original's htest.py computes it. The criterion is the ANOVA's, as there.
 *
 * <p>Undefined cases are NaN, never a guess: fewer than 3 sentences or an empty group (no
 * within-group degree of freedom, or nothing to compare), and an activation that is the same on
 * every sentence (SS_total = 0: 0/0). When the groups differ but each is constant (SS_within = 0
 * < SS_between) eta^2 is 1, F infinite and p 0.
 *
 * @param eta2   the correlation ratio, 0..1, or NaN
 * @param f      the F statistic, or NaN
 * @param pValue the upper tail of F(1, N-2) at f, or NaN
 * @param welch  Welch's t-test of the label-0 group against the label-1 group
 */
public record Specificity(double eta2, double f, double pValue, WelchTest welch) {
    public static final double ALPHA = 0.05;

    /** The split of the label-1 sentences (target) against the label-0 ones (others). */
    public static Specificity of(Moments target, Moments others) {
        WelchTest welch = WelchTest.of(others, target);
        Specificity undefined = new Specificity(Double.NaN, Double.NaN, Double.NaN, welch);
        long n = target.n() + others.n();
        if (target.n() == 0 || others.n() == 0 || n < 3) return undefined;
        double within = target.m2() + others.m2();
        double diff = target.mean() - others.mean();
        // for two groups SS_between is exactly this (Chan's merge term), with no grand-mean cancellation
        double between = diff * diff * ((double) target.n() * others.n() / n);
        double total = between + within;
        if (total == 0) return undefined;
        if (within == 0) return new Specificity(1, Double.POSITIVE_INFINITY, 0, welch);
        double dfWithin = n - 2;
        double f = between / (within / dfWithin);
        return new Specificity(between / total, f, upperTail(f, dfWithin), welch);
    }

    /**
     * P(F(1, d) > f) as the regularized incomplete beta I_{d/(d+f)}(d/2, 1/2): the same value as
     * 1 - FDistribution(1, d).cumulativeProbability(f), but without the subtraction, which rounds
     * every p below about 1e-16 to 0 (common with a thousand sentences per language).
     */
    static double upperTail(double f, double d) {
        return Beta.regularizedBeta(d / (d + f), d / 2, 0.5);
    }

    /**
     * eta^2 at least threshold with the ANOVA's p below 0.05, as the original's htest.py counts
     * ({@code p < 0.05 and eta^2 >= threshold}; the paper's tables say "> 0.1"); false when undefined.
     */
    public boolean specific(double eta2Threshold) {
        return eta2 >= eta2Threshold && pValue < ALPHA;
    }

    public boolean defined() {
        return !Double.isNaN(eta2);
    }
}
