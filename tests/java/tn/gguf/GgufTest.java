package tn.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.llama.LlamaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing and reading GGUF files through ggml's gguf.h. */
class GgufTest {
    @TempDir
    Path tmp;

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
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "an ordinary file, not a private temporary one");
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
