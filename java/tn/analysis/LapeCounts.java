package tn.analysis;

import tn.method.Accumulator;

import java.util.List;

/**
 * LAPE's raw material while a run goes: per language, the tokens seen and, per layer and
 * neuron, at how many of them the activation was positive. Counts are kept in doubles, exact
 * up to 2^53, so that a checkpoint is just the sums.
 */
public final class LapeCounts extends Accumulator {
    private final int languages, nLayer, nFf;

    public LapeCounts(int languages, int nLayer, int nFf) {
        super(Math.multiplyExact(languages, 1 + nLayer * nFf));
        this.languages = languages;
        this.nLayer = nLayer;
        this.nFf = nFf;
    }

    /**
     * Adds one sentence of language g: tokens counted, and for each layer its row of positive
     * counts, found in counts[layer] at offset.
     */
    public void add(int g, int tokens, float[][] counts, int offset) {
        int at = g * stride();
        sums[at] += tokens;
        for (int l = 0; l < nLayer; l++) {
            float[] row = counts[l];
            int base = at + 1 + l * nFf;
            for (int i = 0; i < nFf; i++) sums[base + i] += row[offset + i];
        }
        count++;
    }

    /** The statistics of what was counted. */
    public Lape lape(List<String> languageNames) {
        long[] tokens = new long[languages];
        long[][][] positive = new long[languages][nLayer][nFf];
        for (int g = 0; g < languages; g++) {
            int at = g * stride();
            tokens[g] = (long) sums[at];
            for (int l = 0; l < nLayer; l++) {
                for (int i = 0; i < nFf; i++) positive[g][l][i] = (long) sums[at + 1 + l * nFf + i];
            }
        }
        return new Lape(languageNames, tokens, positive);
    }

    private int stride() {
        return 1 + nLayer * nFf;
    }
}
