package tn.cli;

import picocli.CommandLine.Option;

/** --force, for commands that write one file (a picocli mixin). */
final class ForceOption {
    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;
}
