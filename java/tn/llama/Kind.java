package tn.llama;

/**
 * What a capture copies out of llama.cpp's graph, per sentence. The codes are native/tn.h's
 * tn_kind. Names follow METHOD.md: x_l is {@link #FFN_INP}, a_l is {@link #ACTIVATION}.
 */
public enum Kind {
    /** The embedding output, input of layer 0 (graph node {@code embd}). Width n_embd. */
    EMBEDDING(0, false),
    /** x_l: the residual stream entering layer l's MLP ({@code ffn_inp-l}). Width n_embd. */
    FFN_INP(1, true),
    /** a_l: the MLP activation, input of the down projection. Width n_ff. */
    ACTIVATION(2, true),
    /** The output of layer l ({@code l_out-l}). Width n_embd. */
    L_OUT(3, true),
    /** The last layer's output after the final norm ({@code result_norm}). Width n_embd. */
    RESULT_NORM(4, false);

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

    /** The row length of this kind in a model. */
    public int width(ModelInfo info) {
        return this == ACTIVATION ? info.nFf() : info.nEmbd();
    }
}
