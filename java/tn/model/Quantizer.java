package tn.model;

import tn.bridge.Status;

import tn.io.InputException;
import tn.io.InvalidValueException;
import com.sun.jna.ptr.IntByReference;
import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;
import tn.bridge.LlamaException;
import tn.llama.Model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/** llama_model_quantize, writing its output atomically and reporting tensors done as it goes. */
public final class Quantizer {
    /** Told the tensors done out of all, a few times a second while quantizing and once at the end. */
    public interface Listener {
        void tensors(int done, int total);
    }

    private Quantizer() {}

    /** Quantizes in to out (replaced if present) as type; threads 0 uses every core. */
    public static void quantize(Path in, Path out, FileType type, int threads) {
        quantize(in, out, type, threads, (done, total) -> {});
    }

    /** Refuses a type tn cannot quantize to: those that need an importance matrix. */
    public static void checkSupported(FileType type) {
        if (type.needsImatrix) {
            throw new InvalidValueException(
                    "{} needs an importance matrix, which tn does not compute; choose another type", type);
        }
    }

    /**
     * The input must load in llama.cpp first (a file it refuses, or would stop the process on,
     * cannot make a model it accepts); the output is written aside (see {@link PartialOutput}),
     * checked to hold every tensor of the input and to load, and only then renamed to out. What
     * was written aside is removed on any failure, on Ctrl-C or SIGTERM, and if llama.cpp stops
     * the process on a failed check.
     */
    public static void quantize(Path in, Path out, FileType type, int threads, Listener listener) {
        checkSupported(type);
        if (Files.isDirectory(out)) throw new InputException(out + " is a directory");
        List<String> tensors;
        try (Model model = Model.open(in)) {
            tensors = model.gguf().tensors().stream().map(GgufTensor::name).toList();
        }
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tn-quantize-progress");
            t.setDaemon(true);
            return t;
        });
        try (PartialOutput partial = new PartialOutput(out)) {
            poll.scheduleWithFixedDelay(() -> report(listener), 200, 200, TimeUnit.MILLISECONDS);
            check(INSTANCE.tn_quantize(in.toString(), partial.file().toString(), type.code, threads));
            poll.shutdown();
            awaitQuietly(poll);
            report(listener);
            verify(partial.file(), out, tensors);
            partial.commit();
        } finally {
            poll.shutdownNow();
        }
    }

    /** The quantized file holds exactly the input's tensors and loads in llama.cpp; named as out in messages. */
    private static void verify(Path written, Path out, List<String> tensors) {
        try (GgufFile g = GgufFile.open(written)) {
            Set<String> have = new HashSet<>();
            for (GgufTensor t : g.tensors()) have.add(t.name());
            for (String name : tensors) {
                if (!have.contains(name)) {
                    throw new LlamaException(Status.INTERNAL,
                            "quantizing to " + out + " lost tensor '" + name + "' (" + have.size() + " of "
                                    + tensors.size() + " tensors written); nothing was written");
                }
            }
            if (have.size() != tensors.size()) {
                throw new LlamaException(Status.INTERNAL,
                        "quantizing to " + out + " wrote " + have.size() + " tensors for the input's " + tensors.size()
                                + "; nothing was written");
            }
        }
        try (Model ignored = Model.open(written)) {
            // loading is the check
        } catch (LlamaException e) {
            throw new LlamaException(
                    -8, "the quantized model does not load, so " + out + " was not written: " + e.getMessage());
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
