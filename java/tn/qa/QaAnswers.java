package tn.qa;

import tn.generate.Generation;
import tn.generate.StopReason;
import tn.method.Accumulator;

/**
 * What a question-answering run has produced so far, question by question, as the doubles a
 * checkpoint keeps: per question its F1 and exact match, how many tokens were generated, whether the model
 * ended the answer itself, the smallest top-2 logit margin of its greedy choices, and the
 * generated token ids.
 */
public final class QaAnswers extends Accumulator {
    private static final int F1 = 0, EXACT = 1, TOKENS = 2, ENDED = 3, MIN_MARGIN = 4, HEADER = 5;

    private final int maxNewTokens;

    public QaAnswers(int questions, int maxNewTokens) {
        super(Math.multiplyExact(questions, HEADER + maxNewTokens));
        this.maxNewTokens = maxNewTokens;
    }

    public void put(int question, Generation g, double f1, boolean exact) {
        int at = question * stride();
        sums[at + F1] = f1;
        sums[at + EXACT] = exact ? 1 : 0;
        sums[at + TOKENS] = g.tokens().length;
        sums[at + ENDED] = g.reason() == StopReason.END_OF_GENERATION ? 1 : 0;
        sums[at + MIN_MARGIN] = g.minMargin();
        for (int t = 0; t < g.tokens().length; t++) sums[at + HEADER + t] = g.tokens()[t];
        count++;
    }

    public double f1(int question) {
        return sums[question * stride() + F1];
    }

    public boolean exact(int question) {
        return sums[question * stride() + EXACT] != 0;
    }

    public int[] tokens(int question) {
        int at = question * stride();
        int n = (int) sums[at + TOKENS];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = (int) sums[at + HEADER + i];
        return t;
    }

    public boolean endedByModel(int question) {
        return sums[question * stride() + ENDED] != 0;
    }

    public double minMargin(int question) {
        return sums[question * stride() + MIN_MARGIN];
    }

    /** The mean F1 over the questions answered so far (count() of them, the first ones). */
    public double meanF1() {
        double s = 0;
        for (int q = 0; q < count; q++) s += f1(q);
        return count == 0 ? Double.NaN : s / count;
    }

    /** The share of exact matches among the questions answered so far. */
    public double exactMatch() {
        double s = 0;
        for (int q = 0; q < count; q++) s += exact(q) ? 1 : 0;
        return count == 0 ? Double.NaN : s / count;
    }

    private int stride() {
        return HEADER + maxNewTokens;
    }
}
