package tn.method;

/**
 * Running sums in double and how many sentences went into them: the whole state of a run's
 * accumulation, so that a checkpoint is just these.
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

    public long count() {
        return count;
    }

    /** Continues from saved sums, as a checkpoint kept them. */
    public void restore(double[] saved, long savedCount) {
        if (saved.length != sums.length) throw new IllegalArgumentException("checkpoint sums have the wrong size");
        System.arraycopy(saved, 0, sums, 0, sums.length);
        count = savedCount;
    }
}
