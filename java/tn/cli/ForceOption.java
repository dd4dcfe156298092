package tn.cli;

import picocli.CommandLine.Option;

/** --force: replace what the output already holds (a picocli mixin). */
final class ForceOption {
    @Option(names = "--force", order = 99,
            description = "Replace the output if it exists: a finished run in the output folder (or the file) is "
                    + "replaced once the new one is written, and the old run's files are removed. Without it, an "
                    + "output that exists is an error.")
    boolean force;
}
