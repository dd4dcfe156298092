package tn.analysis;

import org.junit.jupiter.api.Test;
import tn.Cosine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mutual kNN statistic against its definition, counted by brute force, and small cases worked by hand. */
class MutualKnnTest {
    @Test
    void equalsABruteForceCountOnRandomData() {
        Random random = new Random(3);
        for (int[] c : new int[][] {{40, 8, 5}, {40, 8, 1}, {25, 16, 10}, {12, 3, 11}}) {
            int n = c[0], width = c[1], k = c[2];
            float[] a = gaussian(random, n * width);
            float[] b = mixed(random, a);
            double expected = bruteForce(a, b, width, k);
            assertEquals(expected, MutualKnn.score(a, b, width, k), 1e-12, n + " x " + width + ", k " + k);
            assertTrue(k == n - 1 ? expected == 1 : expected > 0 && expected < 1,
                    "a partial overlap to count: " + expected);
        }
    }

    @Test
    void identicalSpacesAlignCompletely() {
        float[] a = gaussian(new Random(5), 30 * 4);
        assertEquals(1.0, MutualKnn.score(a, a.clone(), 4, 5));
        float[] scaled = a.clone(); // each vector's length is irrelevant: only directions count
        for (int i = 0; i < scaled.length; i++) scaled[i] *= 1 + i / 4;
        assertEquals(1.0, MutualKnn.score(a, scaled, 4, 5));
    }

    @Test
    void aKnownPartialOverlap() {
        // angles a: 0, 10, 90, 100 degrees -> nearest 1, 0, 3, 2; b: 0, 10, 90, 180 -> nearest 1, 0, 1, 2
        float[] a = angles(0, 10, 90, 100), b = angles(0, 10, 90, 180);
        assertArrayEquals(new int[][] {{1}, {0}, {3}, {2}}, MutualKnn.neighbours(a, 2, 1));
        assertArrayEquals(new int[][] {{1}, {0}, {1}, {2}}, MutualKnn.neighbours(b, 2, 1));
        assertEquals(0.75, MutualKnn.score(a, b, 2, 1));
    }

    @Test
    void tiesGoToTheLowerIndex() {
        float[] x = {1, 0, 0, 1, 0, 5, -1, 0}; // items 1 and 2 point the same way, 2 five times longer
        int[][] nn = MutualKnn.neighbours(x, 2, 2);
        assertArrayEquals(new int[] {1, 2}, nn[0]);
        assertArrayEquals(new int[] {2, 0}, nn[1]);
        assertArrayEquals(new int[] {1, 0}, nn[2]);
        assertArrayEquals(new int[] {1, 2}, nn[3]);
    }

    @Test
    void kMustBeLessThanTheItems() {
        float[] x = angles(0, 10, 90, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MutualKnn.score(x, x, 2, 4));
        assertTrue(e.getMessage().contains("less than the 4 items"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MutualKnn.score(x, x, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> MutualKnn.score(x, new float[6], 2, 1));
    }

    /** For each j, all other items sorted by cosine (descending, then index); the first k of each space compared. */
    static double bruteForce(float[] a, float[] b, int width, int k) {
        int n = a.length / width;
        double total = 0;
        for (int j = 0; j < n; j++) {
            Set<Integer> na = firstK(a, width, j, k), nb = firstK(b, width, j, k);
            na.retainAll(nb);
            total += (double) na.size() / k;
        }
        return total / n;
    }

    static Set<Integer> firstK(float[] x, int width, int j, int k) {
        int n = x.length / width;
        List<Integer> others = IntStream.range(0, n)
                                       .filter(i -> i != j)
                                       .boxed()
                                       .sorted(Comparator.comparingDouble((Integer i) -> - cosine(x, width, i, j))
                                                       .thenComparingInt(i -> i))
                                       .collect(Collectors.toList());
        return new HashSet<>(others.subList(0, k));
    }

    static double cosine(float[] x, int width, int i, int j) {
        return Cosine.of(Arrays.copyOfRange(x, i * width, (i + 1) * width),
                Arrays.copyOfRange(x, j * width, (j + 1) * width));
    }

    static float[] gaussian(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    /** Half a, half noise: related enough to a that the overlap lies strictly between 0 and 1. */
    static float[] mixed(Random random, float[] a) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i] + (float) random.nextGaussian();
        return b;
    }

    static float[] angles(double... degrees) {
        float[] x = new float[2 * degrees.length];
        for (int i = 0; i < degrees.length; i++) {
            x[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            x[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return x;
    }
}
