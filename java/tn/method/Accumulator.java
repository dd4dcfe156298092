package tn.method;

/**
 * Running sums in double and how many items went into them: the whole state of a run's
 * accumulation, so that a checkpoint or a shard's state is just these. Positional state (one
 * slot per item) is kept at the item's index in the whole run, zeros elsewhere, so that it too
 * is a sum.
 */
public abstract class Accumulator {
    protected final double[] sums;
    protected long count;

    protected Accumulator(int size) {
        this.sums = new double[size];
    }

    /** The sums as they stand (not a copy). */
    public double[] sums() {
        return sums;
    }

    /** Items added. */
    public long count() {
        return count;
    }

    /** Continues from saved sums, as a checkpoint kept them. */
    public void restore(double[] saved, long savedCount) {
        if (saved.length != sums.length) throw new IllegalArgumentException("saved sums have the wrong size");
        System.arraycopy(saved, 0, sums, 0, sums.length);
        count = savedCount;
    }

    /**
     * Adds the state of the same accumulation over the items that follow those already here (the
     * next shard of a run). Sums add; an accumulator whose state is more than sums overrides this.
     */
    public void merge(double[] next, long nextCount) {
        if (next.length != sums.length) throw new IllegalArgumentException("merged sums have the wrong size");
        for (int i = 0; i < sums.length; i++) sums[i] += next[i];
        count += nextCount;
    }
}
