package tn.method;

import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;

/**
 * The hidden states h_l of docs/method.md at the last token: the output of layer l (l_out-l), except
 * that the last layer's is taken after the final norm (result_norm) under {@link LastLayer#NORMED}.
 */
public record HiddenStates(int nLayer, LastLayer lastLayer) {
    /** A capture of h_0 .. h_{L-1} at each sentence's last token. */
    public CaptureSpec captureSpec() {
        return captureSpecBuilder().build();
    }

    /** The same, to add more to (activations, say) so that one pass captures everything. */
    public CaptureSpec.Builder captureSpecBuilder() {
        CaptureSpec.Builder b = CaptureSpec.lastToken().allLayers(Kind.L_OUT, nLayer - 1);
        return lastLayer == LastLayer.NORMED ? b.add(Kind.RESULT_NORM) : b.add(Kind.L_OUT, nLayer - 1);
    }

    /** h_l of every sentence of a capture made with {@link #captureSpec()}: sentences x n_embd. */
    public float[] at(Capture capture, int layer) {
        boolean normed = layer == nLayer - 1 && lastLayer == LastLayer.NORMED;
        return normed ? capture.matrix(Kind.RESULT_NORM) : capture.matrix(Kind.L_OUT, layer);
    }
}
