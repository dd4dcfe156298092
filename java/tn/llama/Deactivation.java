package tn.llama;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Neurons whose activation is overwritten before the down projection: set to 0 (switched off)
 * or to given values, at the last token or at every position, in all sentences of a batch or
 * in those a mask selects (e.g. the L2 side of a pair).
 */
public record Deactivation(Map<Neuron, Float> values, Positions positions, boolean[] sentenceMask) {

    private static final Deactivation NONE = new Deactivation(Map.of(), Positions.LAST_TOKEN, null);

    public Deactivation {
        if (positions == Positions.AFTER_FIRST_TOKEN) throw new IllegalArgumentException("a deactivation applies at the last token or at all");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        sentenceMask = sentenceMask == null ? null : sentenceMask.clone();
    }

    public static Deactivation none() {
        return NONE;
    }

    /** Switches the neurons off (activation 0) at the given positions of every sentence. */
    public static Deactivation zero(Collection<Neuron> neurons, Positions positions) {
        Map<Neuron, Float> v = new LinkedHashMap<>();
        for (Neuron n : neurons) v.put(n, 0f);
        return new Deactivation(v, positions, null);
    }

    /** The same neurons and values, applied only where mask[sentence] is true. */
    public Deactivation onlySentences(boolean[] mask) {
        return new Deactivation(values, positions, mask);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Whether it applies to sentence i. */
    public boolean appliesTo(int sentence) {
        return sentenceMask == null || (sentence < sentenceMask.length && sentenceMask[sentence]);
    }

    @Override
    public String toString() {
        return values.size() + " neurons at " + positions + (sentenceMask == null ? "" : " in " + Arrays.toString(sentenceMask));
    }
}
