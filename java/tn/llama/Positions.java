package tn.llama;

/** Which token positions of a sentence a capture or a deactivation applies to. */
public enum Positions {
    /** Only the sentence's last token: what the transfer-neuron method reads. */
    LAST_TOKEN,
    /** Every token of the sentence. */
    ALL_TOKENS
}
