package tn.cli;

import tn.io.InvalidValueException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tn.io.AtomicFile;
import tn.plot.QaScatterPlot;
import tn.qa.QaComparison;
import tn.qa.QuestionScores;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "qa-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares three question-answering runs as the original implementation's visualization.py "
                        + "does: without intervention (PLAIN), with the transfer neurons off (DEACTIVATED) and with the random "
                        + "baseline off (BASELINE).",
                "",
                "For each threshold (the original's 0.8 and 0.5): the questions whose F1 in PLAIN is at least the "
                        + "threshold, and their mean F1 in each of the three runs (NaN when no question reaches it); "
                        + "a question PLAIN scored must be scored in the other two. Questions are matched by their line "
                        + "in the questions file (tn qa's answers.tsv) or their index (the original's pickles).",
                "",
                "Prints the table; with --out also writes DIR/qa_compare.tsv (threshold, questions, mean_f1_plain, "
                        + "mean_f1_deactivated, mean_f1_baseline), DIR/qa_compare_questions.tsv (each question's three F1) "
                        + "and DIR/scatter-T.png per threshold: F1 without intervention against F1 with the neurons off "
                        + "(squares) and with the baseline off (triangles), with the line y = x.",
                ""},
        footer = {"",
                "Each run is a tn qa output folder, its answers.tsv, or the original's pickle of (question index, "
                        + "F1) tuples (its data/qa/normal_ja.pkl, type1_ja.pkl, baseline_ja.pkl).",
                "", "Example:",
                "  tn qa-compare out/ja/qa-plain out/ja/qa-type1-off out/ja/qa-baseline --out out/ja/qa-compare"})
final class QaCompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAIN", description = "The run without intervention.")
    Path plain;

    @Parameters(index = "1", paramLabel = "DEACTIVATED", description = "The run with the transfer neurons off.")
    Path deactivated;

    @Parameters(index = "2", paramLabel = "BASELINE", description = "The run with the random baseline off.")
    Path baseline;

    @Option(names = "--thresholds", split = ",", defaultValue = "0.8,0.5", paramLabel = "T,...",
            description = "The F1 thresholds (default: the original's ${DEFAULT-VALUE}).")
    List<Double> thresholds;

    @Option(names = "--name", defaultValue = "Type-1 neurons", paramLabel = "TEXT",
            description = "What DEACTIVATED switched off, for the plots' legend (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the tables and plots (default: print only).")
    Path out;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (thresholds.isEmpty()) throw new InvalidValueException("{thresholds} names no threshold");
        for (int i = 0; i < thresholds.size(); i++) {
            double t = thresholds.get(i);
            if (!(t >= 0 && t <= 1)) throw new InvalidValueException("{thresholds}: {} is not an F1 in [0, 1]", t);
            if (thresholds.subList(0, i).contains(t)) throw new InvalidValueException("{thresholds} lists {} twice", t);
        }
        QaComparison c = QaComparison.of(read(plain), read(deactivated), read(baseline),
                thresholds.stream().mapToDouble(Double::doubleValue).toArray());
        PrintWriter console = Cli.console(spec).out();
        boolean tables = !quiet.quiet && !json.json;
        if (tables) console.print(c.table());
        List<Path> written = new ArrayList<>();
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
            }
            written.addAll(List.of(out.resolve("qa_compare.tsv"), out.resolve("qa_compare_questions.tsv")));
            AtomicFile.writeString(written.get(0), c.tsv());
            AtomicFile.writeString(written.get(1), c.questionsTsv());
            for (QaComparison.AtThreshold t : c.thresholds()) {
                Path png = out.resolve("scatter-" + QaComparison.number(t.threshold()) + ".png");
                QaScatterPlot.write(png,
                        "QA F1 of the questions with F1 >= " + QaComparison.number(t.threshold())
                                + " without intervention: " + t.questions().size(),
                        t, name);
                written.add(png);
            }
            if (tables) console.println(Outcome.wrote(written, out));
        }
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", "qa-compare");
            m.put("out", out == null ? null : out.toAbsolutePath().toString());
            m.put("files", Outcome.paths(written));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (QaComparison.AtThreshold t : c.thresholds()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("threshold", t.threshold());
                r.put("questions", t.questions().size());
                r.put("mean_f1_plain", t.meanPlain());
                r.put("mean_f1_deactivated", t.meanDeactivated());
                r.put("mean_f1_baseline", t.meanBaseline());
                rows.add(r);
            }
            m.put("thresholds", rows);
            Outcome.json(spec, m);
        }
        return 0;
    }

    /** A run's scores: its folder's answers.tsv, or the file given. */
    private static QuestionScores read(Path run) {
        return QuestionScores.read(Files.isDirectory(run) ? run.resolve("answers.tsv") : run);
    }
}
