package tn.reference;

import java.util.Map;

/**
 * An independent float64 forward pass of the decoders tn supports, written from each
 * architecture's definition (as llama.cpp computes it) in plain Java, to check what tn captures
 * from llama.cpp. It keeps every state at every position; it is meant for small models.
 *
 * Every block is stated the way the transfer-neuron method sees it: x_l = h_{l-1} + o_l, the
 * residual stream plus the attention output, is what the MLP output a_l W_down is added to:
 * h_l = x_l + W_down a_l. Sequential blocks (llama, qwen2, qwen3, phi3) feed the MLP norm(x_l);
 * parallel blocks (command-r) feed it the same norm(h_{l-1}) the attention reads.
 */
public final class ReferenceForward {
    /** RMSNorm (x / rms(x) * w) or LayerNorm without bias ((x - mean) / std(x) * w). */
    public enum Norm { RMS, LAYER }

    /** llama.cpp's RoPE modes: NORMAL turns adjacent pairs, NEOX pairs i and i + nRot/2. */
    public enum Rope { NORMAL, NEOX }

    /**
     * Hyperparameters as in the GGUF metadata. headSize: attention head size (n_embd / nHead
     * unless the architecture says otherwise); nRot: RoPE dimensions per head; parallel: the
     * MLP reads the attention's input norm; qkNorm: RMSNorm of each head's q and k before RoPE;
     * logitScale multiplies the logits.
     */
    public record Config(int nLayer, int nEmbd, int nFf, int nHead, int nHeadKv, int headSize, double normEps,
            double ropeFreqBase, int nRot, Norm norm, Rope rope, boolean parallel, boolean qkNorm, double logitScale) {
        public Config {
            if (nHead % nHeadKv != 0)
                throw new IllegalArgumentException("nHead " + nHead + " not divisible by nHeadKv " + nHeadKv);
            if (nRot > headSize || nRot % 2 != 0) throw new IllegalArgumentException("bad nRot " + nRot);
        }
    }

    /** A model's tensors' values in ggml order: for ne = [ne0, ne1], element (i0, i1) is at i1*ne0 + i0. */
    public interface Weights {
        double[] tensor(String name);

        boolean has(String name);
    }

    /**
     * Activations overwritten before the down projection: per layer, neuron -> value; at the last
     * token only or at every position, in both cases only at positions from onlyFrom and before
     * onlyBefore (a prompt's length, for generation; onlyFrom its last position for the prompt's
     * last token alone).
     */
    public record Deactivation(
            Map<Integer, Map<Integer, Double>> values, boolean allPositions, int onlyFrom, int onlyBefore) {
        public Deactivation(Map<Integer, Map<Integer, Double>> values, boolean allPositions, int onlyBefore) {
            this(values, allPositions, 0, onlyBefore);
        }

        public Deactivation(Map<Integer, Map<Integer, Double>> values, boolean allPositions) {
            this(values, allPositions, Integer.MAX_VALUE);
        }

        public static Deactivation none() {
            return new Deactivation(Map.of(), false);
        }

        boolean appliesAt(int p, int n) {
            return p >= onlyFrom && p < onlyBefore && (allPositions || p == n - 1);
        }
    }

    /**
     * Every state at every position T: embd[T][d]; x (x_l = h_{l-1} + o_l), lOut (h_l) [L][T][d];
     * gate (the gate projection, before its SiLU) and act (a_l) [L][T][F]; resultNorm [T][d].
     */
    public record Result(double[][] embd, double[][][] x, double[][][] gate, double[][][] act, double[][][] lOut,
            double[][] resultNorm) {}

    private final Config c;
    private final double[] tokenEmbd;
    private final double[] output;
    private final double[] outputNorm;
    private final Layer[] layers;

    /** One block's weights; biases and norms the architecture lacks are null. */
    private record Layer(double[] attnNorm, double[] wq, double[] wk, double[] wv, double[] bq, double[] bk,
            double[] bv, double[] qNorm, double[] kNorm, double[] wo, double[] ffnNorm, double[] gate, double[] up,
            double[] down) {}

    public ReferenceForward(Config config, Weights weights) {
        this.c = config;
        int d = c.nEmbd(), q = c.nHead() * c.headSize(), kv = c.nHeadKv() * c.headSize(), f = c.nFf(),
            hs = c.headSize();
        this.tokenEmbd = weights.tensor("token_embd.weight");
        if (tokenEmbd.length % d != 0)
            throw new IllegalArgumentException("token_embd.weight is not [" + d + ", vocab]");
        this.output = weights.has("output.weight") ? load(weights, "output.weight", tokenEmbd.length) : tokenEmbd;
        this.outputNorm = load(weights, "output_norm.weight", d);
        this.layers = new Layer[c.nLayer()];
        for (int l = 0; l < c.nLayer(); l++) {
            String p = "blk." + l + ".";
            // fused projections (phi3) hold the q, k and v rows, and the gate and up rows, one after another
            double[] qkv =
                    weights.has(p + "attn_qkv.weight") ? load(weights, p + "attn_qkv.weight", d * (q + 2 * kv)) : null;
            double[] gateUp = weights.has(p + "ffn_gate.weight") ? null : load(weights, p + "ffn_up.weight", 2 * d * f);
            layers[l] = new Layer(load(weights, p + "attn_norm.weight", d),
                    qkv != null ? rows(qkv, 0, q, d) : load(weights, p + "attn_q.weight", d * q),
                    qkv != null ? rows(qkv, q, kv, d) : load(weights, p + "attn_k.weight", d * kv),
                    qkv != null ? rows(qkv, q + kv, kv, d) : load(weights, p + "attn_v.weight", d * kv),
                    optional(weights, p + "attn_q.bias", q), optional(weights, p + "attn_k.bias", kv),
                    optional(weights, p + "attn_v.bias", kv),
                    c.qkNorm() ? load(weights, p + "attn_q_norm.weight", hs) : null,
                    c.qkNorm() ? load(weights, p + "attn_k_norm.weight", hs) : null,
                    load(weights, p + "attn_output.weight", q * d),
                    c.parallel() ? null : load(weights, p + "ffn_norm.weight", d),
                    gateUp != null ? rows(gateUp, 0, f, d) : load(weights, p + "ffn_gate.weight", d * f),
                    gateUp != null ? rows(gateUp, f, f, d) : load(weights, p + "ffn_up.weight", d * f),
                    load(weights, p + "ffn_down.weight", f * d));
        }
    }

    /** Rows [first, first + n) of a weight whose rows have the given length. */
    private static double[] rows(double[] w, int first, int n, int length) {
        return java.util.Arrays.copyOfRange(w, first * length, (first + n) * length);
    }

    private static double[] load(Weights w, String name, int expected) {
        double[] t = w.tensor(name);
        if (t.length != expected) {
            throw new IllegalArgumentException(name + " has " + t.length + " values, expected " + expected);
        }
        return t;
    }

    private static double[] optional(Weights w, String name, int expected) {
        return w.has(name) ? load(w, name, expected) : null;
    }

    public Result forward(int[] tokens, Deactivation deactivation) {
        int n = tokens.length, d = c.nEmbd();
        if (n == 0) throw new IllegalArgumentException("no tokens");
        int vocab = tokenEmbd.length / d;
        double[][] embd = new double[n][];
        for (int p = 0; p < n; p++) {
            if (tokens[p] < 0 || tokens[p] >= vocab)
                throw new IllegalArgumentException("token " + tokens[p] + " out of range");
            embd[p] = java.util.Arrays.copyOfRange(tokenEmbd, tokens[p] * d, tokens[p] * d + d);
        }
        double[][][] xs = new double[c.nLayer()][][], act = new double[c.nLayer()][][],
                     lOut = new double[c.nLayer()][][];
        double[][][] gate = new double[c.nLayer()][][];
        double[][] h = embd;
        for (int l = 0; l < c.nLayer(); l++) {
            Layer w = layers[l];
            double[][] attnIn = new double[n][];
            for (int p = 0; p < n; p++) attnIn[p] = norm(h[p], w.attnNorm());
            double[][] attn = attention(w, attnIn);
            xs[l] = new double[n][];
            act[l] = new double[n][];
            gate[l] = new double[n][];
            lOut[l] = new double[n][];
            Map<Integer, Double> off = deactivation.values().getOrDefault(l, Map.of());
            for (int p = 0; p < n; p++) {
                xs[l][p] = add(h[p], attn[p]);
                double[] mlpIn = c.parallel() ? attnIn[p] : norm(xs[l][p], w.ffnNorm());
                gate[l][p] = matVec(w.gate(), mlpIn, c.nFf());
                act[l][p] = swiglu(gate[l][p], matVec(w.up(), mlpIn, c.nFf()));
                if (deactivation.appliesAt(p, n)) {
                    for (Map.Entry<Integer, Double> e : off.entrySet()) act[l][p][e.getKey()] = e.getValue();
                }
                lOut[l][p] = add(xs[l][p], matVec(w.down(), act[l][p], d));
            }
            h = lOut[l];
        }
        double[][] resultNorm = new double[n][];
        for (int p = 0; p < n; p++) resultNorm[p] = norm(h[p], outputNorm);
        return new Result(embd, xs, gate, act, lOut, resultNorm);
    }

    /** The output head's logits for a final-normed state: output.weight, or the token embedding where tied. */
    public double[] logits(double[] resultNorm) {
        double[] z = matVec(output, resultNorm, output.length / c.nEmbd());
        for (int i = 0; i < z.length; i++) z[i] *= c.logitScale();
        return z;
    }

    /** Causal self-attention with grouped-query heads and RoPE, at every position, of normed inputs. */
    private double[][] attention(Layer w, double[][] in) {
        int n = in.length, hs = c.headSize(), qDim = c.nHead() * hs, kvDim = c.nHeadKv() * hs;
        double[][] q = new double[n][], k = new double[n][], v = new double[n][];
        for (int p = 0; p < n; p++) {
            q[p] = rope(headNorm(plus(matVec(w.wq(), in[p], qDim), w.bq()), w.qNorm()), p, c.nHead());
            k[p] = rope(headNorm(plus(matVec(w.wk(), in[p], kvDim), w.bk()), w.kNorm()), p, c.nHeadKv());
            v[p] = plus(matVec(w.wv(), in[p], kvDim), w.bv());
        }
        int group = c.nHead() / c.nHeadKv();
        double scale = 1.0 / Math.sqrt(hs);
        double[][] out = new double[n][];
        for (int p = 0; p < n; p++) {
            double[] heads = new double[qDim];
            for (int h = 0; h < c.nHead(); h++) {
                int qo = h * hs, ko = (h / group) * hs;
                // softmax over positions 0..p (causal), shifted by the maximum for stability
                double[] score = new double[p + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t <= p; t++) {
                    double s = 0;
                    for (int i = 0; i < hs; i++) s += q[p][qo + i] * k[t][ko + i];
                    score[t] = s * scale;
                    max = Math.max(max, score[t]);
                }
                double sum = 0;
                for (int t = 0; t <= p; t++) sum += score[t] = Math.exp(score[t] - max);
                for (int t = 0; t <= p; t++) {
                    double weight = score[t] / sum;
                    for (int i = 0; i < hs; i++) heads[qo + i] += weight * v[t][ko + i];
                }
            }
            out[p] = matVec(w.wo(), heads, c.nEmbd());
        }
        return out;
    }

    /**
     * llama.cpp's RoPE: within each head, pair j (j < nRot/2) turns by p * base^(-2j / nRot); the
     * pair is (2j, 2j+1) in NORMAL mode and (j, j + nRot/2) in NEOX mode; dimensions past nRot stay.
     */
    private double[] rope(double[] x, int pos, int nHeads) {
        int hs = c.headSize(), half = c.nRot() / 2;
        double[] y = x.clone();
        for (int h = 0; h < nHeads; h++) {
            for (int j = 0; j < half; j++) {
                double theta = pos * Math.pow(c.ropeFreqBase(), -2.0 * j / c.nRot());
                double cos = Math.cos(theta), sin = Math.sin(theta);
                int i0 = h * hs + (c.rope() == Rope.NORMAL ? 2 * j : j);
                int i1 = i0 + (c.rope() == Rope.NORMAL ? 1 : half);
                y[i0] = x[i0] * cos - x[i1] * sin;
                y[i1] = x[i0] * sin + x[i1] * cos;
            }
        }
        return y;
    }

    /** The architecture's norm with its weight. */
    private double[] norm(double[] x, double[] weight) {
        double mean = 0;
        if (c.norm() == Norm.LAYER) {
            for (double v : x) mean += v;
            mean /= x.length;
        }
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double inv = 1.0 / Math.sqrt(ss / x.length + c.normEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) * inv * weight[i];
        return y;
    }

    /** RMSNorm of each head's slice with a per-head-dimension weight (qwen3's q/k norm); none if weight is null. */
    private double[] headNorm(double[] x, double[] weight) {
        if (weight == null) return x;
        int hs = c.headSize();
        double[] y = new double[x.length];
        for (int h = 0; h < x.length / hs; h++) {
            double ss = 0;
            for (int i = 0; i < hs; i++) ss += x[h * hs + i] * x[h * hs + i];
            double inv = 1.0 / Math.sqrt(ss / hs + c.normEps());
            for (int i = 0; i < hs; i++) y[h * hs + i] = x[h * hs + i] * inv * weight[i];
        }
        return y;
    }

    /** x + bias, or x where there is no bias. */
    private static double[] plus(double[] x, double[] bias) {
        return bias == null ? x : add(x, bias);
    }

    /** y = W x for a weight of ggml shape [x.length, rows]: row o holds the weights of output o. */
    private static double[] matVec(double[] w, double[] x, int rows) {
        int cols = x.length;
        double[] y = new double[rows];
        for (int o = 0; o < rows; o++) {
            double s = 0;
            for (int i = 0; i < cols; i++) s += w[o * cols + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    /** SwiGLU: silu(gate) * up, silu(z) = z / (1 + e^-z). */
    private static double[] swiglu(double[] gate, double[] up) {
        double[] y = new double[gate.length];
        for (int i = 0; i < y.length; i++) y[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < y.length; i++) y[i] = a[i] + b[i];
        return y;
    }
}
