package tn.llama;

/**
 * What a capture copies out of llama.cpp's graph, per sentence. The codes are native/tn.h's
 * tn_kind. Names follow docs/method.md: x_l is {@link #FFN_INP}, a_l is {@link #ACTIVATION}.
 */
public enum Kind {
    /** The embedding output, input of layer 0 (graph node {@code embd}). Width n_embd. */
    EMBEDDING(0, false),
    /**
     * x_l: the residual stream layer l's MLP output is added to, before it is added (h_{l-1} plus
     * the attention output): node {@code ffn_inp-l}, or {@code l_out-l} minus {@code ffn_out-l}
     * where the architecture has no such node ({@link Architecture}). Width n_embd.
     */
    FFN_INP(1, true),
    /** a_l: the MLP activation, input of the down projection. Width n_ff. */
    ACTIVATION(2, true),
    /** h_l, the output of layer l ({@code l_out-l}). Width n_embd. */
    L_OUT(3, true),
    /** The last layer's output after the final norm ({@code result_norm}). Width n_embd. */
    RESULT_NORM(4, false),
    /** Per sentence, how many of its tokens (those captured) have a_l &gt; 0, neuron by neuron. Width n_ff. */
    ACTIVATION_POSITIVE(5, true),
    /**
     * Per sentence, how many of its tokens have a positive gate projection ({@code ffn_gate-l}),
     * i.e. act(gate) &gt; 0 for SiLU and GELU: LAPE's activation (Tang et al., 2024). Width n_ff.
     */
    GATE_POSITIVE(6, true);

    final int code;
    private final boolean perLayer;

    Kind(int code, boolean perLayer) {
        this.code = code;
        this.perLayer = perLayer;
    }

    /** True for kinds that exist once per layer; the others exist once per model. */
    public boolean perLayer() {
        return perLayer;
    }

    /** True for the kinds that count, giving one row per sentence whatever the positions. */
    public boolean counts() {
        return this == ACTIVATION_POSITIVE || this == GATE_POSITIVE;
    }

    /** The row length of this kind in a model. */
    public int width(ModelInfo info) {
        return this == ACTIVATION || counts() ? info.nFf() : info.nEmbd();
    }
}
