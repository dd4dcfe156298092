package tn.method;

import tn.io.InvalidValueException;

/** Layers from (inclusive) to to (exclusive), 0-based; written "A:B" as in a Python slice. */
public record LayerRange(int from, int to) {
    public LayerRange {
        if (from < 0 || to <= from) {
            throw new InvalidValueException("bad layer range {}:{}: need 0 <= A < B", from, to);
        }
    }

    /** Parses "A:B". */
    public static LayerRange parse(String s) {
        String[] parts = s.trim().split(":", -1);
        if (parts.length != 2) throw new InvalidValueException("bad layer range '{}': expected A:B, e.g. 0:20", s);
        try {
            return new LayerRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("bad layer range '{}': expected A:B with whole numbers, e.g. 0:20", s);
        }
    }

    /** Checks that the range lies within a model's layers. */
    public LayerRange within(int nLayer) {
        if (to > nLayer) {
            throw new InvalidValueException("{layers} {} goes beyond the model's layers 0:{}", this, nLayer);
        }
        return this;
    }

    public int size() {
        return to - from;
    }

    public boolean contains(int layer) {
        return layer >= from && layer < to;
    }

    public int[] layers() {
        int[] l = new int[size()];
        for (int i = 0; i < l.length; i++) l[i] = from + i;
        return l;
    }

    @Override
    public String toString() {
        return from + ":" + to;
    }
}
