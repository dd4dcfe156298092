package tn.cli;

import picocli.CommandLine.Option;
import tn.method.LastLayer;
import tn.run.RunSettings;

/** The options every run command has (a picocli mixin). */
final class RunOptions {
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for llama.cpp and scoring; 0 uses every core (default).")
    int threads;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Sentences per llama_decode call, 1..256 (default: ${DEFAULT-VALUE}). Larger is faster; "
                    + "results agree across batch sizes to float rounding.")
    int batch;

    @Option(names = "--ctx", defaultValue = "512", paramLabel = "TOKENS",
            description = "Context size: tokens per llama_decode call, and the longest sentence accepted "
                    + "(default: ${DEFAULT-VALUE}). Longer sentences are skipped with a warning.")
    int ctx;

    @Option(names = "--gpu-layers", defaultValue = "-1", paramLabel = "N",
            description = "Layers to offload to the GPU; -1 offloads all (default). Ignored by a CPU-only build.")
    int gpuLayers;

    @Option(names = "--last-layer", defaultValue = "normed", paramLabel = "normed|raw",
            description = "The last layer's hidden state: 'normed' after the final norm, as transformers' "
                    + "output_hidden_states and the original implementation (default); 'raw' the layer's output, "
                    + "as the authors' ablation.")
    String lastLayer;

    @Option(names = "--resume",
            description = "Continue an interrupted run from the checkpoint in --out (same command, model, data "
                    + "and parameters); the result equals an uninterrupted run's.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Seconds between checkpoints of the partial sums (default: ${DEFAULT-VALUE}); 0 after "
                    + "every batch. Ctrl-C also checkpoints, at the end of the current batch.")
    int checkpointSeconds;

    @Option(names = "--strict",
            description = "Make a sentence longer than --ctx an error instead of a skipped sentence.")
    boolean strict;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary; warnings and errors only.")
    boolean quiet;

    RunSettings settings() {
        return new RunSettings(threads, batch, ctx, gpuLayers, LastLayer.parse(lastLayer), resume, quiet, strict,
                checkpointSeconds);
    }
}
