package tn.compare;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Agreement's figures by their textbook definitions, slowly and independently of it (no Commons
 * Math, no shared ranking code): Spearman's rho as Pearson's r of average ranks, Kendall's tau-b
 * by counting every pair, and top-k overlap by sorting (ties to the lower index, as tn ranks).
 */
public final class NaiveAgreement {
    private NaiveAgreement() {}

    public static double spearman(double[] a, double[] b) {
        return pearson(averageRanks(a), averageRanks(b));
    }

    /** tau-b = (concordant - discordant) / sqrt((pairs - ties in a) (pairs - ties in b)). */
    public static double kendall(double[] a, double[] b) {
        long concordant = 0, discordant = 0, tiesA = 0, tiesB = 0, pairs = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                pairs++;
                double da = Math.signum(a[i] - a[j]), db = Math.signum(b[i] - b[j]);
                if (da == 0) tiesA++;
                if (db == 0) tiesB++;
                if (da * db > 0) concordant++;
                if (da * db < 0) discordant++;
            }
        }
        return (concordant - discordant) / Math.sqrt((double) (pairs - tiesA) * (pairs - tiesB));
    }

    /** |top k of a and top k of b| / k. */
    public static double overlap(double[] a, double[] b, int k) {
        Set<Integer> topA = new HashSet<>(top(a, k));
        return top(b, k).stream().filter(topA::contains).count() / (double) k;
    }

    static List<Integer> top(double[] s, int k) {
        return IntStream.range(0, s.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> - s[i]).thenComparingInt(i -> i))
                .limit(k)
                .toList();
    }

    static double[] averageRanks(double[] s) {
        double[] ranks = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            int below = 0, equal = 0;
            for (double x : s) {
                if (x < s[i])
                    below++;
                else if (x == s[i])
                    equal++;
            }
            ranks[i] = below + (equal + 1) / 2.0;
        }
        return ranks;
    }

    static double pearson(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
