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
import java.util.function.BiConsumer;

/**
 * One self-contained HTML page over any set of run folders, laid out as the paper is: each run is
 * identified by what it recorded (Experiment) and the runs are grouped by experiment in the
 * paper's order, whatever the order of the folders given: where the transfer neurons lie,
 * similarity and mutual k-NN (all neurons, transfer neurons off and random neurons off as curves
 * of one figure), latent spaces, specificity, question answering, reasoning, then tn's own
 * additions (sampling noise, quantization agreement, LAPE overlap). Each figure or table comes
 * with what the paper reports and what this model shows. Below them, every folder's section with
 * its provenance, plots and tables. Plots are embedded as data: URIs, the fonts (cut to the page's
 * characters) and the style sheet are inline; the page loads nothing else (its
 * Content-Security-Policy forbids it), so it can be mailed, opened offline or printed.
 */
public final class Report {
    private static final String STYLE = """
            body{font-family:%s,sans-serif;margin:1em auto;max-width:1240px;padding:0 1em;color:#222;background:#fff;line-height:1.35}
            h1{margin:0;font-size:1.5em}header p{margin:.1em 0 .3em}h2{border-bottom:2px solid #0072B2;padding-bottom:.1em;margin:1.4em 0 .3em;font-size:1.3em}
            section.paper:first-of-type h2{margin-top:.6em}
            h3{margin:1.2em 0 .4em;font-size:1.05em}.path,.generated,.count,.note{color:#666}.summary{background:#eef3fb;padding:.5em}
            p.paper,p.model{margin:.25em 0}p.paper b,p.model b{color:#0072B2}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}
            table.data td{white-space:nowrap}table.data th{word-break:keep-all;hyphens:none;min-width:4em}table.data thead th{background:#e8e8e8;vertical-align:bottom}table.data tbody tr:nth-child(even){background:#f7f7f7}
            table.kv>tbody>tr>th,table.kv>tr>th{background:#f0f0f0;font-weight:600;white-space:nowrap}table.kv td{overflow-wrap:anywhere}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.null{color:#999;font-style:italic}
            .scroll{overflow-x:auto}
            .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:.6em;align-items:start}
            figure{margin:.3em 0}img{max-width:100%%;height:auto;border:1px solid #ddd;display:block}figcaption{color:#444;font-size:.9em}
            nav.toc ol{display:flex;flex-wrap:wrap;gap:.1em 1.2em;padding:0;margin:.2em 0;list-style:none;font-size:.95em}
            nav a{text-decoration:none;color:#0072B2}nav.runs li{list-style:none;margin:.15em 0}
            .depth1{margin-left:1.5em}.depth2{margin-left:3em}.depth3{margin-left:4.5em}
            details{margin:.5em 0}summary{cursor:pointer;color:#0072B2}
            @media print{nav.toc{display:none}.scroll{overflow:visible}figure,table{break-inside:avoid}h2,h3{break-after:avoid}body{max-width:none}}
            """;
    /** Nothing from outside the page: images and fonts only as data: URIs, style only inline, no scripts. */
    private static final String NO_EXTERNAL_RESOURCES =
            "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'";

    /** One part of the page in the paper's order: which runs it shows and how. */
    private record Part(String id, String title, List<Experiment.Kind> kinds, BiConsumer<Page, List<Run>> write) {}

    private static final List<Part> PARTS = List.of(new Part(DetectionSection.ID, DetectionSection.TITLE,
                                                            List.of(Experiment.Kind.DETECT), DetectionSection::write),
            new Part(PairSection.SIMILARITY_ID, PairSection.SIMILARITY_TITLE, List.of(Experiment.Kind.SIMILARITY),
                    PairSection::writeSimilarity),
            new Part(
                    PairSection.MKNN_ID, PairSection.MKNN_TITLE, List.of(Experiment.Kind.MKNN), PairSection::writeMknn),
            new Part(LatentSection.ID, LatentSection.TITLE, List.of(Experiment.Kind.LATENT), LatentSection::write),
            new Part(SpecificitySection.ID, SpecificitySection.TITLE, List.of(Experiment.Kind.SPECIFICITY),
                    SpecificitySection::write),
            new Part(QaSection.ID, QaSection.TITLE, List.of(Experiment.Kind.QA, Experiment.Kind.QA_COMPARE),
                    (page, runs)
                            -> QaSection.write(
                                    page, Run.of(runs, Experiment.Kind.QA), Run.of(runs, Experiment.Kind.QA_COMPARE))),
            new Part(ReasoningComparison.ID, ReasoningComparison.TITLE, List.of(Experiment.Kind.REASONING),
                    ReasoningComparison::write),
            new Part(NoiseSection.ID, NoiseSection.TITLE, List.of(Experiment.Kind.DETECT), NoiseSection::write),
            new Part(QuantizationSection.ID, QuantizationSection.TITLE, List.of(Experiment.Kind.COMPARE),
                    QuantizationSection::write),
            new Part(OverlapSection.ID, OverlapSection.TITLE, List.of(Experiment.Kind.OVERLAP), OverlapSection::write));

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
        List<Run> runs = sections.stream().map(Run::of).toList();
        HtmlWriter html = new HtmlWriter();
        Page page = new Page(html, anchors, Page.commonRoot(folders.stream().map(RunFolder::dir).toList()));

        html.open("body").newline().open("header").element("h1", title);
        String version = Report.class.getPackage().getImplementationVersion();
        html.element("p",
                    "Generated "
                            + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                                    generated.atOffset(ZoneOffset.UTC).withNano(0))
                            + " UTC by tn " + (version == null ? "(development build)" : version) + " from "
                            + folders.size() + (folders.size() == 1 ? " folder" : " folders") + ", " + sections.size()
                            + (sections.size() == 1 ? " run folder" : " run folders") + ".",
                    "class", "generated")
                .close("header")
                .newline();

        List<Part> shown =
                PARTS.stream()
                        .filter(p -> runs.stream().anyMatch(r -> p.kinds().contains(r.kind()) && shows(p, r)))
                        .toList();
        html.open("nav", "class", "toc").open("ol").newline();
        for (int i = 0; i < shown.size(); i++) {
            html.open("li")
                    .element("a", (i + 1) + ". " + shown.get(i).title(), "href", "#" + shown.get(i).id())
                    .close("li")
                    .newline();
        }
        html.open("li").element("a", "All runs (" + sections.size() + ")", "href", "#runs").close("li").newline();
        html.close("ol").close("nav").newline();
        for (int i = 0; i < shown.size(); i++) {
            Part part = shown.get(i);
            html.open("section", "id", part.id(), "class", "paper")
                    .newline()
                    .element("h2", (i + 1) + ". " + part.title())
                    .newline();
            part.write().accept(
                    page, runs.stream().filter(r -> part.kinds().contains(r.kind()) && shows(part, r)).toList());
            html.close("section").newline();
        }

        html.open("div", "id", "runs").newline().element("h2", "All runs").newline();
        html.element("p",
                "Each folder given and each folder below it with results: what was run, its provenance "
                        + "(run.json) folded away, its plots, the head of its tables and its other files.",
                "class", "note");
        html.open("nav", "class", "runs").open("ul").newline();
        for (RunFolder f : sections) {
            html.open("li", "class", "depth" + f.depth())
                    .element("a", RunSection.title(f, page.shortName(f)), "href", "#" + anchors.get(f), "title",
                            f.dir().toAbsolutePath().normalize().toString())
                    .close("li")
                    .newline();
        }
        html.close("ul").close("nav").newline();
        RunSection section = new RunSection(page, maxRows);
        for (RunFolder f : sections) section.write(f);
        html.close("div").newline().close("body").newline().close("html").newline();
        String body = html.toString();

        HtmlWriter head = new HtmlWriter();
        head.trusted("<!DOCTYPE html>")
                .newline()
                .open("html", "lang", "en")
                .newline()
                .open("head")
                .open("meta", "charset", "utf-8")
                .open("meta", "http-equiv", "Content-Security-Policy", "content", NO_EXTERNAL_RESOURCES)
                .open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title)
                .open("style")
                .trusted(PageFont.css(title + body))
                .trusted(String.format(java.util.Locale.ROOT, STYLE, PageFont.FAMILIES))
                .close("style")
                .close("head")
                .newline();
        return head + body;
    }

    /** Reasoning shows only finished runs; the rest show every run of their kinds. */
    private static boolean shows(Part part, Run run) {
        return !part.id().equals(ReasoningComparison.ID) || !ReasoningComparison.finished(List.of(run)).isEmpty();
    }

    /** Writes the page to out atomically: a reader never sees half a report. */
    public void write(Path out, Instant generated) {
        AtomicFile.writeString(out, html(generated));
    }
}
