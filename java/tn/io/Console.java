package tn.io;

import java.util.function.UnaryOperator;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a command talks: results to out, progress, warnings and errors to err. The command line
 * hands in picocli's writers, so tests read them instead of swapping the process's streams.
 * terminal says whether err is a terminal a live progress bar can redraw; names how the
 * interface calls a setting (the command line: by its flag), for {@link Wording}s.
 */
public record Console(PrintWriter out, PrintWriter err, boolean terminal, UnaryOperator<String> names) {
    /** Settings named by their own names. */
    public Console(PrintWriter out, PrintWriter err, boolean terminal) {
        this(out, err, terminal, UnaryOperator.identity());
    }

    /** The words, with settings named as this interface names them. */
    public String say(Wording words) {
        return words.render(names);
    }

    /** "tn: warning: ..." on err: shown even under --quiet. */
    public void warn(String message) {
        err.println("tn: warning: " + message);
        err.flush();
    }

    /** The process's own streams; a progress bar when stderr is a terminal. */
    public static Console system() {
        return new Console(writer(System.out), writer(System.err), System.console() != null);
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
