package tn.run;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of a run on stderr: a live bar (items/s, tokens/s, ETA) on a terminal, a plain
 * line every 10 seconds otherwise (logs, pipes), nothing when quiet. Rates count only the work
 * this process did, so a resumed run does not claim the earlier run's speed.
 */
final class Progress implements AutoCloseable {
    private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final String unit;
    private final long total;
    private final long startDone;
    private final long startNanos = System.nanoTime();
    private final PrintStream err;
    private final ProgressBar bar;      // on a terminal
    private final boolean lines;        // otherwise, unless quiet
    private long lastLine = startNanos;
    private long done;
    private long tokens;

    Progress(String label, String unit, long total, long done, boolean quiet, PrintStream err) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.startDone = done;
        this.done = done;
        this.err = err;
        boolean terminal = System.console() != null && err == System.err;
        this.bar = !quiet && terminal ? new ProgressBarBuilder()
                .setTaskName(label).setInitialMax(total).setUnit(" " + unit, 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).startsFrom(done, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build() : null;
        this.lines = !quiet && !terminal;
    }

    /** items more items done, with their tokens. */
    void advance(long items, long itemTokens) {
        done += items;
        tokens += itemTokens;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(" %.0f tok/s", tokens / Math.max(seconds, 1e-9)));
        } else if (lines && (System.nanoTime() - lastLine >= LINE_INTERVAL_NANOS || done == total)) {
            lastLine = System.nanoTime();
            double rate = (done - startDone) / Math.max(seconds, 1e-9);
            long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
            err.printf("%s: %d/%d %s (%.0f%%), %.1f %s/s, %.0f tokens/s, ETA %d:%02d%n", label, done, total, unit,
                    100.0 * done / total, rate, unit, tokens / Math.max(seconds, 1e-9), eta / 60, eta % 60);
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
