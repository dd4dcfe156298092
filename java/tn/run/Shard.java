package tn.run;

import tn.io.InvalidValueException;

/**
 * The K-th of N slices of a run's items (K from 1), for running one run as N processes (on a
 * cluster, say) and merging their partial sums with {@code tn merge}. Slices are contiguous and
 * made of whole batches of the unsharded run, so every sentence meets the same batch-mates in a
 * llama_decode call as it would unsharded: the forward passes are bit for bit the same and a
 * merged result differs from the unsharded one only by the order its sums were added in.
 */
public record Shard(int k, int n) {
    public static final int MAX = 10_000;

    public Shard {
        if (n < 1 || n > MAX) throw new InvalidValueException("shard K/N: N must be 1..{}, is {}", MAX, n);
        if (k < 1 || k > n) throw new InvalidValueException("shard K/N: K must be 1..{}, is {}", n, k);
    }

    /** "K/N", e.g. 2/8. */
    public static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) throw new InvalidValueException("'{}': expected K/N, e.g. 2/8", text);
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("'{}': expected K/N with whole numbers, e.g. 2/8", text);
        }
    }

    /** Items [from, to) of a run over items items in batches of batch. */
    public ItemRange slice(int items, int batch) {
        long batches = (items + (long) batch - 1) / batch;
        long first = batches * (k - 1) / n, last = batches * k / n;
        return new ItemRange((int) Math.min(first * batch, items), (int) Math.min(last * batch, items));
    }

    @Override
    public String toString() {
        return k + "/" + n;
    }

    /** Items from (inclusive) to to (exclusive). */
    public record ItemRange(int from, int to) {
        public int size() {
            return to - from;
        }
    }
}
