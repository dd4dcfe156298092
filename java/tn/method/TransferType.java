package tn.method;

import tn.io.InvalidValueException;
import java.util.Locale;

/**
 * The two kinds of transfer neurons. Type-1 neurons (early layers) move L2 representations
 * toward the shared, English-centric latent space; Type-2 neurons (final layers) move them from
 * there toward the L2's own space. Each has its centroids and its candidate layers.
 */
public enum TransferType {
    TYPE1,
    TYPE2;

    /** The name used on the command line and in the original implementation's file names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransferType parse(String s) {
        for (TransferType t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) return t;
        }
        throw new InvalidValueException("unknown type '{}': expected type1 or type2", s);
    }

    /**
     * The paper's candidate layers scaled to the model: its 32-layer models use layers 0..19 for
     * Type-1 and 20..31 for Type-2; an L-layer model splits at round(L * 20 / 32).
     */
    public LayerRange candidateLayers(int nLayer) {
        if (nLayer < 2) throw new IllegalArgumentException("a model needs at least 2 layers to split, has " + nLayer);
        int split = (int) Math.floor(nLayer * 20 / 32.0 + 0.5);
        return this == TYPE1 ? new LayerRange(0, split) : new LayerRange(split, nLayer);
    }
}
