package tn.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --model, the GGUF file a command runs (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "M.gguf", order = -3,
            description =
                    "The GGUF model (any file llama.cpp runs, of an architecture tn supports: see 'tn model info').")
    Path path;
}
