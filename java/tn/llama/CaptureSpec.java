package tn.llama;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tensors a forward pass copies out: a set of (kind, layer) slots and the token positions.
 * <pre>
 *   CaptureSpec.lastToken().allLayers(Kind.FFN_INP, n).allLayers(Kind.ACTIVATION, n).add(Kind.RESULT_NORM).build()
 * </pre>
 */
public record CaptureSpec(Positions positions, List<Slot> slots) {
    /** One captured tensor: kind at layer (layer is -1 for per-model kinds). */
    public record Slot(Kind kind, int layer) {
        public Slot {
            if (kind.perLayer() && layer < 0) throw new IllegalArgumentException(kind + " needs a layer");
            if (!kind.perLayer()) layer = -1;
        }
    }

    public CaptureSpec {
        slots = List.copyOf(slots);
    }

    public static Builder lastToken() {
        return new Builder(Positions.LAST_TOKEN);
    }

    public static Builder allTokens() {
        return new Builder(Positions.ALL_TOKENS);
    }

    /** Every token but each sentence's first (its BOS). */
    public static Builder afterFirstToken() {
        return new Builder(Positions.AFTER_FIRST_TOKEN);
    }

    /** A pass that captures nothing (e.g. to apply a deactivation only). */
    public static CaptureSpec nothing() {
        return new CaptureSpec(Positions.LAST_TOKEN, List.of());
    }

    public int indexOf(Kind kind, int layer) {
        return slots.indexOf(new Slot(kind, kind.perLayer() ? layer : -1));
    }

    public static final class Builder {
        private final Positions positions;
        private final Set<Slot> slots = new LinkedHashSet<>();

        private Builder(Positions positions) {
            this.positions = positions;
        }

        /** A per-model kind (EMBEDDING, RESULT_NORM) or a per-layer kind at the given layers. */
        public Builder add(Kind kind, int... layers) {
            if (!kind.perLayer()) {
                slots.add(new Slot(kind, -1));
            } else {
                if (layers.length == 0) throw new IllegalArgumentException(kind + " needs at least one layer");
                for (int l : layers) slots.add(new Slot(kind, l));
            }
            return this;
        }

        /** kind at layers 0..nLayer-1. */
        public Builder allLayers(Kind kind, int nLayer) {
            for (int l = 0; l < nLayer; l++) slots.add(new Slot(kind, l));
            return this;
        }

        public CaptureSpec build() {
            return new CaptureSpec(positions, new ArrayList<>(slots));
        }
    }
}
