package tn.llama;

/** Which token positions of a sentence a capture or a deactivation applies to. */
public enum Positions {
    /** Only the sentence's last token: what the transfer-neuron method reads. */
    LAST_TOKEN,
    /** Every token of the sentence. */
    ALL_TOKENS,
    /**
     * Every token but the first: without the BOS, whose states are the same in every sentence
     * (attention is causal). For captures only.
     */
    AFTER_FIRST_TOKEN;

    /** The rows a capture at these positions has for a sentence of n tokens. */
    public int rows(int n) {
        return switch (this) {
            case LAST_TOKEN -> 1;
            case ALL_TOKENS -> n;
            case AFTER_FIRST_TOKEN -> n - 1;
        };
    }

    /** native/tn.h's tn_positions code. */
    int code() {
        return ordinal();
    }
}
