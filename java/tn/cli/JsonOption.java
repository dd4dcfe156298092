package tn.cli;

import picocli.CommandLine.Option;

/** --json (a picocli mixin). */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;
}
