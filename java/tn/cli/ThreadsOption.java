package tn.cli;

import picocli.CommandLine.Option;

/** --threads, for commands that compute on the CPU (a picocli mixin). */
final class ThreadsOption {
    @Option(order = 100, names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for llama.cpp and tn's own work; 0 uses every core (default).")
    int threads;
}
