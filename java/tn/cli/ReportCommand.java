package tn.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Mixin;
import tn.io.InvalidValueException;
import tn.report.Report;

import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes one self-contained HTML page of the results in run folders of any tn command.", "",
                "The page reads like the paper. Each run is recognised by what its run.json records (command and "
                        + "parameters; compare and overlap folders by compare.json and overlap.json), whatever the folders "
                        + "are called or the order they are given in, and shown in the paper's order: where the transfer "
                        + "neurons lie (Type-1 and Type-2 layer distributions per language, side by side); similarity and "
                        + "mutual k-NN with all neurons, transfer neurons off and random neurons off as curves of one figure "
                        + "per language (a baseline over several random draws as its mean and 95% band); the latent spaces; "
                        + "the specificity tables; question answering; reasoning; then tn's sampling noise, quantization "
                        + "agreement with its noise floor, and the overlap with LAPE's neurons of the target language. Each "
                        + "figure or table says what the paper reports and what this model shows. docs/report.md explains "
                        + "how to read each part.",
                "",
                "Below, for each RUN_DIR and each folder below it (up to 3 levels) that holds files, a section with:",
                "  the folder and the command that made it, and its provenance from run.json as a table folded away "
                        + "(model file and sha256, data files and hashes, parameters, tn and llama.cpp versions, timings);",
                "  every .png plot, embedded in the page;",
                "  the first --max-rows rows of every .tsv and .csv table (the first line is the header);",
                "  every other .json file as a table, and a list of the remaining files with their sizes "
                        + "(and an .npy array's type and shape).",
                "A folder without run.json is shown too, without provenance. The page has a table of contents, says "
                        + "when it was made, embeds tn's fonts (cut to its characters: Latin, Cyrillic, Japanese, Korean "
                        + "and Chinese show without the reader's fonts) and loads nothing from outside itself (no scripts, "
                        + "no network), so it can be opened offline, printed or sent as one file.",
                ""},
        footer = {"", "Example:", "  tn report runs/ja-type1-detect runs/ja-similarity runs/sweep --out report.html"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
            description = "Output folders of tn commands (detect, similarity, sweep, ...), or any folder of results.")
    List<Path> runs;

    @Option(names = "--out", required = true, paramLabel = "FILE.html",
            description = "The page to write; one that exists is replaced (atomically) only with --force.")
    Path out;

    @Option(names = "--max-rows", defaultValue = "50", paramLabel = "N",
            description =
                    "Rows shown of each table, 0 for the header only; the page says how many rows there are in all "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--title", defaultValue = "tn report", paramLabel = "TEXT",
            description = "The page's title and heading (default: '${DEFAULT-VALUE}').")
    String title;

    @Mixin
    ForceOption force;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        if (Files.exists(out) && !force.force) {
            throw new InvalidValueException(
                    "{out} {} exists: pass {force} to replace it, or choose another {out}", out);
        }
        Report report = new Report(title, maxRows);
        for (Path dir : runs) {
            String name = dir.normalize().toString();
            report.add(dir,
                    name.isEmpty() ? dir.toAbsolutePath().normalize().toString() : name); // "." reads better as a path
        }
        report.write(out, Instant.now());
        if (!quiet.quiet) spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
