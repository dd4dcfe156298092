package tn.analysis;

import org.apache.commons.math3.special.Beta;

/**
 * Welch's t-test of two groups with unequal variances, as the original implementation's
 * htest.py runs it beside eta^2 ({@code scipy.stats.ttest_ind(group0, group1, equal_var=False)},
 * group 0 the sentences labelled 0, group 1 those labelled 1):
 * <pre>
 *   t  = (mean_0 - mean_1) / sqrt(s0^2/n0 + s1^2/n1)        (s^2 the unbiased variance, M2 / (n - 1))
 *   df = (s0^2/n0 + s1^2/n1)^2 / ((s0^2/n0)^2/(n0-1) + (s1^2/n1)^2/(n1-1))   (Welch-Satterthwaite)
 *   p  = P(|T_df| >= |t|), two-sided
 * </pre>
 * So t is negative when the labelled group's mean is the higher. p is the regularized incomplete
 * beta I_{df/(df+t^2)}(df/2, 1/2), exact where 1 - cdf would round to 0. Undefined (NaN): a group
 * of fewer than 2 values, or both groups constant and equal. Both constant but apart: t is
 * infinite, p 0, df NaN.
 */
public record WelchTest(double t, double df, double pValue) {
    private static final WelchTest UNDEFINED = new WelchTest(Double.NaN, Double.NaN, Double.NaN);

    public static WelchTest of(Moments group0, Moments group1) {
        if (group0.n() < 2 || group1.n() < 2) return UNDEFINED;
        double a = group0.m2() / (group0.n() - 1) / group0.n(); // s0^2 / n0
        double b = group1.m2() / (group1.n() - 1) / group1.n();
        double diff = group0.mean() - group1.mean();
        if (a + b == 0)
            return diff == 0 ? UNDEFINED : new WelchTest(Math.copySign(Double.POSITIVE_INFINITY, diff), Double.NaN, 0);
        double t = diff / Math.sqrt(a + b);
        double df = (a + b) * (a + b) / (a * a / (group0.n() - 1) + b * b / (group1.n() - 1));
        return new WelchTest(t, df, Beta.regularizedBeta(df / (df + t * t), df / 2, 0.5));
    }
}
