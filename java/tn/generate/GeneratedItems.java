package tn.generate;

import tn.method.Accumulator;

/**
 * What a run has generated, item by item, as the doubles a checkpoint keeps: per item whether it
 * is done, why it stopped, its smallest top-2 margin and its token ids, at the item's index in
 * the whole run (zeros for items not done, so that shards' states add up). Items may be done out
 * of order, ahead of the items counted: {@link #count()} is what the run has counted as done
 * ({@link #counted}), a contiguous stretch of items.
 */
public final class GeneratedItems extends Accumulator {
    private static final int DONE = 0, REASON = 1, TOKENS = 2, MIN_MARGIN = 3, HEADER = 4;

    /** A stored continuation: its tokens, why it stopped, and its smallest top-2 margin. */
    public record Stored(int[] tokens, StopReason reason, double minMargin) {}

    private final int maxNewTokens;

    public GeneratedItems(int items, int maxNewTokens) {
        super(Math.multiplyExact(items, HEADER + maxNewTokens));
        this.maxNewTokens = maxNewTokens;
    }

    public void put(int item, Generation g) {
        if (g.tokens().length > maxNewTokens) throw new IllegalArgumentException("more tokens than " + maxNewTokens);
        int at = item * stride();
        sums[at + DONE] = 1;
        sums[at + REASON] = g.reason().ordinal() + 1;
        sums[at + TOKENS] = g.tokens().length;
        sums[at + MIN_MARGIN] = g.minMargin();
        for (int t = 0; t < g.tokens().length; t++) sums[at + HEADER + t] = g.tokens()[t];
    }

    public boolean done(int item) {
        return sums[item * stride() + DONE] != 0;
    }

    public Stored get(int item) {
        if (!done(item)) throw new IllegalStateException("item " + item + " has not been generated");
        int at = item * stride();
        int n = (int) sums[at + TOKENS];
        int[] tokens = new int[n];
        for (int t = 0; t < n; t++) tokens[t] = (int) sums[at + HEADER + t];
        return new Stored(tokens, StopReason.values()[(int) sums[at + REASON] - 1], sums[at + MIN_MARGIN]);
    }

    /** Counts n more items as done (the run's next stretch, every one of them generated). */
    public void counted(int n) {
        count += n;
    }

    private int stride() {
        return HEADER + maxNewTokens;
    }
}
