package tn.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --out, the folder a run writes (a picocli mixin). */
final class OutOption {
    @Option(names = "--out", required = true, paramLabel = "DIR", order = -2,
            description = "Output folder, created if missing once the inputs are checked; locked while the run writes. "
                    + "Outputs appear together, run.json last.")
    Path dir;
}
