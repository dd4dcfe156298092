package tn.io;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress of long work on stderr: a live bar (rate, ETA) on a terminal, a plain line every 10
 * seconds otherwise (logs, pipes), nothing when quiet. Rates count only the work this process
 * did, so a resumed run or download does not claim the earlier one's speed. Runs also report
 * tokens per second.
 */
public final class Progress implements AutoCloseable {
    private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final String unit;
    private final long unitSize; // counts are shown divided by this (bytes as MB)
    private final long total;
    private final long startDone;
    private final long startNanos = System.nanoTime();
    private final PrintWriter err;
    private final ProgressBar bar; // on a terminal
    private final boolean lines; // otherwise, unless quiet
    private long lastLine = startNanos;
    private long done;
    private long tokens;

    private Progress(String label, String unit, long unitSize, long total, long done, boolean quiet, Console console) {
        this.label = label;
        this.unit = unit;
        this.unitSize = unitSize;
        this.total = total;
        this.startDone = done;
        this.done = done;
        this.err = console.err();
        boolean terminal = console.terminal(); // err is then the process's stderr, where the bar redraws
        this.bar = !quiet && terminal ? new ProgressBarBuilder()
                                                .setTaskName(label)
                                                .setInitialMax(total)
                                                .setUnit(" " + unit, unitSize)
                                                .showSpeed()
                                                .setStyle(ProgressBarStyle.ASCII)
                                                .startsFrom(done, Duration.ZERO)
                                                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                                                .build()
                                      : null;
        this.lines = !quiet && !terminal;
    }

    /** Counts items (sentences, pairs, tensors), done of total already done. */
    public static Progress items(String label, String unit, long total, long done, boolean quiet, Console console) {
        return new Progress(label, unit, 1, total, done, quiet, console);
    }

    /** Counts bytes, shown as MB; done of total already there (a resumed download). */
    public static Progress bytes(String label, long total, long done, boolean quiet, Console console) {
        return new Progress(label, "MB", 1_000_000, total, done, quiet, console);
    }

    /** n more done. */
    public void advance(long n) {
        advance(n, 0);
    }

    /** items more items done, with their tokens (shown as tokens/s where any are counted). */
    public void advance(long items, long itemTokens) {
        done += items;
        tokens += itemTokens;
        double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
        String tokenRate = tokens > 0 ? String.format(", %.0f tokens/s", tokens / seconds) : "";
        if (bar != null) {
            bar.stepTo(done);
            if (tokens > 0) bar.setExtraMessage(String.format(" %.0f tok/s", tokens / seconds));
        } else if (lines && (System.nanoTime() - lastLine >= LINE_INTERVAL_NANOS || done == total)) {
            lastLine = System.nanoTime();
            double rate = (done - startDone) / seconds;
            long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
            double scale = unitSize;
            err.printf("%s: %s/%s %s (%.0f%%), %.1f %s/s%s, ETA %d:%02d%n", label, amount(done / scale),
                    amount(total / scale), unit, 100.0 * done / Math.max(total, 1), rate / scale, unit, tokenRate,
                    eta / 60, eta % 60);
            err.flush();
        }
    }

    private String amount(double value) {
        return unitSize == 1 ? String.format("%.0f", value) : String.format("%.1f", value);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
