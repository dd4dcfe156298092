package tn.model;

import tn.gguf.GgufFile;
import tn.gguf.GgufWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small llama-architecture GGUF with seeded random weights and a real tokenizer: what the
 * tests and the demo run, since no real weights can be downloaded here. The same spec and
 * seed always give the same file.
 *
 * Weights are Gaussian with variance 1/fan-in, so every layer's outputs stay of order one;
 * norm weights are 1 + N(0, 0.1^2). The output head is tied to the token embedding (no
 * output.weight), as llama.cpp allows, to keep files small.
 */
public record SyntheticModel(int layers, int embd, int ff, int heads, int kvHeads, Vocabulary vocabulary,
                             long seed, FileType type) {

    public static final int CONTEXT_LENGTH = 4096;
    public static final float RMS_EPS = 1e-5f;
    public static final float ROPE_FREQ_BASE = 10000f;

    public SyntheticModel {
        require(layers >= 1, "--layers must be at least 1");
        require(embd >= 2, "--embd must be at least 2");
        require(ff >= 1, "--ff must be at least 1");
        require(heads >= 1 && embd % heads == 0, "--embd (" + embd + ") must be a multiple of --heads (" + heads + ")");
        require((embd / heads) % 2 == 0, "the head size --embd/--heads (" + embd / heads + ") must be even for RoPE");
        require(kvHeads >= 1 && heads % kvHeads == 0, "--heads (" + heads + ") must be a multiple of --kv-heads (" + kvHeads + ")");
        require(type.code == FileType.F32.code || type.code == FileType.F16.code || ff % 32 == 0 && embd % 32 == 0,
                "quantized types need --embd and --ff to be multiples of 32 (ggml block size)");
        require(!type.needsImatrix, type + " needs an importance matrix; choose another type");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public int headSize() {
        return embd / heads;
    }

    /** A tensor of the model: name and ggml shape (shape[0] is the row length). */
    public record TensorSpec(String name, long[] shape) {
        long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** The tensors of the llama architecture at this spec's dimensions, in file order. */
    public List<TensorSpec> tensors(int nVocab) {
        int kv = kvHeads * headSize();
        List<TensorSpec> t = new ArrayList<>();
        t.add(new TensorSpec("token_embd.weight", new long[] {embd, nVocab}));
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            t.add(new TensorSpec(p + "attn_norm.weight", new long[] {embd}));
            t.add(new TensorSpec(p + "attn_q.weight", new long[] {embd, embd}));
            t.add(new TensorSpec(p + "attn_k.weight", new long[] {embd, kv}));
            t.add(new TensorSpec(p + "attn_v.weight", new long[] {embd, kv}));
            t.add(new TensorSpec(p + "attn_output.weight", new long[] {embd, embd}));
            t.add(new TensorSpec(p + "ffn_norm.weight", new long[] {embd}));
            t.add(new TensorSpec(p + "ffn_gate.weight", new long[] {embd, ff}));
            t.add(new TensorSpec(p + "ffn_up.weight", new long[] {embd, ff}));
            t.add(new TensorSpec(p + "ffn_down.weight", new long[] {ff, embd}));
        }
        t.add(new TensorSpec("output_norm.weight", new long[] {embd}));
        return t;
    }

    /**
     * Writes the model to out (atomically) in this spec's type, tensor by tensor: a quantized type
     * gets llama.cpp's mix of tensor types for it and the bytes its quantization of the F32 weights
     * gives, without an F32 file of the whole model.
     */
    public void write(Path out) {
        try (GgufFile vocab = GgufFile.open(vocabulary.file());
             GgufWriter w = GgufWriter.create(out)) {
            long nVocab = vocab.arrayLength("tokenizer.ggml.tokens");
            if (nVocab <= 0) throw new IllegalStateException(vocab.path() + " has no tokenizer.ggml.tokens");
            // the tokenizer, and nothing else of the vocabulary file's metadata
            w.copyMetadata(vocab);
            for (String key : vocab.keys()) {
                if (!key.startsWith("tokenizer.")) w.remove(key);
            }
            w.set("general.architecture", "llama")
             .set("general.name", String.format("tn-synthetic-L%d-d%d-ff%d-h%d-kv%d-%s-seed%d",
                     layers, embd, ff, heads, kvHeads, vocabulary.id, seed))
             .setUInt32("general.file_type", FileType.F32.code)
             .setUInt32("llama.block_count", layers)
             .setUInt32("llama.context_length", CONTEXT_LENGTH)
             .setUInt32("llama.embedding_length", embd)
             .setUInt32("llama.feed_forward_length", ff)
             .setUInt32("llama.attention.head_count", heads)
             .setUInt32("llama.attention.head_count_kv", kvHeads)
             .setUInt32("llama.rope.dimension_count", headSize())
             .setUInt32("llama.vocab_size", (int) nVocab)
             .setFloat32("llama.attention.layer_norm_rms_epsilon", RMS_EPS)
             .setFloat32("llama.rope.freq_base", ROPE_FREQ_BASE);
            List<TensorSpec> tensors = tensors((int) nVocab);
            for (TensorSpec t : tensors) w.declareTensor(t.name(), t.shape());
            if (type != FileType.F32) w.quantizeAs(type.code, 0);
            w.beginData();
            for (TensorSpec t : tensors) w.writeTensor(weights(t));
            w.commit();
        }
        if (!Files.isRegularFile(out)) throw new IllegalStateException(out + " was not written");
    }

    /** Seeded per tensor name, so each tensor is the same whatever the order of generation. */
    float[] weights(TensorSpec t) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t.name().hashCode());
        float[] w = new float[Math.toIntExact(t.elements())];
        if (t.shape().length == 1) {
            for (int i = 0; i < w.length; i++) w[i] = (float) (1.0 + 0.1 * rng.nextGaussian());
        } else {
            double scale = t.name().equals("token_embd.weight") ? 1.0 : 1.0 / Math.sqrt(t.shape()[0]);
            for (int i = 0; i < w.length; i++) w[i] = (float) (scale * rng.nextGaussian());
        }
        return w;
    }
}
