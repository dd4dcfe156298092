package tn.method;

/**
 * Running sums for the centroids of docs/method.md, in double:
 * Type-1 from pairs, C_l = mean_k (h_l(en_k) + h_l(L2_k)) / 2; Type-2 from L2 sentences,
 * C_l = mean_k h_l(s_k).
 */
public final class CentroidSums extends Accumulator {
    private final HiddenStates states;
    private final int nEmbd; // sums: nLayer x nEmbd

    public CentroidSums(HiddenStates states, int nEmbd) {
        super(states.nLayer() * nEmbd);
        this.states = states;
        this.nEmbd = nEmbd;
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

    public Centroids centroids() {
        if (count == 0) throw new IllegalStateException("no sentences were added");
        float[] c = new float[sums.length];
        for (int i = 0; i < c.length; i++) c[i] = (float) (sums[i] / count);
        return new Centroids(states.nLayer(), nEmbd, c);
    }
}
