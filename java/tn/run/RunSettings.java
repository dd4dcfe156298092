package tn.run;

import tn.bridge.TnLibrary;
import tn.llama.LoadCheck;
import tn.io.InvalidValueException;
import tn.llama.SessionOptions;
import tn.method.LastLayer;

/**
 * How a run goes, as opposed to what it computes: the options every run command shares.
 *
 * @param threads           CPU threads, 0 for every core
 * @param batch             sentences per llama_decode call
 * @param contextSize       tokens per decode call; longer sentences are skipped (or, strict, an error)
 * @param gpuLayers         layers offloaded to the GPU (-1 all; ignored by a CPU-only build)
 * @param lastLayer         what the last layer's hidden state is
 * @param resume            continue from the output folder's checkpoint
 * @param quiet             no progress and no summary
 * @param strict            a sentence longer than the context is an error, not a warning
 * @param checkpointSeconds seconds between checkpoints; 0 checkpoints after every batch
 * @param shard             the slice of the items to run, or null for all of them
 */
public record RunSettings(int threads, int batch, int contextSize, int gpuLayers, LastLayer lastLayer, boolean resume,
        boolean quiet, boolean strict, int checkpointSeconds, Shard shard) {
    public RunSettings {
        SessionOptions.checkThreads(threads);
        if (batch < 1 || batch > TnLibrary.MAX_SEQUENCES)
            throw new InvalidValueException("{batch} must be 1..{}, is {}", TnLibrary.MAX_SEQUENCES, batch);
        // the model's trained context and the free memory bound it from above once the model is open
        if (contextSize < 8) throw new InvalidValueException("{ctx} must be at least 8 tokens, is {}", contextSize);
        if (gpuLayers < -1 || gpuLayers > MAX_GPU_LAYERS) {
            throw new InvalidValueException("{gpu_layers} must be -1 (all) or 0..{}, is {}", MAX_GPU_LAYERS, gpuLayers);
        }
        if (checkpointSeconds < 0 || checkpointSeconds > MAX_CHECKPOINT_SECONDS) {
            throw new InvalidValueException(
                    "{checkpoint_every} must be 0..{} seconds, is {}", MAX_CHECKPOINT_SECONDS, checkpointSeconds);
        }
    }

    /** Every layer llama.cpp allows a model (LLAMA_MAX_LAYERS), and its output layer. */
    public static final int MAX_GPU_LAYERS = LoadCheck.MAX_LAYERS + 1;
    /** Seconds between checkpoints by default. */
    public static final int DEFAULT_CHECKPOINT_SECONDS = 60;
    /** The seed of every random choice by default: the original implementation's random.seed(42). */
    public static final long DEFAULT_SEED = 42;
    /** A day: a checkpoint less often than this protects nothing. */
    public static final int MAX_CHECKPOINT_SECONDS = 86_400;

    public static RunSettings defaults() {
        return new RunSettings(0, SessionOptions.DEFAULT_SENTENCES, SessionOptions.DEFAULT_CONTEXT, -1,
                LastLayer.NORMED, false, true, false, DEFAULT_CHECKPOINT_SECONDS, null);
    }

    public RunSettings withThreads(int n) {
        return new RunSettings(
                n, batch, contextSize, gpuLayers, lastLayer, resume, quiet, strict, checkpointSeconds, shard);
    }

    public RunSettings withBatch(int n) {
        return new RunSettings(
                threads, n, contextSize, gpuLayers, lastLayer, resume, quiet, strict, checkpointSeconds, shard);
    }

    public RunSettings withLastLayer(LastLayer l) {
        return new RunSettings(
                threads, batch, contextSize, gpuLayers, l, resume, quiet, strict, checkpointSeconds, shard);
    }

    public RunSettings withResume(boolean r) {
        return new RunSettings(
                threads, batch, contextSize, gpuLayers, lastLayer, r, quiet, strict, checkpointSeconds, shard);
    }

    public RunSettings withCheckpointSeconds(int s) {
        return new RunSettings(threads, batch, contextSize, gpuLayers, lastLayer, resume, quiet, strict, s, shard);
    }

    public RunSettings withShard(Shard s) {
        return new RunSettings(
                threads, batch, contextSize, gpuLayers, lastLayer, resume, quiet, strict, checkpointSeconds, s);
    }

    /**
     * The session: attention in F32 (F32 KV cache, no flash attention), as the full-precision
     * reference computes it; llama.cpp's F16 KV cache alone moves states by ~1e-3.
     */
    SessionOptions sessionOptions() {
        return new SessionOptions(threads, contextSize, batch, true);
    }
}
