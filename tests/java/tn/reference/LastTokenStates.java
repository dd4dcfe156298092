package tn.reference;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hidden states the analyses read, at each sentence's last token, computed by the float64
 * forward pass: h_l as transformers' output_hidden_states[1:] has them (layer l's output, the last
 * layer's after the final norm), optionally preceded by the embedding output.
 */
public final class LastTokenStates {
    private LastTokenStates() {}

    /**
     * [layer][sentence * n_embd] as float32, as tn's captures hold them: layers 0..L-1, or with
     * embedding the embedding output first and then those (L + 1 rows).
     */
    public static float[][] of(
            ReferenceForward reference, List<int[]> sentences, ReferenceForward.Deactivation off, boolean embedding) {
        float[][] out = null;
        for (int s = 0; s < sentences.size(); s++) {
            ReferenceForward.Result r = reference.forward(sentences.get(s), off);
            int nLayer = r.lOut().length, last = sentences.get(s).length - 1, first = embedding ? 1 : 0;
            if (out == null) out = new float[nLayer + first][sentences.size() * r.embd()[0].length];
            if (embedding) put(out[0], s, r.embd()[last]);
            for (int l = 0; l < nLayer; l++)
                put(out[l + first], s, l == nLayer - 1 ? r.resultNorm()[last] : r.lOut()[l][last]);
        }
        return out;
    }

    /** Neurons of one layer set to 0, as the reference's deactivation takes them. */
    public static Map<Integer, Map<Integer, Double>> zeroed(int layer, Set<Integer> neurons) {
        Map<Integer, Double> values = new java.util.HashMap<>();
        for (int i : neurons) values.put(i, 0.0);
        return Map.of(layer, values);
    }

    private static void put(float[] rows, int s, double[] state) {
        for (int j = 0; j < state.length; j++) rows[s * state.length + j] = (float) state[j];
    }
}
