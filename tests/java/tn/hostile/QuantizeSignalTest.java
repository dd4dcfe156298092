package tn.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.Tn;
import tn.cli.TnCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * `tn model quantize` stopped by SIGTERM or Ctrl-C (SIGINT) while llama.cpp writes its
 * temporary file, in a JVM of its own: the JVM ends with the signal's exit code (128 + the
 * signal's number) and the folder holds the input alone, no temporary file and no output. The
 * model is big enough (about 110 MB of F16) that quantizing it takes seconds, so the signal
 * lands while the temporary file is being written; a child that finished first would leave the
 * output and exit 0, which fails the test.
 */
class QuantizeSignalTest {
    static final int SIGINT = 2, SIGTERM = 15;

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void synthesize() {
        model = tmp.resolve("model.gguf");
        Hostile.tn("model", "synth", "--layers", "12", "--embd", "512", "--ff", "1536", "--type", "F16", "--out",
                       model.toString())
                .expect(0);
    }

    @Test
    void sigtermRemovesTheTemporaryFile() throws Exception {
        Path dir = folderWithModel("term");
        Hostile.Child child = quantizeUntilTemporaryFile(dir, List.of());
        child.process().destroy(); // SIGTERM
        assertEndedBySignalLeavingOnlyTheInput(child, dir, SIGTERM);
    }

    /**
     * Ctrl-C reaches the processes of a terminal's foreground group as SIGINT. A child started by
     * a non-interactive or background parent may inherit SIGINT ignored, and the JVM then never
     * sees it; env --default-signal restores its default disposition, and the test checks that the
     * JVM has its handler for it before sending it.
     */
    @Test
    void ctrlCRemovesTheTemporaryFile() throws Exception {
        Path dir = folderWithModel("int");
        Hostile.Child child = quantizeUntilTemporaryFile(dir, List.of("env", "--default-signal=INT"));
        Hostile.assertCatches(child.process(), SIGINT);
        long pid = child.process().pid();
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -INT " + pid);
        assertEndedBySignalLeavingOnlyTheInput(child, dir, SIGINT);
    }

    private static Path folderWithModel(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.createLink(dir.resolve("in.gguf"), model);
        return dir;
    }

    /** Starts quantizing dir/in.gguf to dir/out.gguf (command prefixed by wrapper) and waits for its temporary file. */
    private static Hostile.Child quantizeUntilTemporaryFile(Path dir, List<String> wrapper) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(Hostile.javaCommand(Tn.class, "model", "quantize", dir.resolve("in.gguf").toString(),
                dir.resolve("out.gguf").toString(), "--type", "Q4_K_M", "--quiet"));
        Hostile.Child child = Hostile.Child.start(cmd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                fail("quantize ended (exit " + child.process().exitValue()
                        + ") before its temporary file was seen: " + child.err().join());
            }
            if (!temporaryFiles(dir).isEmpty()) return child;
            Thread.sleep(5);
        }
        child.process().destroyForcibly().waitFor();
        return fail("no temporary file of out.gguf appeared in " + dir + " within 60 s");
    }

    private static void assertEndedBySignalLeavingOnlyTheInput(Hostile.Child child, Path dir, int signal)
            throws Exception {
        TnCli.Result r = child.await("quantize after signal " + signal, 30);
        assertEquals(
                128 + signal, r.code(), "the exit code of a JVM ended by signal " + signal + "; stderr: " + r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("in.gguf"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "the folder holds the input alone (no temporary file, no output); stderr: " + r.err());
        }
        assertEquals("", r.out(), "nothing on stdout");
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".out.gguf.")).toList();
        }
    }
}
