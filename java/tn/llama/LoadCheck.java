package tn.llama;

import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a GGUF model must satisfy before llama.cpp may load and run it: the cases where llama.cpp
 * does not report an error but stops the process on a failed GGML_ASSERT, crashes, or computes
 * NaN or meaningless numbers without a word. Checked from the file's metadata and tensor index
 * (nothing is loaded); a failure names the file and the field, says what was expected, and is an
 * input error (exit code 3). What llama.cpp itself reports cleanly (a missing tensor, a wrong
 * shape, a key of the wrong type) is left to it.
 *
 * <p>Found by reading the pinned llama.cpp (llama-model.cpp's load_hparams, the graph builders
 * in src/models/, ggml's CPU ops, llama-vocab.cpp) and by running corrupted files through it
 * (tests/java/tn/hostile). What differs between architectures is one row of {@link #ARCHITECTURES}.
 */
public final class LoadCheck {
    /** llama.cpp's LLAMA_MAX_LAYERS: load_hparams asserts block_count <= this. */
    public static final int MAX_LAYERS = 512;
    /** Far beyond any real model, and small enough that sizes derived from them cannot overflow. */
    private static final long MAX_WIDTH = 1 << 20;
    private static final long MAX_CONTEXT = Integer.MAX_VALUE;
    /** llama.cpp's rope scaling types (LLAMA_ROPE_SCALING_TYPES); another name fails an assert. */
    private static final Set<String> ROPE_SCALING = Set.of("none", "linear", "yarn", "longrope");
    /**
     * Tensor types ggml's CPU backend cannot multiply or look rows up in: a weight of one of these
     * crashes the process (SIGSEGV in the matrix product).
     */
    private static final Set<String> NOT_WEIGHT_TYPES = Set.of("i8", "i16", "i32", "i64", "f64");

    /**
     * How an architecture's graph uses its hyperparameters, where architectures differ.
     *
     * @param normEpsilon   the key of its norms' epsilon (RMSNorm or LayerNorm), below "{arch}."
     * @param ropeSpansHead its graph asserts rope.dimension_count == the head size (else it must
     *                      only be even and at most the head size)
     * @param squareQuery   its query projection is n_embd x n_embd, so heads x head size must be
     *                      n_embd (else the graph's reshape asserts)
     */
    record Architecture(String normEpsilon, boolean ropeSpansHead, boolean squareQuery) {}

    static final Map<String, Architecture> ARCHITECTURES =
            Map.of("llama", new Architecture("attention.layer_norm_rms_epsilon", true, false), "qwen2",
                    new Architecture("attention.layer_norm_rms_epsilon", true, true), "qwen3",
                    new Architecture("attention.layer_norm_rms_epsilon", true, false), "command-r",
                    new Architecture("attention.layer_norm_epsilon", false, true),
                    // phi3 ropes n_rot dimensions of each head (no assert that they span it) and splits a fused
                    // n_embd-wide query
                    "phi3", new Architecture("attention.layer_norm_rms_epsilon", false, true));

    private final GgufFile g;
    private final String arch;

    private LoadCheck(GgufFile g, String arch) {
        this.g = g;
        this.arch = arch;
    }

    /** Throws a {@link LlamaException} (an input error) naming the file and field when the model would fail. */
    public static void check(GgufFile g) {
        String arch = g.type("general.architecture").orElse(-1) == GgufFile.TYPE_STRING
                ? g.string("general.architecture").orElseThrow()
                : null;
        if (arch == null || arch.isBlank()) {
            throw new LlamaException(-3,
                    g.path() + ": no general.architecture string in the metadata (a vocabulary-only "
                            + "or non-model GGUF?)");
        }
        // an architecture tn's table cannot run is refused by tn_model_open with the table's reason before
        // llama.cpp reads the file: that says more than a check of keys such a file need not have
        if (!tn.llama.Architecture.of(arch).fullySupported()) return;
        new LoadCheck(g, arch).run();
    }

    private void run() {
        Architecture a = ARCHITECTURES.get(arch);
        long layers = required("block_count", 1, MAX_LAYERS, "llama.cpp's limit, LLAMA_MAX_LAYERS");
        long embd = required("embedding_length", 1, MAX_WIDTH, null);
        optional("context_length", 1, MAX_CONTEXT, "the context the model was trained for, in tokens");
        perLayer("feed_forward_length", layers, 1, MAX_WIDTH);
        long heads = required("attention.head_count", 1, embd, "at most embedding_length");
        long kvHeads = optional("attention.head_count_kv", 1, heads, "at most attention.head_count").orElse(heads);
        if (heads % kvHeads != 0) {
            fail("attention.head_count_kv",
                    kvHeads + ", which does not divide attention.head_count " + heads
                            + " (grouped-query attention needs whole groups)");
        }
        headSizes(a, embd, heads);
        noExperts();
        ropeScaling();
        finiteFloats();
        if (a != null) {
            range(a.normEpsilon(), 0, 1, "a small non-negative number such as 1e-5 (ggml asserts eps >= 0)");
        } else {
            for (Architecture known : ARCHITECTURES.values())
                range(known.normEpsilon(), 0, 1, "a small non-negative number such as 1e-5");
        }
        positive("rope.freq_base", "the RoPE base, such as 10000 (0 or less gives NaN)");
        range("rope.scaling.factor", 0, Double.MAX_VALUE, "a non-negative factor (0: none)");
        positive("rope.scaling.attn_factor", "a positive factor");
        positive("logit_scale", "a positive factor (0 makes every logit 0)");
        tokens();
        tensorTypes();
    }

    // ---- hyperparameters ----

    /** Head sizes: what the graph builders reshape and rotate by. */
    private void headSizes(Architecture a, long embd, long heads) {
        long keySize = optional("attention.key_length", 1, MAX_WIDTH, null).orElse(-1);
        long valueSize = optional("attention.value_length", 1, MAX_WIDTH, null).orElse(-1);
        if ((keySize < 0 || valueSize < 0) && embd % heads != 0) {
            fail("embedding_length",
                    embd + ", which attention.head_count " + heads + " does not divide (and no "
                            + "attention.key_length/value_length gives the head size)");
        }
        long head = keySize > 0 ? keySize : embd / heads;
        long valueHead = valueSize > 0 ? valueSize : embd / heads;
        if (head != valueHead) {
            fail("attention.value_length",
                    valueHead + " while the key head size is " + head + "; llama.cpp's graphs assert they are equal");
        }
        if (a != null && a.squareQuery() && head * heads != embd) {
            fail("attention.key_length",
                    head + ": " + arch + " needs head size x attention.head_count (" + heads + ") = embedding_length ("
                            + embd + ")");
        }
        long rope = optional("rope.dimension_count", 1, MAX_WIDTH, null).orElse(head);
        if (a != null && a.ropeSpansHead() && rope != head) {
            fail("rope.dimension_count", rope + "; " + arch + " rotates the whole head, of " + head + " dimensions");
        }
        if (rope % 2 != 0 || rope > head) {
            fail("rope.dimension_count",
                    rope + "; RoPE needs an even number of dimensions, at most the head size " + head);
        }
    }

    /** tn needs a dense MLP, and llama.cpp asserts on expert counts that do not add up. */
    private void noExperts() {
        for (String key : List.of("expert_count", "expert_used_count")) {
            if (optional(key, 0, Long.MAX_VALUE, null).orElse(0) > 0) {
                fail(key,
                        g.integer(arch + "." + key).orElseThrow() + ": mixture-of-experts models are not "
                                + "supported (transfer neurons need a dense MLP in every layer)");
            }
        }
    }

    private void ropeScaling() {
        String key = arch + ".rope.scaling.type";
        OptionalInt type = g.type(key);
        if (type.isEmpty()) return;
        if (type.getAsInt() != GgufFile.TYPE_STRING) failType(key, type.getAsInt(), "a string");
        String v = g.string(key).orElseThrow();
        if (!ROPE_SCALING.contains(v))
            failKey(key, "'" + v + "'; expected one of " + String.join(", ", ROPE_SCALING.stream().sorted().toList()));
    }

    /** A NaN or infinite hyperparameter makes every state NaN, or an assert fail mid-forward. */
    private void finiteFloats() {
        for (String key : g.keys()) {
            if (!key.startsWith(arch + ".")) continue;
            int type = g.type(key).orElseThrow();
            if (isFloat(type)) {
                double v = g.number(key).orElseThrow();
                if (!Double.isFinite(v)) failKey(key, v + "; expected a finite number");
            } else if (type == GgufFile.TYPE_ARRAY && isFloat(g.elementType(key).orElseThrow())) {
                for (long j = 0; j < g.arrayLength(key); j++) {
                    double v = g.arrayNumber(key, j);
                    if (!Double.isFinite(v)) failKey(key, v + " at element " + j + "; expected finite numbers");
                }
            }
        }
    }

    // ---- tokenizer ----

    /** llama.cpp's vocabulary asserts that every token's text is distinct. */
    private void tokens() {
        String key = "tokenizer.ggml.tokens";
        if (g.elementType(key).orElse(-1) != GgufFile.TYPE_STRING) return; // llama.cpp says what is missing
        long n = g.arrayLength(key);
        Map<String, Long> seen = new HashMap<>();
        for (long j = 0; j < n; j++) {
            String token = g.arrayString(key, j);
            Long before = seen.putIfAbsent(token, j);
            if (before != null) {
                throw new LlamaException(-3,
                        g.path() + ": metadata '" + key + "': token " + j + " has the same text as token " + before
                                + " ('" + printable(token)
                                + "'); llama.cpp needs every token of a vocabulary distinct");
            }
        }
    }

    // ---- tensors ----

    /**
     * ggml's CPU backend multiplies and adds only float and quantized tensors, and adds or scales
     * by 1-D tensors (norm weights, biases) only in F32: another type crashes or fails an assert
     * in the first forward pass.
     */
    private void tensorTypes() {
        for (GgufTensor t : g.tensors()) {
            String type = t.typeName() == null ? "#" + t.type() : t.typeName();
            if (NOT_WEIGHT_TYPES.contains(type)) {
                throw new LlamaException(-3,
                        g.path() + ": tensor '" + t.name() + "' has type " + type
                                + "; llama.cpp computes with float or quantized weights only");
            }
            if (t.shape().length == 1 && !type.equals("f32")) {
                throw new LlamaException(-3,
                        g.path() + ": tensor '" + t.name() + "' (1-D, a norm weight or bias) has "
                                + "type " + type + "; llama.cpp needs such tensors in f32");
            }
        }
    }

    // ---- reading values ----

    /** {arch}.name, which must be present: an integer in [min, max]. */
    private long required(String name, long min, long max, String expected) {
        return optional(name, min, max, expected)
                .orElseThrow(() -> new LlamaException(-3, g.path() + ": no " + arch + "." + name + " in the metadata"));
    }

    /** {arch}.name if present: a single integer in [min, max]. */
    private OptionalLong optional(String name, long min, long max, String expected) {
        String key = arch + "." + name;
        OptionalInt type = g.type(key);
        if (type.isEmpty()) return OptionalLong.empty();
        if (type.getAsInt() == GgufFile.TYPE_ARRAY) {
            failKey(key, "an array (one value per layer); tn needs a single value, the same in every layer");
        }
        if (!isInteger(type.getAsInt())) failType(key, type.getAsInt(), "an integer");
        long v = g.integer(key).orElseThrow();
        if (v < min || v > max) {
            failKey(key, v + "; expected " + min + ".." + max + (expected != null ? " (" + expected + ")" : ""));
        }
        return OptionalLong.of(v);
    }

    /** {arch}.name, one integer or one per layer (as llama.cpp reads it), each in [min, max]. */
    private void perLayer(String name, long layers, long min, long max) {
        String key = arch + "." + name;
        if (g.type(key).orElse(-1) != GgufFile.TYPE_ARRAY) {
            optional(name, min, max, null);
            return;
        }
        if (g.arrayLength(key) != layers) {
            failKey(key, "an array of " + g.arrayLength(key) + " values for " + layers + " layers");
        }
        int elements = g.elementType(key).orElseThrow();
        if (!isInteger(elements)) failKey(key, "an array of " + typeName(elements) + "; expected integers");
        for (long j = 0; j < layers; j++) {
            double v = g.arrayNumber(key, j);
            if (v < min || v > max) failKey(key, (long) v + " for layer " + j + "; expected " + min + ".." + max);
        }
    }

    /** {arch}.name if present: a number in [min, max). */
    private void range(String name, double min, double max, String expected) {
        String key = arch + "." + name;
        OptionalInt type = g.type(key);
        if (type.isEmpty()) return;
        if (!isFloat(type.getAsInt()) && !isInteger(type.getAsInt())) failType(key, type.getAsInt(), "a number");
        double v = g.number(key).orElseThrow();
        if (!(v >= min && v < max)) failKey(key, v + "; expected " + expected);
    }

    private void positive(String name, String expected) {
        range(name, Double.MIN_VALUE, Double.MAX_VALUE, expected);
    }

    private void fail(String name, String what) {
        failKey(arch + "." + name, what);
    }

    private void failKey(String key, String what) {
        throw new LlamaException(-3, g.path() + ": metadata '" + key + "' is " + what);
    }

    private void failType(String key, int type, String expected) {
        throw new LlamaException(
                -3, g.path() + ": metadata '" + key + "' has type " + typeName(type) + "; expected " + expected);
    }

    private static boolean isInteger(int type) {
        return type <= 5 || type == 10 || type == 11; // u8 i8 u16 i16 u32 i32, u64 i64
    }

    private static boolean isFloat(int type) {
        return type == GgufFile.TYPE_FLOAT32 || type == GgufFile.TYPE_FLOAT64;
    }

    private static String typeName(int type) {
        String[] names = {
                "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};
        return type >= 0 && type < names.length ? names[type] : "value of type " + type;
    }

    private static String printable(String token) {
        String s =
                token.codePoints()
                        .mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c))
                        .reduce("", String::concat);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
