package tn.cli;

import picocli.CommandLine.Model.CommandSpec;
import tn.io.Json;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a command says what it did: a last line naming what it wrote, silenced by --quiet, or with
 * --json one JSON object on stdout instead of tables and lines.
 */
final class Outcome {
    private Outcome() {}

    /** "wrote compare.tsv, compare.json in DIR". */
    static String wrote(List<Path> files, Path dir) {
        return "wrote " + files.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + " in "
                + dir;
    }

    /** The summary as one line of JSON on stdout. */
    static void json(CommandSpec spec, Object summary) {
        spec.commandLine().getOut().println(Json.compact(summary));
        spec.commandLine().getOut().flush();
    }

    /** The files' absolute paths, for a JSON summary. */
    static List<String> paths(List<Path> files) {
        return files.stream().map(p -> p.toAbsolutePath().toString()).toList();
    }
}
