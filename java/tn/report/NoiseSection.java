package tn.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** tn's sampling noise of every ranking: split-half and bootstrap agreement from detect's stability.json. */
final class NoiseSection {
    static final String ID = "noise", TITLE = "Sampling noise of the rankings (tn)";
    private static final String PAPER = "The paper reports each ranking once; tn measures how much a ranking would "
            + "change with another sample of sentences of the same size: agreement of two disjoint halves, and a "
            + "bootstrap over blocks of sentences (median and 5th percentile).";

    private NoiseSection() {}

    static void write(Page page, List<Run> detections) {
        List<List<String>> rows = new ArrayList<>();
        List<String> ks = new ArrayList<>();
        double low = 1, high = -1;
        List<Run> sorted = detections.stream()
                                   .sorted(Comparator.comparing(Run::lang, Run.LANGUAGE_ORDER).thenComparing(Run::type))
                                   .toList();
        for (Run r : sorted) {
            Path file = r.folder().dir().resolve("stability.json");
            if (!Files.isRegularFile(file)) continue;
            JsonObject s = RunJson.read(file).tree();
            JsonObject split = object(s, "split_half"), boot = object(s, "bootstrap");
            List<String> row = new ArrayList<>(List.of(r.lang(), Experiment.typeName(r.type()), text(s.get("items"))));
            double rho = split == null ? Double.NaN : number(split.get("spearman"));
            row.add(Numbers.format(rho));
            if (!Double.isNaN(rho)) {
                low = Math.min(low, rho);
                high = Math.max(high, rho);
            }
            JsonObject overlaps = split == null ? null : object(split, "top_k_overlap");
            if (overlaps != null && ks.isEmpty()) ks.addAll(overlaps.keySet());
            for (String k : ks) row.add(overlaps == null ? "" : text(overlaps.get(k)));
            JsonObject bootRho = boot == null ? null : object(boot, "spearman");
            row.add(bootRho == null ? "" : text(bootRho.get("median")) + " [" + text(bootRho.get("p5")) + "]");
            rows.add(row);
        }
        if (rows.isEmpty()) return;
        page.sentences(PAPER,
                "split-half Spearman between " + Numbers.format(low) + " and " + Numbers.format(high) + " over "
                        + rows.size() + " rankings.");
        List<String> head = new ArrayList<>(List.of("language", "type", "sentences", "split-half Spearman"));
        for (String k : ks) head.add("split-half top-" + k + " overlap");
        head.add("bootstrap Spearman, median [5th pct]");
        for (List<String> row : rows)
            while (row.size() < head.size()) row.add(row.size() - 1, "");
        Tables.write(page.html(), head, rows);
        List<Page.Figure> figures = new ArrayList<>();
        for (Run r : sorted) {
            Path png = r.folder().dir().resolve("stability.png");
            if (r.folder().images().contains(png) && figures.size() < 2)
                figures.add(Page.Figure.of(png, "plot stability.png of " + r.folder().name(),
                        "Agreement against sample size, " + Experiment.typeName(r.type()) + " " + r.lang()));
        }
        page.figures(figures);
    }

    private static JsonObject object(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static double number(JsonElement e) {
        try {
            return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
        } catch (RuntimeException x) {
            return Double.NaN;
        }
    }

    private static String text(JsonElement e) {
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? "" : Numbers.format(e.getAsString());
    }
}
