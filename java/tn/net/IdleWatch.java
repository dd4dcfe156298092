package tn.net;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a response body with a limit on silence: when no byte arrives for the timeout, the
 * stream is closed and the reading thread interrupted (the JDK's HTTP body stream blocks
 * without a limit of its own, so a server that stops sending would hang the download forever),
 * and the read fails with {@link Stalled}.
 */
final class IdleWatch implements AutoCloseable {
    /** No byte arrived for the timeout. */
    static final class Stalled extends IOException {
        Stalled() {
            super("stalled");
        }
    }

    private final InputStream in;
    private final ScheduledExecutorService timer;
    private final Thread reader = Thread.currentThread();
    private final long limitNanos;
    private volatile long lastNanos = System.nanoTime();
    private volatile boolean fired;

    IdleWatch(InputStream in, Duration timeout) {
        this.in = in;
        this.limitNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tn-download-watch");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 10));
        timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (fired || System.nanoTime() - lastNanos < limitNanos) return;
        fired = true;
        reader.interrupt();
        try {
            in.close();
        } catch (IOException ignored) {
            // the interrupt alone ends the read
        }
    }

    /** in.read(buf), failing with {@link Stalled} when the stream went silent for too long. */
    int read(byte[] buf) throws IOException {
        try {
            int n = in.read(buf);
            lastNanos = System.nanoTime();
            if (fired) throw new Stalled();
            return n;
        } catch (IOException e) {
            if (fired) throw new Stalled();
            throw e;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (fired) Thread.interrupted(); // the interrupt was for the read, not for whoever comes next
    }
}
