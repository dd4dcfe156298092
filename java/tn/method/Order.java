package tn.method;

import java.util.Arrays;

/**
 * The order of a vector of scores from the highest to the lowest, ties to the lower index, NaN
 * last: what rankings are made of, and what the bootstrap computes hundreds of times for hundreds
 * of thousands of candidates, so it is a radix sort of primitive keys rather than a sort of boxed
 * indices. The key is the value as a float, in bits that order like the values (four stable
 * passes of 8 bits over indices in index order, so equal keys keep the lower index first); values
 * that differ but round to the same float are then put in exact order.
 */
final class Order {
    private static final int DIGIT = 8, BUCKETS = 1 << DIGIT;

    private Order() {}

    static int[] of(double[] values) {
        int n = values.length;
        int[] keys = new int[n], order = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(values[i]);
            order[i] = i;
        }
        int[] k2 = new int[n], o2 = new int[n], count = new int[BUCKETS];
        for (int shift = 0; shift < 32; shift += DIGIT) {
            Arrays.fill(count, 0);
            for (int k : keys) count[(k >>> shift) & (BUCKETS - 1)]++;
            if (count[(keys[0] >>> shift) & (BUCKETS - 1)] == n) continue; // one digit value: nothing moves
            for (int b = 0, sum = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int at = count[(keys[i] >>> shift) & (BUCKETS - 1)]++;
                k2[at] = keys[i];
                o2[at] = order[i];
            }
            int[] t = keys;
            keys = k2;
            k2 = t;
            t = order;
            order = o2;
            o2 = t;
        }
        for (int p = 0; p < n;) { // runs of one float: exact order of the doubles
            int q = p + 1;
            while (q < n && keys[q] == keys[p]) q++;
            if (q - p > 1) exact(values, order, p, q);
            p = q;
        }
        return order;
    }

    /** Unsigned bits that ascend as the value descends; NaN after everything. */
    private static int key(double v) {
        if (Double.isNaN(v)) return -1;
        int bits = Float.floatToRawIntBits((float) v);
        return ~(bits ^ ((bits >> 31) | Integer.MIN_VALUE));
    }

    private static void exact(double[] values, int[] order, int from, int to) {
        Integer[] run = new Integer[to - from];
        for (int p = from; p < to; p++) run[p - from] = order[p];
        Arrays.sort(run, (a, b) -> {
            int c = Double.compare(values[b], values[a]); // descending; -0.0 after 0.0, as the definition has it
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int p = from; p < to; p++) order[p] = run[p - from];
    }
}
