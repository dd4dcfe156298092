package tn.method;

/**
 * Running sums for the centroids of METHOD.md, in double:
 * Type-1 from pairs, C_l = mean_k (h_l(en_k) + h_l(L2_k)) / 2; Type-2 from L2 sentences,
 * C_l = mean_k h_l(s_k). The sums and the count are the whole state, so a checkpoint is them.
 */
public final class CentroidSums {
    private final HiddenStates states;
    private final int nEmbd;
    private final double[] sums;   // nLayer x nEmbd
    private long count;

    public CentroidSums(HiddenStates states, int nEmbd) {
        this.states = states;
        this.nEmbd = nEmbd;
        this.sums = new double[states.nLayer() * nEmbd];
    }

    /** Adds the midpoints of pairs: en and l2 are captures of the same number of sentences, pair k in row k. */
    public void addPairs(tn.llama.Capture en, tn.llama.Capture l2) {
        if (en.sentences() != l2.sentences()) {
            throw new IllegalArgumentException(en.sentences() + " English and " + l2.sentences() + " L2 sentences");
        }
        int n = en.sentences();
        for (int l = 0; l < states.nLayer(); l++) {
            float[] a = states.at(en, l);
            float[] b = states.at(l2, l);
            int base = l * nEmbd;
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < nEmbd; j++) sums[base + j] += (a[k * nEmbd + j] + (double) b[k * nEmbd + j]) / 2;
            }
        }
        count += n;
    }

    /** Adds the states of monolingual sentences. */
    public void addStates(tn.llama.Capture capture) {
        int n = capture.sentences();
        for (int l = 0; l < states.nLayer(); l++) {
            float[] h = states.at(capture, l);
            int base = l * nEmbd;
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < nEmbd; j++) sums[base + j] += h[k * nEmbd + j];
            }
        }
        count += n;
    }

    public long count() {
        return count;
    }

    public Centroids centroids() {
        if (count == 0) throw new IllegalStateException("no sentences were added");
        float[] c = new float[sums.length];
        for (int i = 0; i < c.length; i++) c[i] = (float) (sums[i] / count);
        return new Centroids(states.nLayer(), nEmbd, c);
    }

    /** The state a checkpoint keeps. */
    public double[] sums() {
        return sums;
    }

    public void restore(double[] saved, long savedCount) {
        if (saved.length != sums.length) throw new IllegalArgumentException("checkpoint sums have the wrong size");
        System.arraycopy(saved, 0, sums, 0, sums.length);
        count = savedCount;
    }
}
