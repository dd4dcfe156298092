package tn.model;

import tn.io.InputException;
import tn.io.InvalidValueException;
import com.sun.jna.ptr.IntByReference;
import tn.io.AtomicFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static tn.llama.TnLibrary.INSTANCE;
import static tn.llama.TnLibrary.check;

/** llama_model_quantize, writing its output atomically and reporting tensors done as it goes. */
public final class Quantizer {
    /** Told the tensors done out of all, a few times a second while quantizing and once at the end. */
    public interface Listener {
        void tensors(int done, int total);
    }

    private Quantizer() {}

    /** Quantizes in to out (replaced if present) as type; threads 0 uses every core. */
    public static void quantize(Path in, Path out, FileType type, int threads) {
        quantize(in, out, type, threads, (done, total) -> { });
    }

    /** Refuses a type tn cannot quantize to: those that need an importance matrix. */
    public static void checkSupported(FileType type) {
        if (type.needsImatrix) {
            throw new InvalidValueException("{} needs an importance matrix, which tn does not compute; choose another type", type);
        }
    }

    public static void quantize(Path in, Path out, FileType type, int threads, Listener listener) {
        checkSupported(type);
        if (Files.isDirectory(out)) throw new InputException(out + " is a directory");
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tn-quantize-progress");
            t.setDaemon(true);
            return t;
        });
        try (AtomicFile target = AtomicFile.create(out)) {
            poll.scheduleWithFixedDelay(() -> report(listener), 200, 200, TimeUnit.MILLISECONDS);
            check(INSTANCE.tn_quantize(in.toString(), target.temporary().toString(), type.code, threads));
            poll.shutdown();
            awaitQuietly(poll);
            report(listener);
            target.commit();
        } finally {
            poll.shutdownNow();
        }
    }

    private static void report(Listener listener) {
        IntByReference done = new IntByReference();
        IntByReference total = new IntByReference();
        INSTANCE.tn_quantize_progress(done, total);
        if (total.getValue() > 0) listener.tensors(done.getValue(), total.getValue());
    }

    private static void awaitQuietly(ScheduledExecutorService poll) {
        try {
            poll.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
