package tn.report;

import tn.plot.ConditionPlot;
import tn.plot.Png;
import tn.plot.Theme;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pair analyses the paper runs three ways, drawn as the paper draws them: per language one
 * figure whose curves are all neurons, each type's transfer neurons off, and as many random neurons
 * off (the baseline's mean, with its 95% band across random draws where the run has one).
 * similarity: hidden-state and activation similarity of parallel pairs; mknn: mutual k-NN alignment.
 */
final class PairSection {
    static final String SIMILARITY_ID = "similarity", SIMILARITY_TITLE = "Similarity of English and L2 representations";
    static final String MKNN_ID = "mknn", MKNN_TITLE = "Mutual k-nearest-neighbour alignment";
    private static final String SIMILARITY_PAPER = "Parallel en-L2 pairs grow more similar than non-parallel pairs "
            + "through the early and middle layers and part again in the final layers; switching off the Type-1 "
            + "transfer neurons lowers the parallel pairs' similarity in the middle layers far more than switching "
            + "off as many random neurons.";
    private static final String MKNN_PAPER = "Mutual k-NN alignment of English and L2 hidden states rises in the "
            + "middle layers; with the Type-1 transfer neurons off it falls there, while random neurons off leave "
            + "it close to the unmodified model.";
    private static final int MAX_ROWS = 100_000;
    private static final Color PLAIN = Theme.BLACK;

    private PairSection() {}

    /** One run's measure per layer, with its band where the csv has one. */
    private record Series(double[] x, double[] y, double[] low, double[] high) {
        double mean() {
            double s = 0;
            for (double v : y) s += v;
            return s / y.length;
        }
    }

    static void writeSimilarity(Page page, List<Run> runs) {
        List<String> found = new ArrayList<>();
        List<List<Page.Figure>> figureRows = new ArrayList<>();
        for (String lang : Run.languages(runs)) {
            List<Run> of = runs.stream().filter(r -> r.lang().equals(lang)).toList();
            List<Page.Figure> figures = new ArrayList<>();
            figureRows.add(figures);
            for (String kind : List.of("hidden", "activation")) {
                String measure = kind.equals("hidden") ? "Hidden-state similarity" : "Activation similarity";
                Predicate<List<String>> rows = row -> row.size() > 1 && row.get(1).equals(kind);
                List<ConditionPlot.Curve> curves = curves(of, "similarity.csv", "parallel_mean", rows);
                Optional<Run> plain = plain(of);
                plain.flatMap(p -> series(p, "similarity.csv", "nonparallel_mean", rows))
                        .ifPresent(s
                                -> curves.add(new ConditionPlot.Curve("all neurons, non-parallel pairs", Theme.GREY,
                                        true, s.x(), s.y(), s.low(), s.high())));
                if (curves.isEmpty()) continue;
                if (kind.equals("hidden")) found.addAll(drops(of, "similarity.csv", "parallel_mean", rows, lang));
                figures.add(Page.Figure.of(Png.bytes(ConditionPlot.chart(measure + ", en-" + lang + ", parallel pairs",
                                                   "cosine similarity (mean over pairs)", curves)),
                        measure + " en-" + lang, measure + " of en-" + lang + " pairs per layer"));
            }
        }
        page.sentences(SIMILARITY_PAPER,
                found.isEmpty() ? ""
                                : "mean change over layers of the parallel pairs' "
                                + "hidden-state similarity from all neurons, " + String.join("; ", found) + ".");
        figureRows.forEach(page::figures);
    }

    static void writeMknn(Page page, List<Run> runs) {
        List<String> found = new ArrayList<>();
        List<Page.Figure> figures = new ArrayList<>();
        Predicate<List<String>> all = row -> true;
        for (String lang : Run.languages(runs)) {
            List<Run> of = runs.stream().filter(r -> r.lang().equals(lang)).toList();
            List<ConditionPlot.Curve> curves = curves(of, "mknn.csv", "score", all);
            if (curves.isEmpty()) continue;
            found.addAll(drops(of, "mknn.csv", "score", all, lang));
            String k = of.get(0)
                               .folder()
                               .runJson()
                               .flatMap(j -> j.optionalText("parameters.k"))
                               .map(v -> ", k = " + v)
                               .orElse("");
            figures.add(Page.Figure.of(Png.bytes(ConditionPlot.chart("Mutual k-NN alignment, en-" + lang + k,
                                               "shared neighbours / k", curves)),
                    "mutual k-NN alignment en-" + lang, "Mutual k-NN alignment of en-" + lang + " per layer"));
        }
        page.sentences(MKNN_PAPER,
                found.isEmpty() ? "" : "mean change over layers from all neurons, " + String.join("; ", found) + ".");
        page.figures(figures);
    }

    private static Optional<Run> plain(List<Run> runs) {
        return runs.stream().filter(r -> r.experiment().condition() == Experiment.Condition.PLAIN).findFirst();
    }

    /** Curves in the paper's order: all neurons, then per type its transfer neurons off and its baseline. */
    static List<ConditionPlot.Curve> curves(List<Run> runs, String file, String column, Predicate<List<String>> rows) {
        List<ConditionPlot.Curve> curves = new ArrayList<>();
        plain(runs)
                .flatMap(p -> series(p, file, column, rows))
                .ifPresent(s
                        -> curves.add(new ConditionPlot.Curve("all neurons", PLAIN, false, s.x(), s.y(), null, null)));
        for (String type : types(runs)) {
            Color colour = type.equals("type2") ? Theme.BLUE : Theme.VERMILLION;
            for (Experiment.Condition c : List.of(Experiment.Condition.OFF, Experiment.Condition.BASELINE)) {
                runs.stream()
                        .filter(r -> r.type().equals(type) && r.experiment().condition() == c)
                        .findFirst()
                        .flatMap(r -> series(r, file, column, rows))
                        .ifPresent(s
                                -> curves.add(new ConditionPlot.Curve(name(type, c), colour,
                                        c == Experiment.Condition.BASELINE, s.x(), s.y(), s.low(), s.high())));
            }
        }
        return curves;
    }

    /** "Type-1 transfer neurons off", "Type-1 random neurons off" ("transfer neurons off" where the type is unknown). */
    static String name(String type, Experiment.Condition c) {
        return (type.isEmpty() ? "" : Experiment.typeName(type) + " ") + c.label;
    }

    private static List<String> types(List<Run> runs) {
        return runs.stream()
                .filter(r -> r.experiment().condition() != Experiment.Condition.PLAIN)
                .map(Run::type)
                .distinct()
                .sorted()
                .toList();
    }

    /** "ja: Type-1 transfer neurons off -0.0123, random neurons off -0.00101": the mean change from all neurons. */
    private static List<String> drops(
            List<Run> runs, String file, String column, Predicate<List<String>> rows, String lang) {
        Optional<Series> plain = plain(runs).flatMap(p -> series(p, file, column, rows));
        if (plain.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String type : types(runs)) {
            List<String> parts = new ArrayList<>();
            for (Experiment.Condition c : List.of(Experiment.Condition.OFF, Experiment.Condition.BASELINE)) {
                runs.stream()
                        .filter(r -> r.type().equals(type) && r.experiment().condition() == c)
                        .findFirst()
                        .flatMap(r -> series(r, file, column, rows))
                        .filter(s -> s.y().length == plain.get().y().length)
                        .ifPresent(s -> parts.add(name(type, c) + " " + signed(s.mean() - plain.get().mean())));
            }
            if (!parts.isEmpty()) out.add(lang + ": " + String.join(", ", parts));
        }
        return out;
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + Numbers.format(v);
    }

    /** column per layer from the run's csv, rows chosen by rows, with column_ci_low/high where present. */
    private static Optional<Series> series(Run run, String file, String column, Predicate<List<String>> rows) {
        Path csv = run.folder().dir().resolve(file);
        if (!Files.isRegularFile(csv)) return Optional.empty();
        DelimitedTable t = DelimitedTable.read(csv, MAX_ROWS);
        int layer = t.header().indexOf("layer"), value = t.header().indexOf(column);
        int low = t.header().indexOf(column + "_ci_low"), high = t.header().indexOf(column + "_ci_high");
        if (layer < 0 || value < 0) return Optional.empty();
        List<List<String>> chosen = t.rows().stream().filter(rows).toList();
        double[] x = new double[chosen.size()], y = new double[chosen.size()];
        double[] lo = low >= 0 && high >= 0 ? new double[chosen.size()] : null,
                 hi = lo == null ? null : new double[chosen.size()];
        try {
            for (int i = 0; i < chosen.size(); i++) {
                List<String> row = chosen.get(i);
                x[i] = Double.parseDouble(row.get(layer));
                y[i] = parse(row.get(value));
                if (lo != null) {
                    lo[i] = parse(row.get(low));
                    hi[i] = parse(row.get(high));
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // a malformed table is shown in its folder's section, not plotted
        }
        return x.length == 0 ? Optional.empty() : Optional.of(new Series(x, y, lo, hi));
    }

    private static double parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        return t.equals("nan") ? Double.NaN : Double.parseDouble(t);
    }
}
