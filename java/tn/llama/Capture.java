package tn.llama;

import java.util.Arrays;
import java.util.List;

/**
 * The tensors one {@link Session#run} copied out, with explicit shapes. For each slot of the
 * {@link CaptureSpec}, a row-major matrix of rows x width floats, where width is the kind's
 * width (n_embd, or n_ff for activations) and the rows are, in sentence order, each sentence's
 * last token (LAST_TOKEN) or all its tokens (ALL_TOKENS). Counting kinds ({@link Kind#counts()})
 * have one row per sentence: its counts over those positions.
 */
public final class Capture {
    private final CaptureSpec spec;
    private final int[] sentenceLengths;
    private final int[] firstRow; // per sentence, its first row in every slot
    private final int rows;
    private final int[] widths; // per slot
    private final boolean[] counting; // per slot: one row per sentence
    private final float[][] data; // per slot, rows x width

    Capture(CaptureSpec spec, int[] sentenceLengths, int[] widths) {
        this.spec = spec;
        this.sentenceLengths = sentenceLengths.clone();
        this.widths = widths;
        this.firstRow = new int[sentenceLengths.length];
        int r = 0;
        for (int s = 0; s < sentenceLengths.length; s++) {
            firstRow[s] = r;
            r += spec.positions().rows(sentenceLengths[s]);
        }
        this.rows = r;
        this.data = new float[widths.length][];
        this.counting = new boolean[widths.length];
        for (int k = 0; k < widths.length; k++) {
            counting[k] = spec.slots().get(k).kind().counts();
            data[k] = new float[Math.multiplyExact(counting[k] ? sentenceLengths.length : rows, widths[k])];
        }
    }

    public CaptureSpec spec() {
        return spec;
    }

    public int sentences() {
        return sentenceLengths.length;
    }

    /** Tokens of sentence s. */
    public int tokens(int s) {
        return sentenceLengths[s];
    }

    /** Rows in every value slot: one per sentence (LAST_TOKEN) or one per token (ALL_TOKENS, AFTER_FIRST_TOKEN). */
    public int rows() {
        return rows;
    }

    public int width(Kind kind, int layer) {
        return widths[slot(kind, layer)];
    }

    /** The whole rows x width matrix of a slot (not a copy: do not modify). */
    public float[] matrix(Kind kind, int layer) {
        return data[slot(kind, layer)];
    }

    /** A per-model kind's rows x width matrix (EMBEDDING, RESULT_NORM). */
    public float[] matrix(Kind kind) {
        return matrix(kind, -1);
    }

    /** The row of sentence s's last token. */
    public float[] lastToken(Kind kind, int layer, int s) {
        int k = valueSlot(kind, layer);
        int row = firstRow[s] + spec.positions().rows(sentenceLengths[s]) - 1;
        if (spec.positions().rows(sentenceLengths[s]) == 0)
            throw new IllegalStateException("sentence " + s + " has no rows");
        return Arrays.copyOfRange(data[k], row * widths[k], (row + 1) * widths[k]);
    }

    /** Row p (token position) of sentence s; ALL_TOKENS and AFTER_FIRST_TOKEN captures only. */
    public float[] token(Kind kind, int layer, int s, int p) {
        if (spec.positions() == Positions.LAST_TOKEN) {
            throw new IllegalStateException("this capture holds last tokens only");
        }
        int skipped = sentenceLengths[s] - spec.positions().rows(sentenceLengths[s]);
        if (p < skipped || p >= sentenceLengths[s]) {
            throw new IndexOutOfBoundsException(
                    "position " + p + " of a " + sentenceLengths[s] + "-token sentence captured " + spec.positions());
        }
        int k = valueSlot(kind, layer);
        int row = firstRow[s] + p - skipped;
        return Arrays.copyOfRange(data[k], row * widths[k], (row + 1) * widths[k]);
    }

    /** Where the next group's rows for slot k go; used by Session while filling. */
    float[] slotData(int k) {
        return data[k];
    }

    /** Slot k's first row for sentence s. */
    int firstRow(int k, int s) {
        return counting[k] ? s : firstRow[s];
    }

    int slotWidth(int k) {
        return widths[k];
    }

    private int valueSlot(Kind kind, int layer) {
        if (kind.counts())
            throw new IllegalArgumentException(kind + " holds counts per sentence, not token rows: use matrix()");
        return slot(kind, layer);
    }

    private int slot(Kind kind, int layer) {
        int k = spec.indexOf(kind, layer);
        if (k < 0) {
            List<CaptureSpec.Slot> slots = spec.slots();
            throw new IllegalArgumentException(kind + (kind.perLayer() ? " at layer " + layer : "")
                    + " was not captured (captured: " + slots.size() + " slots)");
        }
        return k;
    }
}
