package tn.io;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a command talks: results to out, progress, warnings and errors to err. The command line
 * hands in picocli's writers, so tests read them instead of swapping the process's streams.
 * terminal says whether err is a terminal a live progress bar can redraw.
 */
public record Console(PrintWriter out, PrintWriter err, boolean terminal) {

    /** The process's own streams; a progress bar when stderr is a terminal. */
    public static Console system() {
        return new Console(writer(System.out), writer(System.err), System.console() != null);
    }

    /** Messages to a stream of the process's (stdout for results), as code that still holds a PrintStream has it. */
    public static Console errTo(java.io.PrintStream err) {
        return new Console(writer(System.out), writer(err), err == System.err && System.console() != null);
    }

    /** Discards everything (benchmarks time work, not printing). */
    public static Console silent() {
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        return new Console(nowhere, nowhere, false);
    }

    /** A writer that flushes at every line, as System.out does. */
    public static PrintWriter writer(OutputStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
