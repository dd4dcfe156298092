package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;
import tn.io.Sha256;
import tn.TestModels;
import tn.model.FileType;
import tn.model.SyntheticArchitecture;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn model info and tn model quantize on a synthetic model. */
class ModelCommandTest {
    static final SyntheticModel MODEL = new SyntheticModel(3, 256, 384, 4, 2, Vocabulary.QWEN2, 3, FileType.F16);

    @TempDir
    Path dir;

    @Test
    void infoShowsTheFileAsGgufHoldsIt() throws IOException {
        Path f16 = dir.resolve("m.gguf");
        MODEL.write(f16);
        TnCli.Result r = TnCli.run("model", "info", f16.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("llama", j.get("architecture").getAsString()); // synthetic models are llama-architecture
        assertEquals(3, j.get("n_layer").getAsInt());
        assertEquals(256, j.get("n_embd").getAsInt());
        assertEquals(384, j.get("n_ff").getAsInt());
        assertEquals(4, j.get("n_head").getAsInt());
        assertEquals(2, j.get("n_head_kv").getAsInt());
        assertEquals("gpt2", j.get("tokenizer").getAsString());
        assertEquals("F16", j.get("file_type").getAsString());
        assertEquals(Files.size(f16), j.get("size_bytes").getAsLong());
        assertEquals(Sha256.of(f16), j.get("sha256").getAsString());
        try (GgufFile g = GgufFile.open(f16)) {
            assertEquals(g.arrayLength("tokenizer.ggml.tokens"), j.get("vocab_size").getAsLong());
            assertEquals(g.tensors().size(), j.get("n_tensors").getAsInt());
            long params = g.tensors().stream().mapToLong(GgufTensor::elements).sum();
            assertEquals(params, j.get("n_params").getAsLong());
            int counted = j.getAsJsonObject("tensors_by_type")
                                  .entrySet()
                                  .stream()
                                  .mapToInt(e -> e.getValue().getAsInt())
                                  .sum();
            assertEquals(g.tensors().size(), counted);
            assertEquals(g.tensors().stream().filter(t -> t.typeName().equals("f16")).count(),
                    j.getAsJsonObject("tensors_by_type").get("f16").getAsInt());
        }

        TnCli.Result table = TnCli.run("model", "info", f16.toString());
        assertEquals(0, table.code());
        assertTrue(table.out().contains("file type        F16"), table.out());
        assertTrue(table.out().contains("sha256           " + Sha256.of(f16)), table.out());

        TnCli.Result missing = TnCli.run("model", "info", dir.resolve("none.gguf").toString());
        assertEquals(Tn.EXIT_INPUT, missing.code());
        assertTrue(missing.err().contains("none.gguf"), missing.err());
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "not a gguf file at all");
        assertEquals(Tn.EXIT_INPUT, TnCli.run("model", "info", junk.toString()).code());
    }

    /** Per file, what tn supports for its architecture and why not, from tn's architecture table. */
    @Test
    void infoSaysWhatTnSupportsForTheArchitecture() {
        for (var e : TestModels.BY_ARCHITECTURE.entrySet()) {
            Path file = TestModels.file(e.getValue());
            JsonObject support = JsonParser.parseString(TnCli.run("model", "info", file.toString(), "--json").out())
                                         .getAsJsonObject()
                                         .getAsJsonObject("support");
            assertEquals(e.getKey().id, support.get("name").getAsString());
            for (String what : new String[] {"detection", "analyses", "deactivation"}) {
                assertTrue(support.getAsJsonObject(what).get("supported").getAsBoolean(), e.getKey() + " " + what);
            }
            String x = support.get("x_l").getAsString();
            boolean unnamed = e.getKey() == SyntheticArchitecture.COMMAND_R || e.getKey() == SyntheticArchitecture.PHI3;
            assertEquals(unnamed, x.startsWith("l_out-l minus ffn_out-l"), x);
            assertEquals(!unnamed, x.equals("node ffn_inp-l"), x);
            String table = TnCli.run("model", "info", file.toString()).out();
            assertTrue(table.contains("detection        supported\nanalyses         supported\n"
                               + "deactivation     supported\n"),
                    table);
        }
        TnCli.Result gemma = TnCli.run("model", "info", TestModels.relabeled(dir, "gemma2").toString());
        assertEquals(0, gemma.code(), gemma.err());
        assertTrue(gemma.out().contains(
                           "detection        not supported: the MLP output is RMS-normalised (ffn_post_norm)"),
                gemma.out());
        assertTrue(gemma.out().contains("deactivation     not supported: not proven"), gemma.out());
        JsonObject unknown =
                JsonParser
                        .parseString(
                                TnCli.run("model", "info", TestModels.relabeled(dir, "falcon").toString(), "--json")
                                        .out())
                        .getAsJsonObject()
                        .getAsJsonObject("support");
        assertFalse(unknown.get("known").getAsBoolean());
        assertTrue(unknown.getAsJsonObject("analyses")
                           .get("reason")
                           .getAsString()
                           .contains("'falcon' is not in tn's architecture table"),
                unknown.toString());
    }

    @Test
    void quantizeWritesTheTypeAndRefusesToOverwrite() throws IOException {
        Path f16 = dir.resolve("m.gguf");
        MODEL.write(f16);
        Path q4 = dir.resolve("m.Q4_K_M.gguf");
        TnCli.Result r = TnCli.run("model", "quantize", f16.toString(), q4.toString(), "--type", "Q4_K_M", "--quiet");
        assertEquals(0, r.code(), r.err());
        try (GgufFile g = GgufFile.open(q4)) {
            assertEquals(FileType.Q4_K_M.code, g.integer("general.file_type").orElseThrow());
            assertTrue(g.tensors().stream().anyMatch(t -> t.typeName().equals("q4_K")), "no q4_K tensor");
        }
        byte[] first = Files.readAllBytes(q4);

        TnCli.Result again = TnCli.run("model", "quantize", f16.toString(), q4.toString(), "--type", "Q8_0", "--quiet");
        assertEquals(Tn.EXIT_USAGE, again.code());
        assertTrue(again.err().contains("use --force"), again.err());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(q4)), "refused, yet the file changed");

        assertEquals(0,
                TnCli.run("model", "quantize", f16.toString(), q4.toString(), "--type", "Q8_0", "--force", "--quiet")
                        .code());
        try (GgufFile g = GgufFile.open(q4)) {
            assertEquals(FileType.Q8_0.code, g.integer("general.file_type").orElseThrow());
        }

        TnCli.Result imatrix =
                TnCli.run("model", "quantize", f16.toString(), dir.resolve("x.gguf").toString(), "--type", "IQ2_XS");
        assertEquals(Tn.EXIT_USAGE, imatrix.code());
        assertTrue(imatrix.err().contains("importance matrix"), imatrix.err());
        TnCli.Result unknown =
                TnCli.run("model", "quantize", f16.toString(), dir.resolve("x.gguf").toString(), "--type", "Q9_K");
        assertEquals(Tn.EXIT_USAGE, unknown.code());
        assertFalse(Files.exists(dir.resolve("x.gguf")));
        try (var files = Files.list(dir)) {
            assertTrue(
                    files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "a temporary file was left");
        }
    }
}
