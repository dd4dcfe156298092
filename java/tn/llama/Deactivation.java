package tn.llama;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Neurons whose activation is overwritten before the down projection: set to 0 (switched off)
 * or to given values, at the last token or at every position, in every sentence of a batch
 * (a run that deactivates one side of a pair, the L2 side, runs that side on its own).
 */
public record Deactivation(Map<Neuron, Float> values, Positions positions) {
    private static final Deactivation NONE = new Deactivation(Map.of(), Positions.LAST_TOKEN);

    public Deactivation {
        if (positions == Positions.AFTER_FIRST_TOKEN)
            throw new IllegalArgumentException("a deactivation applies at the last token or at all");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Deactivation none() {
        return NONE;
    }

    /** Switches the neurons off (activation 0) at the given positions of every sentence. */
    public static Deactivation zero(Collection<Neuron> neurons, Positions positions) {
        Map<Neuron, Float> v = new LinkedHashMap<>();
        for (Neuron n : neurons) v.put(n, 0f);
        return new Deactivation(v, positions);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return values.size() + " neurons at " + positions;
    }
}
