package tn.model;

import tn.io.InvalidValueException;
import tn.gguf.GgufFile;
import tn.gguf.GgufWriter;
import tn.io.Sizes;
import tn.llama.LoadCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small GGUF of one of llama.cpp's architectures ({@link SyntheticArchitecture}) with seeded
 * random weights and a real tokenizer: what the tests and the demo run, since no real weights
 * can be downloaded here. The same spec and seed always give the same file.
 *
 * Weights are Gaussian with variance 1/fan-in, so every layer's outputs stay of order one;
 * norm weights are 1 + N(0, 0.1^2), biases N(0, 0.2^2). The output head is tied to the token
 * embedding (no output.weight), as llama.cpp allows, to keep files small.
 */
public record SyntheticModel(SyntheticArchitecture architecture, int layers, int embd, int ff, int heads, int kvHeads,
        int headSize, Vocabulary vocabulary, long seed, FileType type) {
    public static final int CONTEXT_LENGTH = 4096;
    /** The epsilon of every norm: RMSNorm's, or LayerNorm's for command-r. */
    public static final float NORM_EPS = 1e-5f;
    public static final float ROPE_FREQ_BASE = 10000f;
    /** At least the vocabulary of every tokenizer tn synthesizes with, for size estimates. */
    private static final int VOCAB_SIZE_BOUND = 160_000;

    /** Far beyond any test or benchmark model; a weight matrix must also fit one Java array. */
    public static final int MAX_EMBD = 65_536, MAX_FF = 262_144;

    /** A llama-architecture model, heads of n_embd / heads. */
    public SyntheticModel(
            int layers, int embd, int ff, int heads, int kvHeads, Vocabulary vocabulary, long seed, FileType type) {
        this(SyntheticArchitecture.LLAMA, layers, embd, ff, heads, kvHeads, heads > 0 ? embd / heads : 0, vocabulary,
                seed, type);
    }

    public SyntheticModel {
        require(layers >= 1 && layers <= LoadCheck.MAX_LAYERS, "{layers} must be 1..{} (llama.cpp's limit), is {}",
                LoadCheck.MAX_LAYERS, layers);
        require(embd >= 2 && embd <= MAX_EMBD, "{embd} must be 2..{}, is {}", MAX_EMBD, embd);
        require(ff >= 1 && ff <= MAX_FF, "{ff} must be 1..{}, is {}", MAX_FF, ff);
        require((long) embd * ff < Integer.MAX_VALUE,
                "{embd} x {ff} ({}) must be below 2^31: one weight matrix is one "
                        + "Java array",
                (long) embd * ff);
        require(heads >= 1 && embd % heads == 0, "{embd} ({}) must be a multiple of {heads} ({})", embd, heads);
        require(headSize == embd / heads || architecture.hasOwnHeadSize(),
                "the {} architecture's head size is {embd}/{heads} ({})", architecture.id, embd / heads);
        require(headSize >= 2 && headSize % 2 == 0, "the head size ({}) must be even for RoPE", headSize);
        require(kvHeads >= 1 && heads % kvHeads == 0, "{heads} ({}) must be a multiple of {kv_heads} ({})", heads,
                kvHeads);
        require(type.code == FileType.F32.code || type.code == FileType.F16.code
                        || ff % 32 == 0 && embd % 32 == 0 && headSize * heads % 32 == 0,
                "quantized types need {embd}, {ff} and the attention width to be multiples of 32 (ggml block size)");
        require(!type.needsImatrix, "{} needs an importance matrix; choose another type", type);
    }

    private static void require(boolean ok, String template, Object... values) {
        if (!ok) throw new InvalidValueException(template, values);
    }

    /** A tensor of the model: name and ggml shape (shape[0] is the row length). */
    public record TensorSpec(String name, long[] shape) {
        long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** The tensors of this spec's architecture at its dimensions, in file order. */
    public List<TensorSpec> tensors(int nVocab) {
        return architecture.tensors(this, nVocab);
    }

    /**
     * Writes the model to out (atomically) in this spec's type, tensor by tensor, if its folder has
     * room for it: a quantized type gets llama.cpp's mix of tensor types for it and the bytes its
     * quantization of the F32 weights gives, without an F32 file of the whole model.
     */
    public void write(Path out) {
        checkRoom(out);
        try (GgufFile vocab = GgufFile.open(vocabulary.file()); GgufWriter w = GgufWriter.create(out)) {
            long nVocab = vocab.arrayLength("tokenizer.ggml.tokens");
            if (nVocab <= 0) throw new IllegalStateException(vocab.path() + " has no tokenizer.ggml.tokens");
            // the tokenizer, and nothing else of the vocabulary file's metadata
            w.copyMetadata(vocab);
            for (String key : vocab.keys()) {
                if (!key.startsWith("tokenizer.")) w.remove(key);
            }
            w.set("general.architecture", architecture.id)
                    .set("general.name",
                            String.format("tn-synthetic-%s-L%d-d%d-ff%d-h%d-kv%d-hd%d-%s-seed%d", architecture.id,
                                    layers, embd, ff, heads, kvHeads, headSize, vocabulary.id, seed))
                    .setUInt32("general.file_type", FileType.F32.code);
            architecture.writeHyperparameters(w, this, (int) nVocab);
            List<TensorSpec> tensors = tensors((int) nVocab);
            for (TensorSpec t : tensors) w.declareTensor(t.name(), t.shape());
            if (type != FileType.F32) w.quantizeAs(type.code, 0);
            w.beginData();
            for (TensorSpec t : tensors) w.writeTensor(weights(t));
            w.commit();
        }
        if (!Files.isRegularFile(out)) throw new IllegalStateException(out + " was not written");
    }

    /**
     * The file must fit on out's file system: its size in F32 (no quantized type is larger) is
     * checked against the free space before anything is written.
     */
    private void checkRoom(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        long bytes = 0;
        for (TensorSpec t : tensors(VOCAB_SIZE_BOUND)) bytes += 4 * t.elements();
        try {
            while (dir != null && !Files.isDirectory(dir)) dir = dir.getParent();
            long free = dir == null ? Long.MAX_VALUE : Files.getFileStore(dir).getUsableSpace();
            if (bytes > free) {
                throw new InvalidValueException("this model needs up to {} to write, more than the {} free in {}",
                        Sizes.human(bytes), Sizes.human(free), dir);
            }
        } catch (IOException e) {
            // no file store to ask: writing will say what goes wrong
        }
    }

    /** Seeded per tensor name, so each tensor is the same whatever the order of generation. */
    float[] weights(TensorSpec t) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t.name().hashCode());
        float[] w = new float[Math.toIntExact(t.elements())];
        if (t.name().endsWith(".bias")) {
            for (int i = 0; i < w.length; i++) w[i] = (float) (0.2 * rng.nextGaussian());
        } else if (t.shape().length == 1) {
            for (int i = 0; i < w.length; i++) w[i] = (float) (1.0 + 0.1 * rng.nextGaussian());
        } else {
            double scale = t.name().equals("token_embd.weight") ? 1.0 : 1.0 / Math.sqrt(t.shape()[0]);
            for (int i = 0; i < w.length; i++) w[i] = (float) (scale * rng.nextGaussian());
        }
        return w;
    }
}
