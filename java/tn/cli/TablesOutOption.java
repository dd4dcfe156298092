package tn.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** An optional --out for commands that print their tables and can also write them with plots (a picocli mixin). */
final class TablesOutOption {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the tables and plots (default: print only).")
    Path dir;
}
