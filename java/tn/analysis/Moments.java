package tn.analysis;

/**
 * Count, mean and sum of squared deviations from the mean (M2) of a set of values: what the
 * one-way ANOVA needs of a group, kept so that groups merge without loss (Chan et al.'s pairwise
 * formula) instead of as raw sums of x and x^2, which cancel catastrophically when the spread
 * is small against the mean.
 */
public record Moments(long n, double mean, double m2) {
    public static final Moments EMPTY = new Moments(0, 0, 0);

    public Moments {
        if (n < 0 || m2 < 0)
            throw new IllegalArgumentException("count and M2 cannot be negative: n " + n + ", M2 " + m2);
    }

    /** The moments of the union of this set and other (Chan, Golub and LeVeque). */
    public Moments merge(Moments other) {
        if (other.n == 0) return this;
        if (n == 0) return other;
        long total = n + other.n;
        double delta = other.mean - mean;
        return new Moments(
                total, mean + delta * other.n / total, m2 + other.m2 + delta * delta * ((double) n * other.n / total));
    }
}
