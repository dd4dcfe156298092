package tn.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What happens when llama.cpp stops the process on a failed internal check (a GGML_ASSERT: an
 * input that tn's checks before loading did not foresee). The failing thread is deep inside
 * llama.cpp and cannot go on, so neither can the JVM; instead of SIGABRT (exit 134, a debugger's
 * backtrace on stdout), libtn calls back here: the cleanups registered with {@link #cleanup} run
 * (a temporary file is removed), tn's message goes to stderr, and the JVM halts with exit code 1
 * (a failure inside tn or llama.cpp). Shutdown hooks do not run: one of them waits for a run to
 * checkpoint at the end of its batch, which will never come.
 */
public final class NativeAbort {
    public static final int EXIT_CODE = 1;

    private static final List<Runnable> CLEANUPS = new CopyOnWriteArrayList<>();
    /** Held for the life of the JVM: libtn keeps the function pointer, and JNA's callback must not be collected. */
    private static final TnLibrary.AbortHandler HANDLER = NativeAbort::stop;

    private NativeAbort() {}

    /** Makes libtn call {@link #stop} instead of aborting; done once, when the library loads. */
    static void install(TnLibrary lib) {
        lib.tn_set_abort_handler(HANDLER);
    }

    /** Runs cleanup if llama.cpp stops the process before the returned handle is closed. */
    public static Registration cleanup(Runnable cleanup) {
        CLEANUPS.add(cleanup);
        return () -> CLEANUPS.remove(cleanup);
    }

    /** A registered cleanup; closing it means the work it guarded ended normally. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static void stop(String message) {
        for (Runnable c : CLEANUPS) {
            try {
                c.run();
            } catch (Throwable ignored) {
                // the process ends either way; the other cleanups still get their turn
            }
        }
        System.err.println("\ntn: error: " + message);
        System.err.println("tn: llama.cpp cannot continue after this; tn does not check this case before loading. "
                + "If the model file is sound, please report it with the line above.");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
