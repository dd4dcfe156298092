package tn.report;

import tn.io.InvalidValueException;
import tn.io.AtomicFile;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page over any set of run folders, findings first: a card per folder
 * with a plot (what was run, its main plot, its headline figures), a line for each run without
 * one, then the contents and a section per folder with results (each given folder, and folders
 * below it that hold results), its provenance folded away. Plots are embedded as data: URIs and
 * the style sheet is inline; the page loads nothing else (its Content-Security-Policy forbids
 * it), so it can be mailed or opened offline.
 */
public final class Report {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;background:#fff}
            h1{margin-bottom:.2em}h2{border-bottom:2px solid #36c;padding-bottom:.2em;margin-top:2.5em}
            h3{margin-top:1.5em}.path,.generated,.count,.note{color:#666}.summary{background:#eef3fb;padding:.5em}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
            table.data thead th{background:#e8e8e8}table.data tbody tr:nth-child(even){background:#f7f7f7}
            table.kv>tbody>tr>th,table.kv>tr>th{background:#f0f0f0;font-weight:600;white-space:nowrap}
            td.num{text-align:right;font-variant-numeric:tabular-nums}.null{color:#999;font-style:italic}
            .scroll{overflow-x:auto}figure{display:inline-block;margin:.5em;vertical-align:top}
            img{max-width:100%;border:1px solid #ddd}figcaption{text-align:center;color:#444;font-size:.9em}
            nav li{list-style:none;margin:.15em 0}.depth1{margin-left:1.5em}.depth2{margin-left:3em}.depth3{margin-left:4.5em}nav a{text-decoration:none;color:#36c}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1em}
            .card{border:1px solid #ccc;border-radius:4px;padding:.2em .8em .6em}.card h3{margin:.4em 0 .2em;font-size:1.05em}
            .card figure{display:block;margin:.3em 0}.card .what{color:#444;font-size:.9em;margin:.2em 0}
            details{margin:.5em 0}summary{cursor:pointer;color:#36c}
            """;
    /** Nothing from outside the page: images only as data: URIs, style only inline, no scripts. */
    private static final String NO_EXTERNAL_RESOURCES = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    private final String title;
    private final int maxRows;
    private final List<RunFolder> folders = new ArrayList<>();

    /** A report titled title showing the first maxRows rows of each table. */
    public Report(String title, int maxRows) {
        if (maxRows < 0) throw new InvalidValueException("{max_rows} must be 0 or more, got {}", maxRows);
        this.title = title;
        this.maxRows = maxRows;
    }

    /** Adds the folder dir (shown as name) and the results below it; a missing folder or corrupt run.json fails here. */
    public Report add(Path dir, String name) {
        folders.add(RunFolder.scan(dir, name));
        return this;
    }

    /** Every folder with a section: each given folder, and those below it with results. */
    private List<RunFolder> sections() {
        List<RunFolder> all = new ArrayList<>();
        for (RunFolder top : folders) {
            all.add(top);
            top.children().stream().flatMap(RunFolder::flatten).filter(RunFolder::hasResults).forEach(all::add);
        }
        return all;
    }

    public int sectionCount() {
        return sections().size();
    }

    public String html(Instant generated) {
        List<RunFolder> sections = sections();
        Map<RunFolder, String> anchors = new IdentityHashMap<>();
        for (int i = 0; i < sections.size(); i++) anchors.put(sections.get(i), "run-" + (i + 1));

        HtmlWriter html = new HtmlWriter();
        html.trusted("<!DOCTYPE html>")
                .newline()
                .open("html", "lang", "en")
                .newline()
                .open("head")
                .open("meta", "charset", "utf-8")
                .open("meta", "http-equiv", "Content-Security-Policy", "content", NO_EXTERNAL_RESOURCES)
                .open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title)
                .open("style")
                .trusted(STYLE)
                .close("style")
                .close("head")
                .newline();
        html.open("body").newline().open("header").element("h1", title);
        String version = Report.class.getPackage().getImplementationVersion();
        html.element("p",
                    "Generated "
                            + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                                    generated.atOffset(ZoneOffset.UTC).withNano(0))
                            + " UTC by tn " + (version == null ? "(development build)" : version) + " from "
                            + folders.size() + (folders.size() == 1 ? " folder" : " folders") + ".",
                    "class", "generated")
                .close("header")
                .newline();

        List<Finding> findings = sections.stream().map(Finding::of).toList();
        findings(html, findings, anchors);
        List<RunFolder> reasoning = ReasoningComparison.runs(sections); // runs compared: a finding too
        if (!reasoning.isEmpty()) ReasoningComparison.write(html, reasoning);
        html.open("nav").element("h2", "Contents").open("ul").newline();
        if (!reasoning.isEmpty()) {
            html.open("li", "class", "depth0")
                    .element("a", "Reasoning: accuracy per subject", "href", "#" + ReasoningComparison.ANCHOR)
                    .close("li")
                    .newline();
        }
        for (RunFolder f : sections) {
            html.open("li", "class", "depth" + f.depth())
                    .element("a", RunSection.title(f), "href", "#" + anchors.get(f))
                    .close("li")
                    .newline();
        }
        html.close("ul").close("nav").newline();

        RunSection section = new RunSection(html, maxRows, anchors);
        for (Finding f : findings) section.write(f);
        html.close("body").newline().close("html").newline();
        return html.toString();
    }

    /**
     * The findings: a card for each folder with a plot (its main plot and headline figures, or
     * its headline table), then a table of the runs that have none, each linked to its section.
     */
    private void findings(HtmlWriter html, List<Finding> findings, Map<RunFolder, String> anchors) {
        List<Finding> shown = findings.stream().filter(f -> f.plot() != null || f.table() != null).toList();
        List<Finding> runs =
                findings.stream().filter(f -> f.plot() == null && f.table() == null && !f.what().isEmpty()).toList();
        if (shown.isEmpty() && runs.isEmpty()) return;
        html.open("section", "class", "findings")
                .element("h2", "Findings")
                .newline()
                .open("div", "class", "cards")
                .newline();
        for (Finding f : shown) {
            html.open("article", "class", "card")
                    .open("h3")
                    .element("a", RunSection.title(f.folder()), "href", "#" + anchors.get(f.folder()))
                    .close("h3");
            if (!f.what().isEmpty()) html.element("p", f.what(), "class", "what");
            if (f.plot() != null) PngFile.figure(html, f.plot(), f.folder().name());
            if (f.table() != null) DelimitedTable.read(f.table(), maxRows).write(html);
            if (!f.figures().isEmpty()) {
                html.open("table", "class", "kv");
                for (String[] figure : f.figures())
                    html.open("tr").element("th", figure[0]).element("td", figure[1]).close("tr");
                html.close("table");
            }
            html.close("article").newline();
        }
        html.close("div").newline();
        if (!runs.isEmpty()) {
            html.element("h3", "Runs without a plot").newline().open("table", "class", "data").open("tbody").newline();
            for (Finding f : runs) {
                html.open("tr")
                        .open("td")
                        .element("a", RunSection.title(f.folder()), "href", "#" + anchors.get(f.folder()))
                        .close("td")
                        .element("td", f.what())
                        .close("tr")
                        .newline();
            }
            html.close("tbody").close("table").newline();
        }
        html.close("section").newline();
    }

    /** Writes the page to out atomically: a reader never sees half a report. */
    public void write(Path out, Instant generated) {
        AtomicFile.writeString(out, html(generated));
    }
}
