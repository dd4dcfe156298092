package tn.hostile;

import tn.cli.TnCli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every hostile case asserts of tn, run inside the test's JVM: the exit code, a message
 * that says what it must (the file, the field), no stack trace and nothing but that on stderr's
 * last line, nothing on stdout (System.out included, for commands that print there), and no
 * output left behind; and the child processes for what cannot happen inside it (an abort, a
 * signal, a full disk).
 */
public final class Hostile {
    private Hostile() {}

    /**
     * The command line of another JVM running main with args: this JVM's java and class path, so
     * it finds libtn where this one does (TN_NATIVE_DIR, if set, reaches it through the environment).
     */
    public static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A started child process, its stdout and stderr read as they come (pipes, not files: see FullDiskTest). */
    public record Child(Process process, CompletableFuture<String> out, CompletableFuture<String> err) {
        public static Child start(List<String> command) throws IOException {
            return start(new ProcessBuilder(command));
        }

        /** Started as the builder says (a working folder, an environment). */
        public static Child start(ProcessBuilder builder) throws IOException {
            Process p = builder.start();
            p.getOutputStream().close();
            return new Child(p, text(p.getInputStream()), text(p.getErrorStream()));
        }

        private static CompletableFuture<String> text(InputStream in) {
            return CompletableFuture.supplyAsync(() -> {
                try (in) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, reader -> new Thread(reader, "child-output").start()); // a thread each: both pipes drain at once
        }

        /** Its exit code and output once it ends; fails (and kills it) if it has not ended within seconds. */
        public TnCli.Result await(String what, int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(what + ": did not end within " + seconds + " s; stderr: " + err.join());
            }
            return new TnCli.Result(process.exitValue(), out.join(), err.join());
        }
    }

    /**
     * Asserts that a child JVM catches signal: a child started by a non-interactive or background
     * parent may inherit SIGINT ignored (then the JVM never sees it; `env --default-signal=INT`
     * before the command restores it), and a signal sent before the JVM installed its handler
     * would end it without its shutdown hooks.
     */
    public static void assertCatches(Process child, int signal) throws IOException {
        String status = Files.readString(Path.of("/proc", String.valueOf(child.pid()), "status"));
        assertTrue(!hasSignal(status, "SigIgn", signal) && hasSignal(status, "SigCgt", signal),
                "the child JVM catches signal " + signal + " (it would not see it otherwise):\n" + status);
    }

    /** Whether the signal mask field (SigIgn, SigCgt, ...) of a /proc status has signal's bit. */
    private static boolean hasSignal(String status, String field, int signal) {
        String hex = status.lines()
                             .filter(l -> l.startsWith(field + ":"))
                             .findFirst()
                             .orElseThrow(() -> new AssertionError("no " + field + " in /proc status"))
                             .substring(field.length() + 1)
                             .trim();
        return (Long.parseUnsignedLong(hex, 16) >>> (signal - 1) & 1) == 1;
    }

    /** tn's result with anything printed on System.out added to its out. */
    static TnCli.Result tn(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stray, true, StandardCharsets.UTF_8));
        try {
            TnCli.Result r = TnCli.run(args);
            return new TnCli.Result(r.code(), r.out() + stray.toString(StandardCharsets.UTF_8), r.err());
        } finally {
            System.setOut(saved);
        }
    }

    /** Asserts a refusal: the code, each fragment in the message, a clean stderr, an empty stdout. */
    static TnCli.Result refused(String what, TnCli.Result r, int code, String... says) {
        assertEquals(code, r.code(), what + ": exit code; stderr: " + r.err());
        assertEquals("", r.out(), what + ": nothing on stdout when tn fails");
        assertTrue(r.err().contains("tn: error: "), what + ": " + r.err());
        for (String s : says) assertTrue(r.err().contains(s), what + ": the message says '" + s + "': " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"),
                what + ": no stack trace or "
                        + "library-internal message: " + r.err());
        return r;
    }

    /** Asserts that nothing is left at out: no folder, no file, no temporary sibling. */
    static void nothingLeft(String what, Path out) throws IOException {
        assertFalse(Files.exists(out), what + ": " + out + " was left behind");
        Path dir = out.toAbsolutePath().getParent();
        try (Stream<Path> siblings = Files.list(dir)) {
            String prefix = "." + out.getFileName();
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(prefix)),
                    what + ": a temporary file of " + out + " was left in " + dir);
        }
    }
}
