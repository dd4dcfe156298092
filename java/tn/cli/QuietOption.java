package tn.cli;

import picocli.CommandLine.Option;

/** -q/--quiet (a picocli mixin). */
final class QuietOption {
    @Option(order = 101, names = {"-q", "--quiet"},
            description = "No progress and no summary; warnings and errors only.")
    boolean quiet;
}
