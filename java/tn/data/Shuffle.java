package tn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded random orders (Fisher-Yates): the same seed gives the same order on every machine, so
 * every seeded choice in tn (datasets, non-parallel partners, samples) is reproducible.
 */
public final class Shuffle {
    private Shuffle() {}

    /** A random order of 0..n-1 for this seed. */
    public static int[] order(int n, long seed) {
        return order(n, new SplittableRandom(seed));
    }

    /** A random order of 0..n-1, drawn from random. */
    public static int[] order(int n, SplittableRandom random) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Shuffles list in place, with the same draws as {@link #order(int, SplittableRandom)}. */
    public static <T> void inPlace(List<T> list, SplittableRandom random) {
        List<T> copy = new ArrayList<>(list);
        int[] order = order(list.size(), random);
        for (int i = 0; i < order.length; i++) list.set(i, copy.get(order[i]));
    }
}
