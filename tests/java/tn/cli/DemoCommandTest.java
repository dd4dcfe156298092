package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, end to end: synthesize, run with capture, summarise. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void demoSynthesizesAModelAndPrintsOneRowPerLayer() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = Tn.commandLine().execute("demo", "--out", tmp.toString());
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(Files.isRegularFile(tmp.resolve("tn-demo-L6-d128.gguf")));
        long rows = text.lines().filter(l -> l.matches("\\s+\\d+\\s+[0-9.]+(\\s+-?[0-9.]+){5}")).count();
        assertEquals(6, rows, "one row per layer:\n" + text);
        assertTrue(text.contains("no real transfer neurons"), text);
    }

    @Test
    void aMissingModelIsAnInputError() {
        assertEquals(Tn.EXIT_INPUT, Tn.commandLine().execute("demo", "--model", tmp.resolve("none.gguf").toString()));
    }
}
