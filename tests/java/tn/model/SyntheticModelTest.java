package tn.model;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;
import tn.hostile.GgufImage;
import tn.llama.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticModelTest {
    @TempDir
    Path tmp;

    static String sha256(Path p) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void theSameSeedGivesTheSameFile() throws Exception {
        SyntheticModel spec = new SyntheticModel(2, 32, 48, 2, 1, Vocabulary.LLAMA_SPM, 9, FileType.F32);
        spec.write(tmp.resolve("a.gguf"));
        spec.write(tmp.resolve("b.gguf"));
        new SyntheticModel(2, 32, 48, 2, 1, Vocabulary.LLAMA_SPM, 10, FileType.F32).write(tmp.resolve("c.gguf"));
        assertEquals(sha256(tmp.resolve("a.gguf")), sha256(tmp.resolve("b.gguf")));
        assertNotEquals(sha256(tmp.resolve("a.gguf")), sha256(tmp.resolve("c.gguf")));
    }

    /**
     * A quantized model written directly, tensor by tensor, is the model llama_model_quantize
     * makes of its F32 twin: the same type for every tensor (llama.cpp's mix for the file type)
     * and the same data bytes (the blocks of scales and quants as the file holds them, read by a
     * plain Java GGUF parser), so the same values. The files' metadata may differ.
     */
    @Test
    void quantizedModelsEqualLlamaCppQuantizationOfTheF32Twin() {
        // 4 layers of d 256: K-quants apply, and Q4_K_M mixes Q4_K and Q6_K down projections
        SyntheticModel f32 = new SyntheticModel(4, 256, 512, 4, 2, Vocabulary.LLAMA_SPM, 12, FileType.F32);
        f32.write(tmp.resolve("f32.gguf"));
        for (FileType type : new FileType[] {FileType.Q4_K_M, FileType.Q8_0, FileType.Q3_K_S, FileType.F16}) {
            Path direct = tmp.resolve("direct-" + type + ".gguf"), viaF32 = tmp.resolve("quantized-" + type + ".gguf");
            new SyntheticModel(4, 256, 512, 4, 2, Vocabulary.LLAMA_SPM, 12, type).write(direct);
            Quantizer.quantize(tmp.resolve("f32.gguf"), viaF32, type, 0);
            GgufImage directBytes = GgufImage.read(direct), viaF32Bytes = GgufImage.read(viaF32);
            try (GgufFile a = GgufFile.open(direct); GgufFile b = GgufFile.open(viaF32)) {
                assertEquals(b.integer("general.file_type"), a.integer("general.file_type"), type + ": file type");
                assertEquals(b.integer("general.quantization_version"), a.integer("general.quantization_version"));
                assertEquals(b.tensors().size(), a.tensors().size());
                Set<String> types = new TreeSet<>();
                for (GgufTensor t : b.tensors()) {
                    GgufTensor mine = a.require(t.name());
                    assertEquals(t.typeName(), mine.typeName(), type + ": type of " + t.name());
                    assertEquals(t.bytes(), mine.bytes(), type + ": size of " + t.name());
                    int size = Math.toIntExact(t.bytes());
                    assertTrue(Arrays.equals(Arrays.copyOf(viaF32Bytes.data(t.name()), size),
                                       Arrays.copyOf(directBytes.data(t.name()), size)),
                            type + ": bytes of " + t.name());
                    types.add(t.typeName());
                }
                System.out.println(type + " written directly: tensor types " + types);
                if (type == FileType.Q4_K_M) {
                    assertEquals("q4_K", a.require("blk.0.ffn_down.weight").typeName());
                    assertEquals(
                            "q6_K", a.require("blk.3.ffn_down.weight").typeName(), "llama.cpp's mix, not one type");
                }
            }
        }
    }

    @Test
    void modelsCarryTheirShapeAndARealTokenizer() {
        for (SyntheticModel spec : new SyntheticModel[] {TestModels.SPM, TestModels.QWEN2}) {
            Path file = TestModels.file(spec);
            try (Model m = Model.open(file); GgufFile g = GgufFile.open(file)) {
                assertEquals("llama", m.info().architecture());
                assertEquals(spec.layers(), m.info().nLayer());
                assertEquals(spec.embd(), m.info().nEmbd());
                assertEquals(spec.ff(), m.info().nFf());
                assertEquals(spec.heads(), m.info().nHead());
                assertEquals(spec.kvHeads(), m.info().nHeadKv());
                assertEquals(g.arrayLength("tokenizer.ggml.tokens"), m.info().nVocab());
                assertTrue(m.info().nVocab() > 30000, "a real vocabulary");
                for (String s : TestModels.SENTENCES) {
                    int[] t = m.tokenize(s);
                    assertTrue(t.length < s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                            "real subword tokens, not bytes: " + s);
                    assertEquals(s, m.detokenize(t, true).strip(), "round trip of " + s);
                }
            }
        }
    }

    @Test
    void invalidShapesAreRejected() {
        assertThrows(InvalidValueException.class,
                ()
                        -> new SyntheticModel(2, 30, 48, 4, 2, Vocabulary.LLAMA_SPM, 1, FileType.F32),
                "d not divisible by heads");
        assertThrows(InvalidValueException.class,
                ()
                        -> new SyntheticModel(2, 32, 48, 4, 3, Vocabulary.LLAMA_SPM, 1, FileType.F32),
                "heads not divisible by kv heads");
        assertThrows(InvalidValueException.class,
                ()
                        -> new SyntheticModel(2, 32, 48, 4, 2, Vocabulary.LLAMA_SPM, 1, FileType.Q8_0),
                "n_ff not a multiple of 32");
        assertThrows(InvalidValueException.class, () -> Vocabulary.parse("klingon"));
    }

    @Test
    void synthCommandWritesAModelAndExitsWithMeaningfulCodes() {
        Path out = tmp.resolve("cli.gguf");
        String[] args = {"model", "synth", "--out", out.toString(), "--layers", "2", "--embd", "64", "--ff", "64",
                "--heads", "2", "--kv-heads", "1", "--vocab", "qwen2", "--seed", "3", "--type", "Q8_0"};
        TnCli.run(args).expect(0);
        try (Model m = Model.open(out)) {
            assertEquals(FileType.Q8_0.code, m.info().fileType());
            assertEquals(2, m.info().nLayer());
        }
        assertTrue(TnCli.run(args).expect(Tn.EXIT_USAGE).err().contains("use --force"),
                "refuses to overwrite without --force");
        TnCli.run("model", "synth", "--out", tmp.resolve("x.gguf").toString(), "--embd", "30").expect(Tn.EXIT_USAGE);
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
        TnCli.run("model", "synth", "--bogus").expect(Tn.EXIT_USAGE);
    }

    /** --arch writes that architecture, quantized too, with its own tokenizer unless --vocab says otherwise. */
    @Test
    void synthWritesEachArchitecture() {
        Path qwen3 = tmp.resolve("qwen3.gguf");
        assertEquals(0,
                Tn.commandLine().execute("model", "synth", "--arch", "qwen3", "--out", qwen3.toString(), "--layers",
                        "2", "--embd", "64", "--ff", "64", "--heads", "4", "--kv-heads", "2", "--head-size", "32",
                        "--type", "Q8_0"));
        try (Model m = Model.open(qwen3); GgufFile g = GgufFile.open(qwen3)) {
            assertEquals("qwen3", m.info().architecture());
            assertEquals(FileType.Q8_0.code, m.info().fileType());
            assertEquals(32, g.integer("qwen3.attention.key_length").orElseThrow());
            assertEquals("qwen2", g.string("tokenizer.ggml.pre").orElseThrow());
        }
        Path commandR = tmp.resolve("command-r.gguf");
        assertEquals(0,
                Tn.commandLine().execute("model", "synth", "--arch", "command-r", "--out", commandR.toString(),
                        "--layers", "1", "--embd", "32", "--ff", "32", "--heads", "2", "--kv-heads", "1", "--vocab",
                        "llama-spm"));
        try (GgufFile g = GgufFile.open(commandR)) {
            assertEquals("command-r", g.string("general.architecture").orElseThrow());
            assertEquals(
                    "llama", g.string("tokenizer.ggml.model").orElseThrow(), "--vocab overrides the architecture's");
            assertTrue(g.tensor("blk.0.ffn_norm.weight").isEmpty(), "command-r's MLP reads attn_norm");
        }
        Path none = tmp.resolve("none.gguf");
        assertEquals(Tn.EXIT_USAGE,
                Tn.commandLine().execute("model", "synth", "--arch", "gemma2", "--out", none.toString()));
        assertEquals(Tn.EXIT_USAGE,
                Tn.commandLine().execute(
                        "model", "synth", "--arch", "llama", "--out", none.toString(), "--head-size", "64"),
                "llama's head size is --embd / --heads");
        assertFalse(Files.exists(none));
    }
}
