package tn.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a run: the JVM's shutdown hook asks the run to stop and waits until the run has
 * checkpointed at the end of its current batch, so --resume loses nothing.
 */
final class StopSignal implements AutoCloseable {
    private static final long WAIT_MINUTES = 5;

    private volatile boolean requested;
    private final CountDownLatch saved = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "tn-stop");

    StopSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onShutdown() {
        requested = true;
        try {
            saved.await(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean requested() {
        return requested;
    }

    /** The run has saved its state (or finished): the JVM may go. */
    void released() {
        saved.countDown();
    }

    /** Called by the run after saving, when a stop was requested: waits for the JVM to end. */
    void awaitExit() {
        released();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        released();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running; it returns at once since released() was called
        }
    }
}
