package tn.report;

import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Json;
import tn.plot.Png;
import tn.plot.ReasoningPlot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's reasoning section: the tn reasoning runs (all neurons, transfer neurons off, random
 * neurons off) compared in one plot of accuracy per subject, and their totals in a table.
 */
final class ReasoningComparison {
    static final String ID = "reasoning", TITLE = "Reasoning (MMLU-ProX)";
    private static final String PAPER = "With the Type-1 transfer neurons off, accuracy falls across subjects, "
            + "while as many random neurons off leave it close to the unmodified model's.";

    private ReasoningComparison() {}

    /** The reasoning runs that finished (they wrote accuracy.json). */
    static List<Run> finished(List<Run> runs) {
        return runs.stream().filter(r -> Files.isRegularFile(r.folder().dir().resolve("accuracy.json"))).toList();
    }

    static void write(Page page, List<Run> runs) {
        List<ReasoningPlot.Series> series = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<Run> sorted = runs.stream()
                                   .sorted(Comparator.comparing(Run::lang, Run.LANGUAGE_ORDER)
                                                   .thenComparing(r -> r.experiment().condition())
                                                   .thenComparing(Run::type))
                                   .toList();
        for (Run r : sorted) {
            JsonObject accuracy = read(r.folder().dir().resolve("accuracy.json"));
            String condition = PairSection.name(r.type(), r.experiment().condition());
            String label = (r.lang().isEmpty() ? "" : r.lang() + ", ") + condition;
            Map<String, Double> bySubject = new LinkedHashMap<>();
            JsonObject subjects = accuracy.getAsJsonObject("subjects");
            for (String s : subjects.keySet())
                bySubject.put(s, subjects.getAsJsonObject(s).get("accuracy").getAsDouble());
            JsonObject total = accuracy.getAsJsonObject("total");
            bySubject.put("total", total.get("accuracy").getAsDouble());
            series.add(new ReasoningPlot.Series(label, bySubject));
            String acc = QaSection.withInterval(total, "accuracy");
            rows.add(List.of(r.lang(), condition, Numbers.integer(total.get("n").getAsString()),
                    Numbers.integer(total.get("correct").getAsString()), acc));
            found.add(label + " " + acc);
        }
        page.sentences(PAPER, "accuracy in all, " + String.join("; ", found) + ".");
        page.figures(List.of(Page.Figure.of(Png.bytes(ReasoningPlot.chart("MMLU-ProX accuracy per subject", series)),
                "accuracy per subject of " + runs.size() + " runs",
                "accuracy per subject and in all (weighted by subject size)")));
        Tables.write(page.html(), List.of("language", "condition", "questions", "correct", "accuracy"), rows);
    }

    private static JsonObject read(Path file) {
        String text = InputFile.readString(file);
        try {
            JsonObject o = Json.parse(text).getAsJsonObject();
            o.getAsJsonObject("subjects").keySet(); // both parts must be there
            o.getAsJsonObject("total").get("accuracy").getAsDouble();
            return o;
        } catch (RuntimeException e) {
            throw new InputException(file + ": not an accuracy.json of tn reasoning (" + e.getMessage() + ")");
        }
    }
}
