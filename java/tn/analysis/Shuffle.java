package tn.analysis;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** A seeded random order of 0..n-1 (Fisher-Yates): the same seed, the same order, on every machine. */
public final class Shuffle {
    private Shuffle() {
    }

    public static int[] order(int n, long seed) {
        int[] order = IntStream.range(0, n).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
