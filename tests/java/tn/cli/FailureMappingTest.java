package tn.cli;

import tn.bridge.TnLibrary;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches the user when a command fails with something no real input can provoke here (the
 * JVM out of memory, a native library that cannot load, a bug): tn's command line with one more
 * subcommand that throws it, so the exceptions and the errors picocli lets through take the path
 * real commands take.
 */
class FailureMappingTest {
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        private final Throwable thrown;

        Fail(Throwable thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() throws Exception {
            if (thrown instanceof Error e) throw e;
            throw (Exception) thrown;
        }
    }

    private static TnCli.Result failWith(Throwable thrown) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Tn.commandLine().addSubcommand("fail", new Fail(thrown));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("fail");
        return new TnCli.Result(code, out.toString(), err.toString());
    }

    @Test
    void aNativeLibraryThatCannotLoadIsOneLineAndExit1() {
        TnCli.Result r = failWith(new NoClassDefFoundError("Could not initialize class tn.bridge.TnLibrary")
                        .initCause(
                                new UnsatisfiedLinkError("/tmp/jna-1/jna123.tmp: No space left on device\n\tat more")));
        assertEquals(1, r.code());
        assertEquals("tn: error: cannot load tn's native library: /tmp/jna-1/jna123.tmp: No space left on device\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void theHeapRunningOutSaysWhatToChangeAlsoFromAWorkerThread() {
        for (Throwable thrown : new Throwable[] {new OutOfMemoryError("Java heap space"),
                     new ExecutionException(new OutOfMemoryError("Java heap space"))}) {
            TnCli.Result r = failWith(thrown);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("tn: error: out of memory: the JVM's heap of "), r.err());
            assertTrue(r.err().contains("TN_JAVA_OPTS=-Xmx"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace without TN_DEBUG: " + r.err());
        }
    }

    @Test
    void aStackOverflowIsAnInternalErrorWithoutTrace() {
        TnCli.Result r = failWith(new StackOverflowError());
        assertEquals(1, r.code());
        assertEquals("tn: internal error: stack overflow (TN_DEBUG=1 shows where)\n", r.err());
    }

    @Test
    void anyOtherJvmErrorIsLeftToTheJvm() {
        InternalError internal = new InternalError("a JVM bug");
        assertSame(internal, assertThrows(InternalError.class, () -> failWith(internal)));
    }

    @Test
    void anUnexpectedExceptionIsABugAndSaysSo() {
        TnCli.Result r = failWith(new IllegalStateException("a broken invariant"));
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("tn: internal error: java.lang.IllegalStateException: a broken invariant\n"
                           + "This is a bug in tn."),
                r.err());
    }
}
