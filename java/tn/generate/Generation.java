package tn.generate;

/**
 * A greedy continuation: the tokens chosen, and margins[t], the top-1 minus the top-2 logit at
 * step t (one more than the tokens when the model ended it: the margin of its end-of-generation
 * token). Where a margin is tiny, another implementation's rounding may pick the other token.
 */
public record Generation(int[] tokens, float[] margins, StopReason reason) {
    /** The smallest margin, NaN for none. */
    public double minMargin() {
        double min = Double.NaN;
        for (float m : margins) min = Double.isNaN(min) ? m : Math.min(min, m);
        return min;
    }
}
