package tn.llama;

import tn.io.InvalidValueException;
import tn.io.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Whether a session's context fits: within the context the model was trained for, and within the
 * memory this machine has free for what llama.cpp allocates for it. Checked before llama.cpp
 * allocates anything, since an absurd context (a billion tokens) otherwise grows memory until
 * the machine gives out.
 *
 * <p>The estimate, for contexts of sequences x sequenceContext KV cells and decode calls of
 * batchTokens rows (a {@link Session}: one sequence of contextSize cells, n_batch = n_ubatch =
 * n_ctx; a {@link Decoder}: a stream per sequence): the KV cache, 2 (K and V) x layers x cells
 * x KV width, in F32 or F16; the attention scores of the compute buffer, cells x rows x heads in
 * F32, twice (scores and softmax); and the per-row activations and logits. It errs high, and
 * only an estimate above the free memory is refused.
 */
final class ContextBudget {
    private ContextBudget() {}

    /**
     * Throws an {@link InvalidValueException} naming {ctx} when the contexts cannot be made:
     * sequenceContext beyond what the model was trained for, or more memory than is free.
     */
    static void check(ModelInfo info, int sequenceContext, int sequences, int batchTokens, boolean kvF32) {
        if (info.nCtxTrain() > 0 && sequenceContext > info.nCtxTrain()) {
            throw new InvalidValueException(
                    "a context of {} tokens ({ctx}) is more than {} was trained for ({} tokens)", sequenceContext,
                    info.path().getFileName(), info.nCtxTrain());
        }
        long need = bytes(info, (long) sequenceContext * sequences, batchTokens, kvF32);
        OptionalLong free = available();
        if (free.isPresent() && need > free.getAsLong()) {
            throw new InvalidValueException(
                    "a context of {} tokens ({ctx}){} needs about {} for llama.cpp's KV cache and "
                            + "attention on {}, more than the {} of memory available; lower {ctx}",
                    sequenceContext, sequences > 1 ? " for each of " + sequences + " sequences" : "", Sizes.human(need),
                    info.path().getFileName(), Sizes.human(free.getAsLong()));
        }
    }

    /** What llama.cpp allocates for a context, estimated from above (in double: an absurd context must not overflow). */
    static long bytes(ModelInfo info, long contextCells, int batchTokens, boolean kvF32) {
        double cells = Math.ceil(contextCells / 256.0) * 256; // llama.cpp pads the cache to 256 cells
        double tokens = batchTokens;
        double kvWidth = (double) info.nHeadKv() * (info.nEmbd() / Math.max(1, info.nHead()));
        double kv = 2.0 * info.nLayer() * cells * kvWidth * (kvF32 ? 4 : 2);
        double scores = 2.0 * cells * tokens * info.nHead() * 4;
        double activations = tokens * (6.0 * info.nEmbd() + 3.0 * info.nFf()) * 4;
        double logits = tokens * info.nVocab() * 4.0; // every token an output, as LAPE asks
        return (long) Math.min(Long.MAX_VALUE, kv + scores + activations + logits);
    }

    /**
     * Memory free for a new allocation: the kernel's MemAvailable, or less where a cgroup (a
     * container) limits this process; empty where neither can be read (not Linux).
     */
    static OptionalLong available() {
        OptionalLong free = memAvailable();
        for (Path[] limit :
                List.of(new Path[] {Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current")},
                        new Path[] {Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                                Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes")})) {
            OptionalLong max = number(limit[0]), used = number(limit[1]);
            if (max.isPresent() && used.isPresent() && max.getAsLong() < Long.MAX_VALUE / 2) {
                long left = Math.max(0, max.getAsLong() - used.getAsLong());
                free = OptionalLong.of(free.isPresent() ? Math.min(free.getAsLong(), left) : left);
            }
        }
        return free;
    }

    private static OptionalLong memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no estimate to check against
        }
        return OptionalLong.empty();
    }

    /** A file holding one number ("max" for no limit: empty). */
    private static OptionalLong number(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
