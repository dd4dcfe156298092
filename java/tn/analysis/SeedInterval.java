package tn.analysis;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of one figure over R runs that differ only in their random seed (R random baselines),
 * and its 95% confidence interval by Student's t with R - 1 degrees of freedom:
 * <pre>
 *   mean ± t_{0.975, R-1} · s / sqrt(R)        (s the sample standard deviation, divisor R - 1)
 * </pre>
 * An interval over seeds says how much the baseline's figure depends on which random neurons were
 * drawn; a NaN among the values makes all three NaN.
 */
public record SeedInterval(double mean, double low, double high) {
    /** The confidence the interval is drawn at. */
    public static final double CONFIDENCE = 0.95;

    /** Commons Math finds the quantile to 1e-9 by default; the interval's figures are written to 17 digits. */
    private static final double QUANTILE_ACCURACY = 1e-14;

    /** The interval of values, one per seed; at least 2 of them. */
    public static SeedInterval of(double[] values) {
        int r = values.length;
        if (r < 2) throw new IllegalArgumentException("an interval across seeds needs at least 2 values, has " + r);
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / r;
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        double sd = Math.sqrt(squares / (r - 1));
        double t = new TDistribution(null, r - 1, QUANTILE_ACCURACY)
                           .inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double half = t * sd / Math.sqrt(r);
        return new SeedInterval(mean, mean - half, mean + half);
    }
}
