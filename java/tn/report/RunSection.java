package tn.report;

import tn.io.Json;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import tn.record.RunJson;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Npy;
import tn.io.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * The part of the page for one folder, below the findings: heading, what was run, the provenance
 * from run.json folded away, its plots embedded, the head of each table, other JSON files, and a
 * list of the rest. Nothing here knows one command from another: every command writes run.json,
 * plots and tables.
 */
final class RunSection {
    /** Larger JSON files are listed, not rendered: a table of thousands of rows helps nobody. */
    private static final long MAX_JSON_BYTES = 1 << 20;

    private final Page page;
    private final HtmlWriter html;
    private final int maxRows;
    private final Map<RunFolder, String> anchors;

    RunSection(Page page, int maxRows) {
        this.page = page;
        this.html = page.html();
        this.maxRows = maxRows;
        this.anchors = page.anchors();
    }

    /** "ja/type1/detect (tn detect)": the folder's name and the command that made it. */
    static String title(RunFolder folder, String name) {
        return name + folder.command().map(c -> " (tn " + c + ")").orElse("");
    }

    void write(RunFolder folder) {
        html.open("section", "id", anchors.get(folder)).newline();
        html.element("h2", title(folder, page.shortName(folder))).newline();
        html.element("p", folder.dir().toAbsolutePath().normalize().toString(), "class", "path").newline();
        if (folder.runJson().isPresent()) {
            String what = what(folder);
            if (!what.isEmpty()) html.element("p", what, "class", "summary").newline();
            html.open("details").element(
                    "summary", "Provenance (run.json): model, data, parameters, versions, timings");
            JsonTable.write(html, folder.provenance());
            html.close("details").newline();
        } else {
            html.element("p", "No run.json in this folder: its files are shown without provenance.", "class", "note");
        }
        images(folder);
        tables(folder);
        jsonFiles(folder);
        otherFiles(folder);
        children(folder);
        html.close("section").newline();
    }

    private void images(RunFolder folder) {
        if (folder.images().isEmpty()) return;
        html.element("h3", "Plots").newline().open("div", "class", "figures");
        for (Path png : folder.images()) PngFile.figure(html, png, folder.name());
        html.close("div").newline();
    }

    private void tables(RunFolder folder) {
        for (Path file : folder.tables()) {
            html.element("h3", file.getFileName().toString()).newline();
            DelimitedTable.read(file, maxRows).write(html);
        }
    }

    private void jsonFiles(RunFolder folder) {
        for (Path file : folder.jsonFiles()) {
            html.element("h3", file.getFileName().toString()).newline();
            long size = size(file);
            if (size > MAX_JSON_BYTES) {
                html.element("p", "not shown: " + Sizes.human(size) + " of JSON", "class", "note");
                continue;
            }
            try {
                JsonTable.write(html, Json.parse(InputFile.readString(file)));
            } catch (JsonParseException e) {
                // only run.json must be valid (it is the provenance); another file is shown as what it is
                html.element("p", "not valid JSON: " + (e.getCause() != null ? e.getCause() : e).getMessage(), "class",
                        "note");
            }
            html.newline();
        }
    }

    private void otherFiles(RunFolder folder) {
        if (folder.otherFiles().isEmpty()) return;
        html.element("h3", "Other files").newline();
        html.open("table", "class", "data")
                .open("thead")
                .open("tr")
                .element("th", "file")
                .element("th", "size")
                .element("th", "contents")
                .close("tr")
                .close("thead")
                .open("tbody")
                .newline();
        for (Path file : folder.otherFiles()) {
            html.open("tr")
                    .element("td", file.getFileName().toString())
                    .element("td", Sizes.human(size(file)), "class", "num")
                    .element("td", contents(file))
                    .close("tr")
                    .newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** What a file holds, where its name says how to tell: an .npy's dtype and shape, from its header. */
    private static String contents(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
            try {
                Npy.Header h = Npy.header(file);
                String type = switch (h.descr()) {
                    case "<f4" -> "float32";
                    case "<f8" -> "float64";
                    default -> h.descr();
                };
                return "NumPy array, " + type + " " + Arrays.toString(h.shape());
            } catch (InputException e) {
                return "unreadable .npy: " + e.getMessage();
            }
        }
        if (name.endsWith(".png")) return "not a PNG image (no PNG signature)";
        return "";
    }

    private void children(RunFolder folder) {
        List<RunFolder> shown =
                folder.children().stream().flatMap(RunFolder::flatten).filter(anchors::containsKey).toList();
        if (shown.isEmpty()) return;
        html.element("h3", "Folders below").newline().open("ul");
        for (RunFolder child : shown) {
            html.open("li")
                    .element("a", title(child, page.shortName(child)), "href", "#" + anchors.get(child))
                    .close("li");
        }
        html.close("ul").newline();
    }

    /** "tn detect · ja type1 · model.gguf (Q8_0) · ja.txt, 1000 items · 12.3 s", from what run.json records. */
    static String what(RunFolder folder) {
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
            return (s >= 1 ? String.format(Locale.ROOT, "%.1f", s) : Numbers.format(text)) + " s";
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

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }
}
