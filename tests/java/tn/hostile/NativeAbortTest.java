package tn.hostile;

import com.sun.jna.ptr.PointerByReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.TnCli;
import tn.bridge.NativeAbort;
import tn.bridge.TnLibrary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real GGML_ASSERT inside llama.cpp, in a JVM of its own (it ends that JVM): libtn's ggml abort
 * callback hands it to {@link NativeAbort}, which runs the registered cleanups, says what
 * happened on stderr and halts with {@link NativeAbort#EXIT_CODE}, instead of SIGABRT (exit 134)
 * and a debugger's backtrace on stdout. The model has 513 layers, which llama.cpp asserts against
 * (LLAMA_MAX_LAYERS is 512) while reading its hyperparameters; tn's own checks refuse it first
 * (HostileModelTest), so the child calls libtn's tn_model_open directly, past them.
 */
class NativeAbortTest {
    @TempDir
    Path tmp;

    /** The child: registers a cleanup that deletes args[1], then loads args[0] without tn's checks. */
    public static final class LoadWithoutChecks {
        public static void main(String[] args) throws IOException {
            Path marker = Path.of(args[1]);
            NativeAbort.cleanup(() -> {
                try {
                    Files.delete(marker);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int rc = TnLibrary.INSTANCE.tn_model_open(args[0], 0, new PointerByReference());
            // reached only if llama.cpp did not stop the process: the test fails on this exit code and message
            System.err.println("tn_model_open returned " + rc + ": " + TnLibrary.INSTANCE.tn_last_error());
            System.exit(rc == 0 ? 0 : 10);
        }
    }

    @Test
    void anAssertInsideLlamaCppRunsTheCleanupsAndEndsWithTnsMessageAndExitCode() throws Exception {
        GgufImage image = GgufImage.read(TestModels.file(TestModels.SPM));
        image.set("llama.block_count", GgufImage.U32, 513L);
        Path model = image.write(tmp.resolve("513-layers.gguf")).toAbsolutePath();
        Path marker = Files.writeString(tmp.resolve("cleanup-marker"), "deleted by NativeAbort's cleanup");

        TnCli.Result r =
                Hostile.Child.start(Hostile.javaCommand(LoadWithoutChecks.class, model.toString(), marker.toString()))
                        .await("loading a 513-layer model past tn's checks", 30);

        assertEquals(NativeAbort.EXIT_CODE, r.code(),
                "exit code (134 is SIGABRT: the handler did not run); stderr: " + r.err());
        assertTrue(r.err().contains(
                           "tn: error: llama.cpp stopped on a failed internal check while loading " + model + ": "),
                "tn's message naming what it was doing: " + r.err());
        assertTrue(Pattern.compile("llama-model\\.cpp:\\d+: GGML_ASSERT\\(").matcher(r.err()).find(),
                "the failed check, file and line: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no Java stack trace: " + r.err());
        assertEquals("", r.out(), "nothing on stdout (ggml prints a gdb backtrace there without the handler)");
        assertFalse(Files.exists(marker), "the registered cleanup ran before the JVM halted");
    }
}
