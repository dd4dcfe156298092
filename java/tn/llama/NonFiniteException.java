package tn.llama;

/**
 * A forward pass gave NaN or infinity in a captured state (or in the logits): the model's
 * weights or hyperparameters are broken, or overflow. Carries which sentence of the list given
 * to {@link Session#run} (or the tokens given to {@link Session#decodeNext}) it was, so that a
 * run can name the line of its data file; an input error (exit code 3).
 */
public final class NonFiniteException extends LlamaException {
    /** native/tn.h's TN_ERR_NONFINITE. */
    static final int STATUS = -9;

    private final int[] tokens;

    NonFiniteException(String message, int[] tokens) {
        super(STATUS, message);
        this.tokens = tokens;
    }

    /** The tokens of the sentence (the very array passed in), for finding it among a run's items. */
    public int[] tokens() {
        return tokens;
    }
}
