package tn.model;

import tn.gguf.GgufFile;
import tn.gguf.GgufWriter;
import tn.io.AtomicFile;
import tn.io.Sizes;
import tn.llama.LoadCheck;

import java.io.IOException;
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
    /** At least the vocabulary of every tokenizer tn synthesizes with, for size estimates. */
    private static final int VOCAB_SIZE_BOUND = 160_000;
    public static final float RMS_EPS = 1e-5f;
    public static final float ROPE_FREQ_BASE = 10000f;

    /** Far beyond any test or benchmark model; a weight matrix must also fit one Java array. */
    public static final int MAX_EMBD = 65_536, MAX_FF = 262_144;

    public SyntheticModel {
        require(layers >= 1 && layers <= LoadCheck.MAX_LAYERS, "--layers must be 1.." + LoadCheck.MAX_LAYERS
                + " (llama.cpp's limit), is " + layers);
        require(embd >= 2 && embd <= MAX_EMBD, "--embd must be 2.." + MAX_EMBD + ", is " + embd);
        require(ff >= 1 && ff <= MAX_FF, "--ff must be 1.." + MAX_FF + ", is " + ff);
        require((long) embd * ff < Integer.MAX_VALUE, "--embd x --ff (" + (long) embd * ff + ") must be below 2^31: "
                + "one weight matrix is one Java array");
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

    /** Writes the model to out (atomically), quantized to this spec's type, if its folder has room for it. */
    public void write(Path out) {
        checkRoom(out);
        if (type == FileType.F32) {
            writeF32(out);
            return;
        }
        // llama.cpp makes every other type from the F32 model
        try (AtomicFile f32 = AtomicFile.create(out.resolveSibling(out.getFileName() + ".f32"))) {
            writeF32(f32.temporary());
            Quantizer.quantize(f32.temporary(), out, type, 0);
        }
    }

    /** The F32 file (written first, whatever the type) must fit on out's file system, with room to spare. */
    private void checkRoom(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        long bytes = 0;
        for (TensorSpec t : tensors(VOCAB_SIZE_BOUND)) bytes += 4 * t.elements();
        try {
            while (dir != null && !Files.isDirectory(dir)) dir = dir.getParent();
            long free = dir == null ? Long.MAX_VALUE : Files.getFileStore(dir).getUsableSpace();
            if (2 * bytes > free) {
                throw new IllegalArgumentException("this model needs about " + Sizes.human(2 * bytes) + " to write (an F32 "
                        + "file, and the quantized one), more than the " + Sizes.human(free) + " free in " + dir);
            }
        } catch (IOException e) {
            // no file store to ask: writing will say what goes wrong
        }
    }

    private void writeF32(Path out) {
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
