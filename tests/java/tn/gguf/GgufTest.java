package tn.gguf;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.bridge.LlamaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.bridge.TnLibrary.INSTANCE;

/** Writing and reading GGUF files through ggml's gguf.h. */
class GgufTest {
    @TempDir
    Path tmp;

    /** tn.h's contract: a getter that returns NULL or -1 has set tn_last_error() to say why. */
    @Test
    void failingGettersSayWhy() {
        Path file = tn.TestModels.file(tn.TestModels.SPM);
        try (GgufFile g = GgufFile.open(file)) {
            Pointer h = g.handle();
            long name = INSTANCE.tn_gguf_find_key(h, "general.name");
            long tokens = INSTANCE.tn_gguf_find_key(h, "tokenizer.ggml.tokens");
            long layers = INSTANCE.tn_gguf_find_key(h, "llama.block_count");
            assertTrue(name >= 0 && tokens >= 0 && layers >= 0);
            assertEquals(-1, INSTANCE.tn_gguf_find_key(h, "no.such.key"));
            assertTrue(INSTANCE.tn_last_error().contains("no metadata 'no.such.key'"), INSTANCE.tn_last_error());
            assertEquals(-1, INSTANCE.tn_gguf_find_tensor(h, "no.such.weight"));
            assertTrue(INSTANCE.tn_last_error().contains("no tensor 'no.such.weight'"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_gguf_key(h, 1 << 20));
            assertTrue(INSTANCE.tn_last_error().contains("out of range"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_gguf_get_str(h, layers, -1));
            assertTrue(
                    INSTANCE.tn_last_error().contains("'llama.block_count' is not a string"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_gguf_get_str(h, name, 0));
            assertTrue(INSTANCE.tn_last_error().contains("is not an array of strings"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_gguf_get_str(h, tokens, 1L << 40));
            assertTrue(INSTANCE.tn_last_error().contains("no element"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_gguf_tensor_name(h, -1));
            assertTrue(INSTANCE.tn_last_error().contains("tensor index -1 out of range"), INSTANCE.tn_last_error());
            assertEquals(null, INSTANCE.tn_ggml_type_name(9999));
            assertTrue(INSTANCE.tn_last_error().contains("unknown ggml type 9999"), INSTANCE.tn_last_error());
            assertEquals(-1, INSTANCE.tn_gguf_n_kv(null));
            assertTrue(INSTANCE.tn_last_error().contains("null gguf handle"), INSTANCE.tn_last_error());
            assertEquals(-1, INSTANCE.tn_gguf_n_tensors(null));
            LlamaException notString = assertThrows(LlamaException.class, () -> g.string("llama.block_count"));
            assertTrue(notString.getMessage().contains(file + ": metadata 'llama.block_count' is not a string"),
                    notString.getMessage());
        }
        try (tn.llama.Model m = tn.llama.Model.open(file)) {
            LlamaException outside = assertThrows(LlamaException.class, () -> m.endsGeneration(-5));
            assertTrue(outside.getMessage().contains("token -5 is outside the vocabulary"), outside.getMessage());
        }
    }

    @Test
    void metadataAndTensorsRoundTrip() throws IOException {
        Path file = tmp.resolve("round.gguf");
        float[] a = {1.5f, -2f, 3.25f, 0f, 7f, -0.125f};
        float[] b = new float[100];
        for (int i = 0; i < b.length; i++) b[i] = i * 0.5f - 10;
        try (GgufWriter w = GgufWriter.create(file)) {
            w.set("general.name", "héllo 猫").setUInt32("test.count", 42).setFloat32("test.eps", 1e-5f);
            w.declareTensor("a", 3, 2).declareTensor("b", 100);
            w.beginData();
            w.writeTensor(a);
            assertFalse(Files.exists(file), "nothing at the target before commit");
            w.writeTensor(b);
            w.commit();
        }
        assertEquals("rw-r--r--",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "an ordinary file, not a private temporary one");
        try (GgufFile g = GgufFile.open(file)) {
            assertEquals("héllo 猫", g.string("general.name").orElseThrow());
            assertEquals(42, g.integer("test.count").orElseThrow());
            assertEquals(1e-5, g.number("test.eps").orElseThrow(), 1e-12);
            assertTrue(g.string("missing").isEmpty());
            GgufTensor ta = g.require("a");
            assertArrayEquals(new long[] {3, 2}, ta.shape());
            assertEquals(3, ta.rowLength());
            assertEquals(2, ta.rows());
            assertEquals("f32", ta.typeName());
            assertArrayEquals(a, g.read("a"));
            assertArrayEquals(b, g.read("b"));
            assertArrayEquals(new float[] {0f, 7f, -0.125f}, g.readRows("a", 1, 1));
            assertThrows(LlamaException.class, () -> g.readRows("a", 1, 2));
            assertThrows(LlamaException.class, () -> g.require("c"));
            assertThrows(LlamaException.class, () -> g.integer("general.name"));
        }
    }

    @Test
    void writerMistakesAreErrorsAndLeaveNoFile() throws IOException {
        Path file = tmp.resolve("bad.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.declareTensor("x", 4);
            assertThrows(LlamaException.class, () -> w.declareTensor("x", 4), "duplicate name");
            assertThrows(LlamaException.class, () -> w.declareTensor("y", 0), "empty dimension");
            assertThrows(LlamaException.class, () -> w.setUInt32("general.alignment", 3));
            w.beginData();
            assertThrows(LlamaException.class, () -> w.set("late", "metadata"));
            assertThrows(LlamaException.class, () -> w.writeTensor(new float[3]), "wrong size");
            LlamaException e = assertThrows(LlamaException.class, w::commit, "tensor never written");
            assertTrue(e.getMessage().contains("0 of 1"), e.getMessage());
        }
        assertFalse(Files.exists(file));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "no temporary files left behind");
        }
    }
}
