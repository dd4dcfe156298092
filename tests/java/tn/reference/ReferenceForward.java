package tn.reference;

import java.util.Map;

/**
 * An independent float64 forward pass of a llama-architecture decoder, written from the
 * architecture's definition (as llama.cpp computes it) in plain Java, to check what tn captures
 * from llama.cpp. It keeps every state at every position; it is meant for small models.
 */
public final class ReferenceForward {

    /** Hyperparameters as in the GGUF metadata (llama.*). nRot: RoPE dimensions per head. */
    public record Config(int nLayer, int nEmbd, int nFf, int nHead, int nHeadKv, double rmsEps, double ropeFreqBase,
                         int nRot) {
        public Config {
            if (nEmbd % nHead != 0) throw new IllegalArgumentException("nEmbd " + nEmbd + " not divisible by nHead " + nHead);
            if (nHead % nHeadKv != 0) throw new IllegalArgumentException("nHead " + nHead + " not divisible by nHeadKv " + nHeadKv);
            if (nRot > nEmbd / nHead || nRot % 2 != 0) throw new IllegalArgumentException("bad nRot " + nRot);
        }

        int headSize() {
            return nEmbd / nHead;
        }
    }

    /** A tensor's values in ggml order: for ne = [ne0, ne1], element (i0, i1) is at i1*ne0 + i0. */
    public interface Weights {
        double[] tensor(String name);
    }

    /**
     * Activations overwritten before the down projection: per layer, neuron -> value; at the last
     * token only or at every position, in both cases only at positions from onlyFrom and before
     * onlyBefore (a prompt's length, for generation; onlyFrom its last position for the prompt's
     * last token alone).
     */
    public record Deactivation(Map<Integer, Map<Integer, Double>> values, boolean allPositions, int onlyFrom,
                               int onlyBefore) {
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
     * Every state at every position T: embd[T][d]; ffnInp, lOut [L][T][d]; gate (the gate
     * projection, before its SiLU) and act [L][T][F]; resultNorm [T][d].
     */
    public record Result(double[][] embd, double[][][] ffnInp, double[][][] gate, double[][][] act, double[][][] lOut,
                         double[][] resultNorm) {}

    private final Config c;
    private final double[] tokenEmbd;
    private final double[] outputNorm;
    private final Layer[] layers;

    private record Layer(double[] attnNorm, double[] wq, double[] wk, double[] wv, double[] wo, double[] ffnNorm,
                         double[] gate, double[] up, double[] down) {}

    public ReferenceForward(Config config, Weights weights) {
        this.c = config;
        int d = c.nEmbd(), kv = c.nHeadKv() * c.headSize(), f = c.nFf();
        this.tokenEmbd = weights.tensor("token_embd.weight");
        if (tokenEmbd.length % d != 0) throw new IllegalArgumentException("token_embd.weight is not [" + d + ", vocab]");
        this.outputNorm = load(weights, "output_norm.weight", d);
        this.layers = new Layer[c.nLayer()];
        for (int l = 0; l < c.nLayer(); l++) {
            String p = "blk." + l + ".";
            layers[l] = new Layer(load(weights, p + "attn_norm.weight", d), load(weights, p + "attn_q.weight", d * d),
                    load(weights, p + "attn_k.weight", d * kv), load(weights, p + "attn_v.weight", d * kv),
                    load(weights, p + "attn_output.weight", d * d), load(weights, p + "ffn_norm.weight", d),
                    load(weights, p + "ffn_gate.weight", d * f), load(weights, p + "ffn_up.weight", d * f),
                    load(weights, p + "ffn_down.weight", f * d));
        }
    }

    private static double[] load(Weights w, String name, int expected) {
        double[] t = w.tensor(name);
        if (t.length != expected) {
            throw new IllegalArgumentException(name + " has " + t.length + " values, expected " + expected);
        }
        return t;
    }

    public Result forward(int[] tokens, Deactivation deactivation) {
        int n = tokens.length, d = c.nEmbd();
        if (n == 0) throw new IllegalArgumentException("no tokens");
        int vocab = tokenEmbd.length / d;
        double[][] embd = new double[n][];
        for (int p = 0; p < n; p++) {
            if (tokens[p] < 0 || tokens[p] >= vocab) throw new IllegalArgumentException("token " + tokens[p] + " out of range");
            embd[p] = java.util.Arrays.copyOfRange(tokenEmbd, tokens[p] * d, tokens[p] * d + d);
        }
        double[][][] ffnInp = new double[c.nLayer()][][], act = new double[c.nLayer()][][], lOut = new double[c.nLayer()][][];
        double[][][] gate = new double[c.nLayer()][][];
        double[][] x = embd;
        for (int l = 0; l < c.nLayer(); l++) {
            Layer w = layers[l];
            double[][] attn = attention(w, x);
            ffnInp[l] = new double[n][];
            act[l] = new double[n][];
            gate[l] = new double[n][];
            lOut[l] = new double[n][];
            Map<Integer, Double> off = deactivation.values().getOrDefault(l, Map.of());
            for (int p = 0; p < n; p++) {
                ffnInp[l][p] = add(attn[p], x[p]);
                double[] h = rmsNorm(ffnInp[l][p], w.ffnNorm());
                gate[l][p] = matVec(w.gate(), h, c.nFf());
                act[l][p] = swiglu(gate[l][p], matVec(w.up(), h, c.nFf()));
                if (deactivation.appliesAt(p, n)) {
                    for (Map.Entry<Integer, Double> e : off.entrySet()) act[l][p][e.getKey()] = e.getValue();
                }
                lOut[l][p] = add(matVec(w.down(), act[l][p], d), ffnInp[l][p]);
            }
            x = lOut[l];
        }
        double[][] resultNorm = new double[n][];
        for (int p = 0; p < n; p++) resultNorm[p] = rmsNorm(x[p], outputNorm);
        return new Result(embd, ffnInp, gate, act, lOut, resultNorm);
    }

    /** The output head's logits for a final-normed state: tied to the token embedding, as in our synthetic models. */
    public double[] logits(double[] resultNorm) {
        return matVec(tokenEmbd, resultNorm, tokenEmbd.length / c.nEmbd());
    }

    /** Causal self-attention with grouped-query heads and RoPE, at every position. */
    private double[][] attention(Layer w, double[][] x) {
        int n = x.length, hs = c.headSize(), kvDim = c.nHeadKv() * hs;
        double[][] q = new double[n][], k = new double[n][], v = new double[n][];
        for (int p = 0; p < n; p++) {
            double[] h = rmsNorm(x[p], w.attnNorm());
            q[p] = rope(matVec(w.wq(), h, c.nEmbd()), p, c.nHead());
            k[p] = rope(matVec(w.wk(), h, kvDim), p, c.nHeadKv());
            v[p] = matVec(w.wv(), h, kvDim);
        }
        int group = c.nHead() / c.nHeadKv();
        double scale = 1.0 / Math.sqrt(hs);
        double[][] out = new double[n][];
        for (int p = 0; p < n; p++) {
            double[] heads = new double[c.nEmbd()];
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
     * llama.cpp's "normal" RoPE (the llama architecture's): within each head, adjacent pairs
     * (x[2i], x[2i+1]) turn by p * base^(-2i / nRot); dimensions past nRot stay.
     */
    private double[] rope(double[] x, int pos, int nHeads) {
        int hs = c.headSize();
        double[] y = x.clone();
        for (int h = 0; h < nHeads; h++) {
            for (int i = 0; i < c.nRot(); i += 2) {
                double theta = pos * Math.pow(c.ropeFreqBase(), -(double) i / c.nRot());
                double cos = Math.cos(theta), sin = Math.sin(theta);
                double a = x[h * hs + i], b = x[h * hs + i + 1];
                y[h * hs + i] = a * cos - b * sin;
                y[h * hs + i + 1] = a * sin + b * cos;
            }
        }
        return y;
    }

    private double[] rmsNorm(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double inv = 1.0 / Math.sqrt(ss / x.length + c.rmsEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * inv * weight[i];
        return y;
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
