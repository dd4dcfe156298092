package tn.cli;

import tn.bridge.TnLibrary;
import tn.llama.SessionOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.method.LastLayer;
import tn.run.RunSettings;
import tn.run.Shard;


/** The options every run command has (a picocli mixin), listed after each command's own. */
final class RunOptions {
    @Mixin
    ThreadsOption threads;

    @Option(order = 100, names = "--batch", defaultValue = "" + SessionOptions.DEFAULT_SENTENCES, paramLabel = "N",
            description = "Sentences per llama_decode call, 1.." + TnLibrary.MAX_SEQUENCES + " (default: ${DEFAULT-VALUE}). Larger is faster; "
                    + "results agree across batch sizes to float rounding.")
    int batch;

    @Option(order = 100, names = "--ctx", defaultValue = "" + SessionOptions.DEFAULT_CONTEXT, paramLabel = "TOKENS",
            description = "Context size: tokens per llama_decode call, and the longest sentence accepted "
                    + "(default: ${DEFAULT-VALUE}). Longer sentences are skipped with a warning.")
    int ctx;

    @Option(order = 100, names = "--gpu-layers", defaultValue = "-1", paramLabel = "N",
            description = "Layers to offload to the GPU; -1 offloads all (default). Ignored by a CPU-only build.")
    int gpuLayers;

    @Option(order = 100, names = "--last-layer", defaultValue = "normed", paramLabel = "normed|raw",
            converter = Converters.LastLayers.class,
            description = "The last layer's hidden state: 'normed' after the final norm, as transformers' "
                    + "output_hidden_states and the original implementation (default); 'raw' the layer's output, "
                    + "as the authors' ablation.")
    LastLayer lastLayer;

    @Option(order = 100, names = "--resume",
            description = "Continue an interrupted run from the checkpoint in --out (same command, model, data "
                    + "and parameters); the result equals an uninterrupted run's.")
    boolean resume;

    @Option(order = 100, names = "--checkpoint-every", defaultValue = "" + RunSettings.DEFAULT_CHECKPOINT_SECONDS, paramLabel = "SECONDS",
            description = "Seconds between checkpoints of the partial sums (default: ${DEFAULT-VALUE}); 0 after "
                    + "every batch. Ctrl-C also checkpoints, at the end of the current batch.")
    int checkpointSeconds;

    @Option(order = 100, names = "--strict",
            description = "Make a sentence longer than --ctx an error instead of a skipped sentence.")
    boolean strict;

    @Option(order = 100, names = "--shard", paramLabel = "K/N", converter = Converters.Shards.class,
            description =
                    "Run only the K-th of N slices of the items (whole batches, in order; K from 1) and write the "
                    + "slice's partial sums (shard-state.bin and run.json) instead of the outputs; 'tn merge' adds up all "
                    + "N shards into the outputs of the whole run. For running one job as N processes, e.g. a Slurm array.")
    Shard shard;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    RunSettings settings() {
        // --json: the one object is all stdout holds
        return new RunSettings(threads.threads, batch, ctx, gpuLayers, lastLayer, resume, quiet.quiet || json.json,
                strict, checkpointSeconds, shard);
    }
}
