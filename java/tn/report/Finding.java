package tn.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one folder of results found, for the top of the page: what was run (a line), its main plot
 * and its headline figures, or a small table that is the result. Which plot and which figures
 * depend on the command run.json names; a folder of another kind (compare's, overlap's) offers
 * its first plot.
 *
 * @param plot    the main plot, or null when the folder has none
 * @param figures headline figures as (what, value)
 * @param table   a table small enough to be the headline (specificity's summary.tsv), or null
 */
record Finding(RunFolder folder, String what, Path plot, List<String[]> figures, Path table) {
    /** The plot that tells each command's result best; latent's is the heat map of its middle layer. */
    private static final Map<String, String> MAIN_PLOT = Map.of("detect", "layers.png", "similarity",
            "hidden_similarity.png", "mknn", "mknn.png", "specificity", "eta2_hist.png", "lape", "lape_layers.png");
    /** compare's folder has no run.json; its main plot is the agreement against bits per weight. */
    private static final String COMPARE_PLOT = "agreement_vs_bpw.png";

    static Finding of(RunFolder folder) {
        String command = folder.command().orElse("");
        List<String[]> figures = new ArrayList<>();
        Path table = null;
        switch (command) {
            case "detect" -> detectFigures(folder.dir(), figures);
            case "qa" -> jsonFigures(folder.dir().resolve("qa.json"), figures, "questions", "mean_f1", "exact_match");
            case "lape" -> jsonFigures(folder.dir().resolve("lape.json"), figures, "selected", "language_specific");
            case "specificity" -> table = existing(folder.dir().resolve("summary.tsv"));
            default -> {
            }
        }
        return new Finding(folder, what(folder), mainPlot(folder, command), List.copyOf(figures), table);
    }

    private static Path mainPlot(RunFolder folder, String command) {
        List<Path> images = folder.images();
        if (images.isEmpty()) return null;
        String wanted =
                command.equals("latent") ? middleHeatmap(images) : MAIN_PLOT.getOrDefault(command, COMPARE_PLOT);
        return images.stream().filter(p -> p.getFileName().toString().equals(wanted)).findFirst().orElse(images.get(0));
    }

    private static String middleHeatmap(List<Path> images) {
        List<Path> heatmaps =
                images.stream().filter(p -> p.getFileName().toString().startsWith("heatmap-layer")).toList();
        return heatmaps.isEmpty() ? "" : heatmaps.get(heatmaps.size() / 2).getFileName().toString();
    }

    /** "tn detect · ja type1 · model.gguf (Q8_0) · ja.txt, 1000 items · 12.3 s", from what run.json records. */
    private static String what(RunFolder folder) {
        if (folder.runJson().isEmpty()) return "";
        RunJson run = folder.runJson().get();
        List<String> parts = new ArrayList<>();
        parts.add("tn " + run.optionalText("command").orElse("?"));
        String about =
                (run.optionalText("parameters.lang").orElse("") + " " + run.optionalText("parameters.type").orElse(""))
                        .strip();
        if (!about.isEmpty()) parts.add(about);
        run.optionalText("model.path")
                .ifPresent(m
                        -> parts.add(Path.of(m).getFileName()
                                + run.optionalText("model.file_type").map(t -> " (" + t + ")").orElse("")));
        String data = run.optionalText("dataset.path")
                              .map(p -> String.valueOf(Path.of(p).getFileName()))
                              .orElseGet(() -> languageFiles(run.tree()));
        String items = run.optionalText("dataset.items_used").map(n -> n + " items").orElse("");
        String dataPart = String.join(", ", java.util.stream.Stream.of(data, items).filter(s -> !s.isEmpty()).toList());
        if (!dataPart.isEmpty()) parts.add(dataPart);
        run.optionalText("timings.total_s").ifPresent(s -> parts.add(seconds(s)));
        return String.join(" · ", parts);
    }

    /** "12.3 s", or a short time to its first digits ("0.0015 s"). */
    private static String seconds(String text) {
        try {
            double s = Double.parseDouble(text);
            return (s >= 1 ? String.format(Locale.ROOT, "%.1f", s) : number(text)) + " s";
        } catch (NumberFormatException e) {
            return text + " s";
        }
    }

    /** "5 files" of a run across languages, or "" when run.json lists no files. */
    private static String languageFiles(JsonObject run) {
        JsonElement dataset = run.get("dataset");
        if (dataset == null || !dataset.isJsonObject()) return "";
        JsonElement files = dataset.getAsJsonObject().get("files");
        return files != null && files.isJsonArray() ? files.getAsJsonArray().size() + " files" : "";
    }

    /** The top neuron from ranking.tsv, and the sampling noise from stability.json. */
    private static void detectFigures(Path dir, List<String[]> figures) {
        Path ranking = dir.resolve("ranking.tsv");
        if (Files.isRegularFile(ranking)) {
            DelimitedTable t = DelimitedTable.read(ranking, 1);
            if (!t.rows().isEmpty() && t.rows().get(0).size() >= 4) {
                List<String> top = t.rows().get(0);
                figures.add(new String[] {"top neuron",
                        "layer " + top.get(1) + ", neuron " + top.get(2) + " (mean score " + number(top.get(3)) + ")"});
            }
        }
        Path stability = dir.resolve("stability.json");
        if (!Files.isRegularFile(stability)) return;
        JsonObject s = RunJson.read(stability).tree();
        JsonObject split = object(s, "split_half");
        if (split != null) {
            figures.add(new String[] {"split halves agree",
                    "Spearman " + number(split.get("spearman").getAsString())
                            + overlaps(object(split, "top_k_overlap"), null)});
        }
        JsonObject boot = object(s, "bootstrap");
        if (boot != null) {
            JsonObject rho = object(boot, "spearman");
            figures.add(new String[] {
                    "bootstrap (" + boot.get("replicates").getAsString() + " resamples), median [5th pct]",
                    "Spearman " + number(rho.get("median").getAsString()) + " [" + number(rho.get("p5").getAsString())
                            + "]" + overlaps(object(boot, "top_k_overlap"), "median")});
        }
    }

    /** ", top-10 overlap 0.9, top-100 overlap 0.85" from {"10": x, ...} or {"10": {"median": x}, ...}. */
    private static String overlaps(JsonObject byK, String field) {
        if (byK == null) return "";
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonElement> k : byK.entrySet()) {
            JsonElement v = field == null ? k.getValue() : k.getValue().getAsJsonObject().get(field);
            b.append(", top-").append(k.getKey()).append(" overlap ").append(number(v.getAsString()));
        }
        return b.toString();
    }

    /** Top-level fields of a JSON file the run wrote, each as it is (a number rounded, an object as its entries). */
    private static void jsonFigures(Path file, List<String[]> figures, String... fields) {
        if (!Files.isRegularFile(file)) return;
        JsonObject o = RunJson.read(file).tree();
        for (String f : fields) {
            JsonElement v = o.get(f);
            if (v == null || v.isJsonNull()) continue;
            String text = v.isJsonObject() ? String.join(", ",
                                                     v.getAsJsonObject()
                                                             .entrySet()
                                                             .stream()
                                                             .map(e -> e.getKey() + " " + e.getValue().getAsString())
                                                             .toList())
                    : v.isJsonPrimitive()  ? number(v.getAsString())
                                           : v.toString();
            figures.add(new String[] {f.replace('_', ' '), text});
        }
    }

    private static JsonObject object(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    /** A decimal at four significant digits ("0.9987", "1.234e-05"); a whole number or other text as it is. */
    static String number(String text) {
        Optional<Double> d;
        try {
            d = Optional.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            d = Optional.empty();
        }
        if (d.isEmpty() || text.matches("-?\\d+") || d.get().isNaN() || d.get().isInfinite()) return text;
        double v = d.get();
        return v != 0 && Math.abs(v) < 1e-3
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static Path existing(Path file) {
        return Files.isRegularFile(file) ? file : null;
    }
}
