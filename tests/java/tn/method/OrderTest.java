package tn.method;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The radix order equals the plain definition: highest first, ties to the lower index, NaN last. */
class OrderTest {
    static int[] naive(double[] v) {
        return IntStream.range(0, v.length)
                .boxed()
                .sorted(Comparator.<Integer, Boolean>comparing(i -> Double.isNaN(v[i]))
                                .thenComparingDouble(i -> - v[i])
                                .thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    @Test
    void equalsTheDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 3, 17, 5000, 70_000}) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-8, 3));
            if (n > 100) {
                v[17] = v[n - 3]; // an exact tie
                v[20] = v[21] * (1 + 1e-13); // closer than the cut keys tell apart
                v[30] = Double.NaN;
                v[31] = Double.NaN;
                v[40] = 0.0;
                v[41] = -0.0;
                v[50] = Double.POSITIVE_INFINITY;
                v[51] = Double.NEGATIVE_INFINITY;
                v[60] = -v[61];
            }
            assertArrayEquals(naive(v), Ranking.order(v), "n = " + n);
        }
    }

    @Test
    void manyTiesKeepIndexOrder() {
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) v[i] = i % 7 == 0 ? 1.5 : (i % 3) * 1e-3;
        assertArrayEquals(naive(v), Ranking.order(v));
    }
}
