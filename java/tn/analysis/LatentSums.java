package tn.analysis;

import tn.method.Accumulator;

/**
 * What a latent-space run accumulates, per layer: the sum of each language's hidden states (for
 * the centroids) and the states of the sentences chosen for the PCA, kept whole. All of it lives
 * in the accumulator's doubles so that a checkpoint keeps the PCA sample too; that costs
 * layers x pcaRows x width doubles (about 1 GB for 1000 sentences, 33 layers of 4096).
 *
 * <p>Layout: sums [layer][group][width], then the sentence count per group, then the PCA states
 * [layer][pcaRow][width].
 */
public final class LatentSums extends Accumulator {
    private final int layers;
    private final int groups;
    private final int width;
    private final int pcaRows;

    public LatentSums(int layers, int groups, int width, int pcaRows) {
        super(Math.toIntExact((long) layers * groups * width + groups + (long) layers * pcaRows * width));
        this.layers = layers;
        this.groups = groups;
        this.width = width;
        this.pcaRows = pcaRows;
    }

    /**
     * Adds one sentence: states[layer] is its hidden state at each layer (offset its row in each
     * matrix); pcaRow is its row in the PCA sample, or -1 if not sampled.
     */
    public void add(int group, float[][] states, int offset, int pcaRow) {
        for (int l = 0; l < layers; l++) {
            int at = (l * groups + group) * width;
            for (int j = 0; j < width; j++) sums[at + j] += states[l][offset + j];
            if (pcaRow >= 0) {
                int p = pcaStart() + (l * pcaRows + pcaRow) * width;
                for (int j = 0; j < width; j++) sums[p + j] = states[l][offset + j];
            }
        }
        sums[layers * groups * width + group]++;
        count++;
    }

    /** How many sentences of group g were added. */
    public long count(int group) {
        return (long) sums[layers * groups * width + group];
    }

    /** The centroid of each group at a layer: groups x width. */
    public double[][] centroids(int layer) {
        double[][] c = new double[groups][width];
        for (int g = 0; g < groups; g++) {
            long n = count(g);
            int at = (layer * groups + g) * width;
            for (int j = 0; j < width; j++) c[g][j] = sums[at + j] / n;
        }
        return c;
    }

    /** The PCA sample's states at a layer: pcaRows x width, row-major (exactly the captured floats). */
    public float[] pcaStates(int layer) {
        return pcaStates(layer, java.util.stream.IntStream.range(0, pcaRows).toArray());
    }

    /** The states of some of the PCA sample's rows at a layer, in the order given: rows.length x width. */
    public float[] pcaStates(int layer, int[] rows) {
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            int at = pcaStart() + (layer * pcaRows + rows[r]) * width;
            for (int j = 0; j < width; j++) out[r * width + j] = (float) sums[at + j];
        }
        return out;
    }

    private int pcaStart() {
        return layers * groups * width + groups;
    }
}
