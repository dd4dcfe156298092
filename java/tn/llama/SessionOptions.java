package tn.llama;

import tn.bridge.TnLibrary;
import tn.io.InvalidValueException;

/**
 * How a {@link Session} runs sentences.
 *
 * @param threads      CPU threads; 0 uses every core
 * @param contextSize  tokens per decode call; also the longest sentence a session accepts
 * @param maxSentences sentences per decode call (1..MAX_SEQUENCES)
 * @param kvF32        keep attention in F32 (F32 KV cache, no flash attention) rather than
 *                     llama.cpp's defaults (F16 KV cache, flash attention): exact comparisons
 *                     with a float64 forward pass want it, real runs need not
 */
public record SessionOptions(int threads, int contextSize, int maxSentences, boolean kvF32) {
    public static final int DEFAULT_CONTEXT = 512;
    public static final int DEFAULT_SENTENCES = 32;
    /** ggml's GGML_MAX_N_THREADS: more threads than this crash its thread pool. */
    public static final int MAX_THREADS = 512;

    /** Refuses a thread count outside 0..MAX_THREADS (0: every core): the user's setting {threads}. */
    public static int checkThreads(int threads) {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new InvalidValueException("{threads} must be 0..{} (0: every core), is {}", MAX_THREADS, threads);
        }
        return threads;
    }

    public SessionOptions {
        checkThreads(threads);
        if (contextSize < 1) throw new IllegalArgumentException("context size must be positive, is " + contextSize);
        if (maxSentences < 1 || maxSentences > TnLibrary.MAX_SEQUENCES) {
            throw new IllegalArgumentException(
                    "sentences per batch must be 1.." + TnLibrary.MAX_SEQUENCES + ", is " + maxSentences);
        }
    }

    public static SessionOptions defaults() {
        return new SessionOptions(0, DEFAULT_CONTEXT, DEFAULT_SENTENCES, false);
    }

    public SessionOptions withThreads(int n) {
        return new SessionOptions(n, contextSize, maxSentences, kvF32);
    }

    public SessionOptions withContextSize(int n) {
        return new SessionOptions(threads, n, maxSentences, kvF32);
    }

    public SessionOptions withMaxSentences(int n) {
        return new SessionOptions(threads, contextSize, n, kvF32);
    }

    public SessionOptions withKvF32(boolean f32) {
        return new SessionOptions(threads, contextSize, maxSentences, f32);
    }
}
