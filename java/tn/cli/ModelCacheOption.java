package tn.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --cache, the model cache (a picocli mixin). */
final class ModelCacheOption {
    @Option(names = "--cache", paramLabel = "DIR",
            description = "The model cache (default: $TN_MODELS, else models/ of the tn installation, else ./models).")
    Path dir;
}
