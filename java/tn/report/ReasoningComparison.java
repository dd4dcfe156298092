package tn.report;

import tn.io.Json;
import com.google.gson.JsonObject;
import tn.io.InputException;
import tn.io.InputFile;
import tn.plot.ReasoningPlot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's reasoning section: the tn reasoning runs given together (plain, transfer neurons
 * off, baseline) compared in one plot of accuracy per subject, and their totals in a table.
 */
final class ReasoningComparison {
    static final String ANCHOR = "reasoning";

    private ReasoningComparison() {}

    /** The folders of finished reasoning runs among the sections. */
    static List<RunFolder> runs(List<RunFolder> sections) {
        return sections.stream()
                .filter(f
                        -> f.command().filter("reasoning" ::equals).isPresent()
                                && Files.isRegularFile(f.dir().resolve("accuracy.json")))
                .toList();
    }

    static void write(HtmlWriter html, List<RunFolder> runs) {
        List<ReasoningPlot.Series> series = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (RunFolder f : runs) {
            JsonObject accuracy = read(f.dir().resolve("accuracy.json"));
            String off = f.runJson().flatMap(j -> j.optionalText("parameters.deactivated")).orElse("none");
            String label = f.name() + (off.equals("none") ? " (plain)" : " (" + off + ")");
            Map<String, Double> bySubject = new LinkedHashMap<>();
            for (String s : accuracy.getAsJsonObject("subjects").keySet()) {
                bySubject.put(s, accuracy.getAsJsonObject("subjects").getAsJsonObject(s).get("accuracy").getAsDouble());
            }
            JsonObject total = accuracy.getAsJsonObject("total");
            bySubject.put("total", total.get("accuracy").getAsDouble());
            series.add(new ReasoningPlot.Series(label, bySubject));
            rows.add(List.of(f.name(), off, String.valueOf(total.get("n").getAsInt()),
                    String.valueOf(total.get("correct").getAsInt()),
                    String.format(Locale.ROOT, "%.4f", total.get("accuracy").getAsDouble())));
        }
        html.open("section", "id", ANCHOR).newline();
        html.element("h2", "Reasoning (MMLU-ProX): accuracy per subject").newline();
        Path png = null;
        try {
            png = Files.createTempFile("tn-reasoning-", ".png");
            ReasoningPlot.write(png, "MMLU-ProX accuracy per subject", series);
            html.open("figure")
                    .open("img", "src", PngFile.dataUri(png), "alt", "accuracy per subject of " + runs.size() + " runs")
                    .element("figcaption", "accuracy per subject and in all (weighted by subject size)")
                    .close("figure")
                    .newline();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (png != null) Files.deleteIfExists(png);
            } catch (IOException e) {
                // a temporary file left behind harms nobody
            }
        }
        html.open("div", "class", "scroll").open("table", "class", "data").open("thead").open("tr");
        for (String h : List.of("run", "deactivated", "questions", "correct", "accuracy")) html.element("th", h);
        html.close("tr").close("thead").open("tbody").newline();
        for (List<String> row : rows) {
            html.open("tr");
            for (int i = 0; i < row.size(); i++) html.element("td", row.get(i), "class", i >= 2 ? "num" : null);
            html.close("tr").newline();
        }
        html.close("tbody").close("table").close("div").newline().close("section").newline();
    }

    private static JsonObject read(Path file) {
        String text = InputFile.readString(file);
        try {
            return Json.parse(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new InputException(file + ": not an accuracy.json of tn reasoning (" + e.getMessage() + ")");
        }
    }
}
