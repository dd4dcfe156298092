package tn.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.io.InputFile;
import tn.io.Json;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * tn's LAPE overlap: how many of each ranking's top n are among LAPE's language-specific neurons,
 * against chance; the plot shown is the one of the ranking's own (target) language.
 */
final class OverlapSection {
    static final String ID = "overlap", TITLE = "Overlap with LAPE's language-specific neurons (tn)";
    private static final String PAPER = "The paper relates transfer neurons to language-specific neurons (Tang et "
            + "al., 2024); tn counts the transfer neurons among LAPE's neurons of each language, against the "
            + "number expected by chance.";

    private OverlapSection() {}

    /** One overlap folder read: the ranking's language and type, and each compared set's total row. */
    private record Read(Run run, String lang, String type, JsonObject json) {}

    static void write(Page page, List<Run> overlaps) {
        List<Read> reads = new ArrayList<>();
        for (Run r : overlaps) {
            Path file = r.folder().dir().resolve("overlap.json");
            JsonObject o;
            try {
                o = Json.parse(InputFile.readString(file)).getAsJsonObject();
            } catch (RuntimeException e) {
                continue; // shown as it is in the folder's section
            }
            String lang = "", type = "";
            JsonElement transfer = o.get("transfer");
            if (transfer != null && transfer.isJsonObject() && transfer.getAsJsonObject().has("file")) {
                Path dir = Path.of(transfer.getAsJsonObject().get("file").getAsString()).getParent();
                if (dir != null && Files.isRegularFile(dir.resolve("run.json"))) {
                    try {
                        RunJson run = RunJson.of(dir);
                        lang = run.optionalText("parameters.lang").orElse("");
                        type = run.optionalText("parameters.type").orElse("");
                    } catch (RuntimeException e) {
                        // the ranking's run.json is unreadable: the overlap is shown without its language
                    }
                }
            }
            reads.add(new Read(r, lang, type, o));
        }
        reads.sort(Comparator.comparing(Read::lang, Run.LANGUAGE_ORDER).thenComparing(Read::type));
        List<List<String>> rows = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<Page.Figure> figures = new ArrayList<>();
        for (Read read : reads) {
            JsonElement comparisons = read.json().get("comparisons");
            if (comparisons == null || !comparisons.isJsonArray()) continue;
            for (int k = 0; k < comparisons.getAsJsonArray().size(); k++) {
                JsonObject c = comparisons.getAsJsonArray().get(k).getAsJsonObject();
                String label = c.has("label") ? c.get("label").getAsString() : "";
                JsonObject total =
                        c.has("total") && c.get("total").isJsonObject() ? c.getAsJsonObject("total") : new JsonObject();
                boolean target = label.equals(read.lang());
                List<String> row = List.of(read.lang(), Experiment.typeName(read.type()),
                        label + (target ? " (target)" : ""), num(total, "transfer"), num(total, "compared"),
                        num(total, "shared"), num(total, "expected"), num(total, "p_value"));
                rows.add(row);
                if (target) {
                    found.add(Experiment.typeName(read.type()) + " " + read.lang() + ": " + num(total, "shared")
                            + " shared (expected " + num(total, "expected") + ", p = " + num(total, "p_value") + ")");
                    String slug = label.replaceAll("[^A-Za-z0-9._-]+", "_");
                    Path png = read.run().folder().dir().resolve("overlap_" + (k + 1) + "_" + slug + ".png");
                    if (read.run().folder().images().contains(png))
                        figures.add(
                                Page.Figure.of(png, "plot " + png.getFileName() + " of " + read.run().folder().name(),
                                        Experiment.typeName(read.type()) + " " + read.lang() + " against " + label
                                                + "'s LAPE neurons, per layer"));
                }
            }
        }
        page.sentences(PAPER,
                found.isEmpty() ? "" : "with the target language's LAPE neurons, " + String.join("; ", found) + ".");
        page.figures(figures);
        if (!rows.isEmpty())
            Tables.write(page.html(),
                    List.of("language", "type", "LAPE neurons of", "transfer neurons", "LAPE neurons", "shared",
                            "expected by chance", "p"),
                    rows);
    }

    private static String num(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? "" : Numbers.format(e.getAsString());
    }
}
