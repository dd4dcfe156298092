package tn.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.TnCli;
import tn.llama.Model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tn.hostile.GgufImage.BOOL;
import static tn.hostile.GgufImage.F32;
import static tn.hostile.GgufImage.I32;
import static tn.hostile.GgufImage.STRING;
import static tn.hostile.GgufImage.Tensor;
import static tn.hostile.GgufImage.U32;
import static tn.hostile.GgufImage.Value;

/**
 * Corrupt and hostile GGUF files, made from a small synthetic model by editing its bytes (see
 * {@link GgufImage}), through `tn centroids` (load, first forward pass, capture) in this JVM:
 * every one ends with exit 3 and a message naming the file and the field or tensor, nothing on
 * stdout, and no --out folder, and the JVM goes on (llama.cpp never reaches an assert: those
 * cases are refused before loading, see LoadCheck; NativeAbortTest covers the handler for the
 * ones nobody foresaw). Includes every case found by running hundreds of such files through
 * llama.cpp that stopped the process, crashed it or gave NaN with exit 0.
 */
class HostileModelTest {
    @TempDir
    static Path tmp;
    static Path sentences;
    static GgufImage base;
    static int caseNo;

    /** One hostile file: what is done to the model, and what tn must say about it. */
    record Case(String name, Consumer<GgufImage> edit, String... says) {}

    @BeforeAll
    static void setUp() throws IOException {
        base = GgufImage.read(TestModels.file(TestModels.SPM)); // 4 layers, d 64, n_ff 96, 4 heads of 16, 2 KV heads
        sentences = Files.writeString(tmp.resolve("ja.txt"), "猫がソファの上で寝ています。\n駅はどこですか？\n");
    }

    /** Writes the edited model, runs centroids on it, asserts the refusal; returns the message. */
    static String refusedRun(String name, Path model, String... says) throws IOException {
        Path out = tmp.resolve("out-" + (++caseNo));
        TnCli.Result r = Hostile.tn("centroids", "--model", model.toString(), "--type", "type2", "--lang", "ja",
                "--sentences", sentences.toString(), "--out", out.toString(), "--threads", "1", "-q");
        Hostile.refused(name, r, 3, says);
        Hostile.nothingLeft(name, out);
        return r.err();
    }

    static Path write(String name, Consumer<GgufImage> edit) {
        GgufImage g = GgufImage.read(TestModels.file(TestModels.SPM));
        edit.accept(g);
        return g.write(tmp.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".gguf"));
    }

    static void run(List<Case> cases) throws IOException {
        for (Case c : cases) {
            Path model = write(c.name(), c.edit());
            List<String> says = new ArrayList<>(List.of(c.says()));
            says.add(model.toString()); // every message names the file
            refusedRun(c.name(), model, says.toArray(String[] ::new));
        }
    }

    static Consumer<GgufImage> set(String key, int type, Object value) {
        return g -> g.set(key, type, value);
    }

    static Consumer<GgufImage> fill(String tensor, float v) {
        return g -> {
            Tensor t = g.tensor(tensor);
            for (int i = 0; i < t.data.length / 4; i++) t.setFloat(i, v);
        };
    }

    @Test
    void hyperparametersLlamaCppWouldAssertOnOrComputeGarbageFrom() throws IOException {
        String L = "llama.";
        run(List.of(new Case("513 layers", set(L + "block_count", U32, 513L), "'llama.block_count' is 513", "1..512"),
                new Case("no layers", set(L + "block_count", U32, 0L), "'llama.block_count' is 0"),
                new Case("negative width", set(L + "embedding_length", I32, -1L), "'llama.embedding_length' is -1"),
                new Case("width a string", set(L + "embedding_length", STRING, "64"),
                        "'llama.embedding_length' has type string"),
                new Case("heads not dividing",
                        g
                        -> {
                            g.set(L + "attention.head_count", U32, 3L);
                            g.set(L + "attention.head_count_kv", U32, 1L);
                        },
                        "'llama.embedding_length' is 64, which attention.head_count 3 does not divide"),
                new Case("kv heads not dividing heads", set(L + "attention.head_count", U32, 3L),
                        "'llama.attention.head_count_kv' is 2, which does not divide attention.head_count 3"),
                new Case("more heads than width", set(L + "attention.head_count", U32, 128L),
                        "'llama.attention.head_count' is 128"),
                new Case("kv heads not dividing", set(L + "attention.head_count_kv", U32, 3L),
                        "'llama.attention.head_count_kv' is 3"),
                new Case("per-layer heads",
                        g
                        -> g.kv.put(L + "attention.head_count", Value.array(U32, List.of(4L, 4L, 4L, 4L))),
                        "'llama.attention.head_count' is an array"),
                new Case("NaN rms epsilon", set(L + "attention.layer_norm_rms_epsilon", F32, Double.NaN),
                        "'llama.attention.layer_norm_rms_epsilon' is NaN"),
                new Case("negative rms epsilon", set(L + "attention.layer_norm_rms_epsilon", F32, -1.0),
                        "'llama.attention.layer_norm_rms_epsilon' is -1.0", "eps >= 0"),
                new Case("infinite rms epsilon",
                        set(L + "attention.layer_norm_rms_epsilon", F32, Double.POSITIVE_INFINITY),
                        "'llama.attention.layer_norm_rms_epsilon' is Infinity"),
                new Case("huge rms epsilon", set(L + "attention.layer_norm_rms_epsilon", F32, 1e30),
                        "layer_norm_rms_epsilon"),
                new Case("rope base 0", set(L + "rope.freq_base", F32, 0.0), "'llama.rope.freq_base' is 0.0"),
                new Case("rope base NaN", set(L + "rope.freq_base", F32, Double.NaN), "'llama.rope.freq_base' is NaN"),
                new Case("rope base negative", set(L + "rope.freq_base", F32, -10000.0),
                        "'llama.rope.freq_base' is -10000.0"),
                new Case("rope scale NaN", set(L + "rope.scaling.factor", F32, Double.NaN),
                        "'llama.rope.scaling.factor' is NaN"),
                new Case("rope scaling unknown", set(L + "rope.scaling.type", STRING, "bogus"),
                        "'llama.rope.scaling.type' is 'bogus'"),
                new Case("rope dims odd", set(L + "rope.dimension_count", U32, 15L),
                        "'llama.rope.dimension_count' is 15"),
                new Case("rope dims too many", set(L + "rope.dimension_count", U32, 64L),
                        "'llama.rope.dimension_count' is 64"),
                new Case("key and value heads differ", set(L + "attention.value_length", U32, 8L),
                        "attention.value_length"),
                new Case("experts", set(L + "expert_count", U32, 8L), "mixture-of-experts"),
                new Case("experts used", set(L + "expert_used_count", U32, 2L), "mixture-of-experts"),
                new Case("no context", set(L + "context_length", U32, 0L), "'llama.context_length' is 0"),
                new Case("an unknown float NaN", set(L + "attention.scale", F32, Double.NaN),
                        "'llama.attention.scale' is NaN"),
                new Case("no architecture", g -> g.remove("general.architecture"), "no general.architecture"),
                new Case("architecture a number", set("general.architecture", U32, 1L), "no general.architecture"),
                new Case("unknown architecture", set("general.architecture", STRING, "no-such-arch"), "no-such-arch"),
                new Case("alignment 3", set("general.alignment", U32, 3L), "not a valid GGUF"),
                new Case("duplicate tokens",
                        g
                        -> {
                            List<Object> t = new ArrayList<>((List<?>) g.kv.get("tokenizer.ggml.tokens").value());
                            t.set(7, t.get(6));
                            g.kv.put("tokenizer.ggml.tokens", Value.array(STRING, t));
                        },
                        "token 7 has the same text as token 6"),
                new Case("no tokens", g -> g.remove("tokenizer.ggml.tokens"), "tokenizer"),
                new Case("scores shorter than tokens",
                        g -> g.kv.put("tokenizer.ggml.scores", Value.array(F32, List.of(0.0))), "scores"),
                new Case("unknown tokenizer", set("tokenizer.ggml.model", STRING, "bogus"), "bogus"),
                new Case("negative BOS", set("tokenizer.ggml.bos_token_id", I32, -5L), "bos_token_id"),
                new Case("wrong value type", set(L + "context_length", BOOL, true), "context_length")));
    }

    @Test
    void tensorsMissingMisshapenOfTheWrongTypeOrHoldingNaN() throws IOException {
        run(List.of(new Case("no embedding", g -> g.removeTensor("token_embd.weight"), "token_embd.weight"),
                new Case("no down projection", g -> g.removeTensor("blk.2.ffn_down.weight"), "blk.2.ffn_down.weight"),
                new Case("no norm", g -> g.removeTensor("output_norm.weight"), "output_norm.weight"),
                new Case("an extra tensor",
                        g
                        -> g.tensors.add(new Tensor("blk.9.ffn_up.weight", new long[] {4}, 0, new byte[16])),
                        "wrong number of tensors"),
                new Case("swapped shape",
                        g
                        -> {
                            Tensor t = g.tensor("blk.0.ffn_down.weight");
                            t.ne = new long[] {t.ne[1], t.ne[0]};
                        },
                        "blk.0.ffn_down.weight", "wrong shape"),
                new Case("integer weights",
                        g -> g.tensor("blk.0.ffn_up.weight").type = 26, "'blk.0.ffn_up.weight' has type i32"),
                new Case("f64 weights",
                        g
                        -> {
                            Tensor t = g.tensor("blk.1.attn_q.weight");
                            t.type = 28;
                            t.data = Arrays.copyOf(t.data, t.data.length * 2);
                        },
                        "'blk.1.attn_q.weight' has type f64"),
                new Case("an f16 norm",
                        g
                        -> {
                            Tensor t = g.tensor("output_norm.weight");
                            t.type = 1;
                            t.data = Arrays.copyOf(t.data, t.data.length / 2);
                        },
                        "'output_norm.weight' (1-D", "f16"),
                new Case("a quantized norm",
                        g
                        -> {
                            Tensor t = g.tensor("blk.0.attn_norm.weight");
                            t.type = 2; // q4_0: 64 values are 2 blocks of 18 bytes
                            t.data = Arrays.copyOf(t.data, 36);
                        },
                        "'blk.0.attn_norm.weight' (1-D", "q4_0"),
                new Case("unknown tensor type", g -> g.tensor("blk.0.ffn_up.weight").type = 999, "not a valid GGUF"),
                new Case("data past the end",
                        g -> g.tensor("blk.0.ffn_up.weight").offsetOverride = 1L << 40, "not a valid GGUF"),
                new Case("negative dimension",
                        g -> g.tensor("output_norm.weight").ne = new long[] {-64}, "not a valid GGUF"),
                new Case("five dimensions",
                        g -> g.tensor("output_norm.weight").ne = new long[] {64, 1, 1, 1, 1}, "not a valid GGUF"),
                new Case("a tensor twice",
                        g
                        -> {
                            Tensor t = g.tensor("blk.0.ffn_up.weight");
                            g.tensors.add(new Tensor(t.name, t.ne, t.type, t.data));
                        },
                        "duplicate tensor"),
                // weights llama.cpp runs without complaint, into NaN: caught where the capture arrives, naming layer and line
                new Case("NaN in a down projection",
                        g
                        -> g.tensor("blk.0.ffn_down.weight").setFloat(5, Float.NaN),
                        "NaN in l_out of layer 0", "ja.txt line 1", "猫"),
                new Case("infinite embeddings", fill("token_embd.weight", Float.POSITIVE_INFINITY), "layer 0",
                        "ja.txt line 1"),
                new Case("NaN attention", fill("blk.1.attn_q.weight", Float.NaN), "NaN in l_out of layer 1",
                        "ja.txt line 1"),
                new Case(
                        "NaN final norm", fill("output_norm.weight", Float.NaN), "NaN in result_norm", "ja.txt line 1"),
                // finite weights whose centroid is all zeros: no score could be computed against it
                new Case("zero final norm", fill("output_norm.weight", 0f), "centroid of layer 3 is all zeros")));
    }

    @Test
    void truncatedAtEverySectionAndAbsurdCounts() throws IOException {
        byte[] whole = base.bytes();
        List<Integer> cuts = new ArrayList<>(List.of(0, 3, 4, 8, 16, 23, 24, 40));
        int dataStart = whole.length;
        for (Tensor t : base.tensors) dataStart -= t.data.length; // roughly; the cuts below straddle every part
        for (int k = 1; k <= 8; k++) cuts.add(dataStart * k / 9); // in the metadata and tensor index
        for (int k = 0; k <= 4; k++) cuts.add(dataStart + (whole.length - dataStart) * k / 5); // in the data
        cuts.add(whole.length - 1);
        for (int cut : cuts) {
            Path f = Files.write(tmp.resolve("cut-" + cut + ".gguf"), Arrays.copyOf(whole, cut));
            String err = refusedRun("cut at byte " + cut, f, f.toString());
            assertEquals(true, err.contains("not a valid GGUF") || err.contains("truncated"), err);
        }
        for (int[] at : new int[][] {{8, 0}, {16, 0}, {24, 0}}) { // tensor count, key count, first key's length
            for (long v : new long[] {Long.MAX_VALUE, -1, 1L << 40}) {
                byte[] b = whole.clone();
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at[0], v);
                Path f = Files.write(tmp.resolve("count-" + at[0] + "-" + v + ".gguf"), b);
                refusedRun("the count at byte " + at[0] + " set to " + v, f, "not a valid GGUF");
            }
        }
        for (int version : new int[] {1, 4, 0x7fffffff}) {
            Path f = write("version-" + version, g -> g.version = version);
            refusedRun("GGUF version " + version, f, "not a valid GGUF");
        }
    }

    @Test
    void architecturesHaveTheirOwnRules() throws IOException {
        // the same model as qwen2, qwen3 and command-r loads: the rules do not refuse sound files
        for (String arch : List.of("qwen2", "qwen3", "command-r")) {
            try (Model m = Model.open(write(arch, g -> asArchitecture(g, arch)))) {
                assertEquals(arch, m.info().architecture());
            }
        }
        run(List.of(new Case("qwen2 partial rope", g -> {
            asArchitecture(g, "qwen2");
            g.set("qwen2.rope.dimension_count", U32, 8L);
        }, "'qwen2.rope.dimension_count' is 8", "rotates the whole head"), new Case("qwen3 partial rope", g -> {
            asArchitecture(g, "qwen3");
            g.set("qwen3.rope.dimension_count", U32, 8L);
        }, "'qwen3.rope.dimension_count' is 8"), new Case("command-r key head size", g -> {
            asArchitecture(g, "command-r");
            g.set("command-r.attention.key_length", U32, 8L);
            g.set("command-r.attention.value_length", U32, 8L);
        }, "command-r needs head size x attention.head_count"), new Case("command-r NaN layer norm epsilon", g -> {
            asArchitecture(g, "command-r");
            g.set("command-r.attention.layer_norm_epsilon", F32, Double.NaN);
        }, "'command-r.attention.layer_norm_epsilon' is NaN"), new Case("command-r negative layer norm epsilon", g -> {
            asArchitecture(g, "command-r");
            g.set("command-r.attention.layer_norm_epsilon", F32, -0.5);
        }, "'command-r.attention.layer_norm_epsilon' is -0.5"), new Case("command-r logit scale 0", g -> {
            asArchitecture(g, "command-r");
            g.set("command-r.logit_scale", F32, 0.0);
        }, "'command-r.logit_scale' is 0.0")));
    }

    /** Generation checks the logits it chooses from: NaN there names the question's line, not a decode sequence. */
    @Test
    void nonFiniteLogitsInGenerationNameTheQuestion() throws IOException {
        Path model = write("NaN final norm for generation", fill("output_norm.weight", Float.NaN));
        Path questions = Files.writeString(tmp.resolve("questions.jsonl"),
                "{\"question\": \"日本の首都はどこですか？\", \"answers\": [\"東京\"], \"lang\": \"ja\"}\n");
        Path out = tmp.resolve("out-qa-nan");
        TnCli.Result r = Hostile.tn("qa", "--model", model.toString(), "--questions", questions.toString(), "--lang",
                "ja", "--max-new-tokens", "2", "--template", "Q: {question}\\nA:", "--threads", "1", "--out",
                out.toString(), "-q");
        Hostile.refused("qa on NaN logits", r, 3, model.toString(), "NaN", questions + " line 1", "日本の首都");
        Hostile.nothingLeft("qa on NaN logits", out);

        Path reasoningData = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning", "sample");
        out = tmp.resolve("out-reasoning-nan");
        r = Hostile.tn("reasoning", "--model", model.toString(), "--test",
                reasoningData.resolve("test.parquet").toString(), "--fewshot",
                reasoningData.resolve("validation.parquet").toString(), "--lang", "ja", "--limit", "1",
                "--max-new-tokens", "2", "--threads", "1", "--out", out.toString(), "-q");
        Hostile.refused("reasoning on NaN logits", r, 3, model.toString(), "NaN", "test.parquet");
        Hostile.nothingLeft("reasoning on NaN logits", out);
    }

    @Test
    void pathsThatAreNotModelFiles() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("a-folder.gguf"));
        Path fifo = tmp.resolve("pipe.gguf");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path loop = tmp.resolve("loop.gguf");
        Files.createSymbolicLink(loop, tmp.resolve("loop2.gguf"));
        Files.createSymbolicLink(tmp.resolve("loop2.gguf"), loop);
        Path empty = Files.createFile(tmp.resolve("empty.gguf"));
        Path vocabulary = tn.model.Vocabulary.LLAMA_SPM.file(); // a GGUF without weights
        refusedRun("a folder", dir, "is a directory, not a file");
        refusedRun("a FIFO", fifo, "a FIFO (named pipe), not a regular file");
        refusedRun("/dev/zero", Path.of("/dev/zero"), "a character device, not a regular file");
        refusedRun("a symlink loop", loop, "symbolic links");
        refusedRun("a missing file", tmp.resolve("nothing-here.gguf"), "no such file");
        refusedRun("an empty file", empty, "not a valid GGUF");
        refusedRun("a vocabulary-only GGUF", vocabulary, "token_embd.weight");
        for (Path p : List.of(dir, fifo, Path.of("/dev/zero"))) {
            Hostile.refused("model info " + p, Hostile.tn("model", "info", p.toString()), 3, p.toString(), "not a");
        }
        Hostile.refused("model info " + loop, Hostile.tn("model", "info", loop.toString()), 3, loop.toString(),
                "symbolic links");
    }

    /** The model as architecture arch: its keys renamed, and the tensors arch needs (q/k norms) or lacks (ffn_norm). */
    static void asArchitecture(GgufImage g, String arch) {
        g.set("general.architecture", STRING, arch);
        for (String k : List.copyOf(g.kv.keySet())) {
            if (k.startsWith("llama.")) g.kv.put(arch + "." + k.substring("llama.".length()), g.kv.remove(k));
        }
        int layers = (int) (long) (Long) g.kv.get(arch + ".block_count").value();
        int head = TestModels.SPM.headSize();
        if (arch.equals("qwen3")) {
            byte[] ones = new byte[head * 4];
            ByteBuffer.wrap(ones).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(ones(head));
            for (int l = 0; l < layers; l++) {
                g.tensors.add(new Tensor("blk." + l + ".attn_q_norm.weight", new long[] {head}, 0, ones.clone()));
                g.tensors.add(new Tensor("blk." + l + ".attn_k_norm.weight", new long[] {head}, 0, ones.clone()));
            }
        }
        if (arch.equals("command-r")) {
            g.kv.put(arch + ".attention.layer_norm_epsilon", g.kv.remove(arch + ".attention.layer_norm_rms_epsilon"));
            g.set(arch + ".logit_scale", F32, 0.0625);
            for (int l = 0; l < layers; l++) g.removeTensor("blk." + l + ".ffn_norm.weight");
        }
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        Arrays.fill(f, 1f);
        return f;
    }

    @Test
    void absurdPerLayerArrays() throws IOException {
        run(List.of(new Case("600 per-layer widths for 4 layers",
                            g
                            -> g.kv.put("llama.feed_forward_length", Value.array(U32, Collections.nCopies(600, 96L))),
                            "an array of 600 values for 4 layers"),
                new Case("layers as an array of strings",
                        g
                        -> g.kv.put("llama.block_count", Value.array(STRING, List.of("4"))),
                        "'llama.block_count' is an array")));
    }
}
