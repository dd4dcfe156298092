package tn.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;
import tn.io.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page built from hand-made folders: escaping, table heads, nested provenance, what is listed where. */
class ReportTest {
    static final Instant WHEN = Instant.parse("2026-01-02T03:04:05.678Z");

    @TempDir
    Path tmp;

    @Test
    void escapingCoversEveryCharacterThatIsMarkupInTextOrAttributes() {
        assertEquals("a &lt;b&gt; &amp;amp; &quot;c&quot; &#39;d&#39; é 猫",
                HtmlWriter.escape("a <b> &amp; \"c\" 'd' é 猫"));
        assertEquals("<td class=\"x&quot;&gt;&lt;script&gt;\">&lt;/td&gt;</td>",
                new HtmlWriter().element("td", "</td>", "class", "x\"><script>").toString());
        assertEquals("<a>t</a>", new HtmlWriter().element("a", "t", "href", null).toString(),
                "a null attribute is left out");
    }

    @Test
    void tablesShowTheirFirstRowsAndSayHowManyThereAre() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        StringBuilder tsv = new StringBuilder("rank\tlayer\tneuron\tscore\n");
        for (int i = 1; i <= 7; i++)
            tsv.append(i).append('\t').append(i % 4).append('\t').append(10 * i).append("\t0.").append(i).append('\n');
        tsv.append("\n"); // a trailing blank line is not a row
        Files.writeString(run.resolve("ranking.tsv"), tsv);
        String html = new Report("t", 3).add(run, "run").html(WHEN);
        assertTrue(html.contains("showing 3 of 7 rows"), html);
        assertTrue(html.contains("<th>rank</th><th>layer</th><th>neuron</th><th>score</th>"), html);
        assertTrue(
                html.contains(
                        "<tr><td class=\"num\">3</td><td class=\"num\">3</td><td class=\"num\">30</td><td class=\"num\">0.3</td></tr>"),
                html);
        assertFalse(html.contains(">40<"), "the fourth row is past --max-rows");
        assertTrue(new Report("t", 50).add(run, "run").html(WHEN).contains("showing 7 of 7 rows"));
        assertTrue(new Report("t", 0).add(run, "run").html(WHEN).contains("showing 0 of 7 rows"));
    }

    @Test
    void csvFieldsMayBeQuoted() {
        assertEquals(List.of("a", "b,c", "say \"hi\"", "", "d"),
                DelimitedTable.csvFields("a,\"b,c\",\"say \"\"hi\"\"\",,d"));
        assertEquals(List.of("x\ty", "z"), DelimitedTable.split("x\ty,z", true));
        assertEquals(List.of("x", "y,z", ""), DelimitedTable.split("x\ty,z\t", false));
    }

    @Test
    void specialCharactersInCellsFileNamesAndRunJsonAreShownLiterally() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("a<b>&c"));
        Files.writeString(run.resolve("x&y.csv"), "name,value\n\"<i>a, b</i>\",'1' & \"2\"\n", StandardCharsets.UTF_8);
        Files.writeString(
                run.resolve("run.json"), "{\"command\": \"<script>alert(1)</script>\", \"note\": \"Tom & Jerry's\"}");
        String html = new Report("<My> & report", 50).add(run, run.toString()).html(WHEN);
        assertTrue(html.contains("<title>&lt;My&gt; &amp; report</title>"), html);
        assertTrue(html.contains("<td>&lt;i&gt;a, b&lt;/i&gt;</td><td>&#39;1&#39; &amp; &quot;2&quot;</td>"), html);
        assertTrue(html.contains("<h3>x&amp;y.csv</h3>"), html);
        assertTrue(html.contains("a&lt;b&gt;&amp;c (tn &lt;script&gt;alert(1)&lt;/script&gt;)"), html);
        assertTrue(html.contains("<th>note</th><td>Tom &amp; Jerry&#39;s</td>"), html);
        assertFalse(html.contains("<script"), "no markup from the data survives");
        assertFalse(html.contains("<i>"), "no markup from the data survives");
    }

    @Test
    void provenanceIsANestedKeyValueTable() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("run.json"), """
                {"command": "detect", "model": {"path": "/m/x.gguf", "sha256": "ab12", "n_layer": 4},
                 "dataset": {"files": [{"lang": "ja", "sha256": "cd34"}, {"lang": "en", "sha256": "ef56"}]},
                 "outputs": ["scores.npy", "ranking.tsv"], "timings": {"total_s": 1.5e-3, "note": null, "x": NaN},
                 "empty": {}}
                """);
        String html = new Report("t", 50).add(run, "run").html(WHEN);
        String kv = "<table class=\"kv\">";
        assertTrue(
                html.contains("<tr><th>model</th><td>" + kv + "<tr><th>path</th><td>/m/x.gguf</td></tr>"
                        + "<tr><th>sha256</th><td>ab12</td></tr><tr><th>n_layer</th><td>4</td></tr></table></td></tr>"),
                html);
        assertTrue(
                html.contains("<tr><th>dataset</th><td>" + kv + "<tr><th>files</th><td>" + kv + "<tr><th>[0]</th><td>"
                        + kv
                        + "<tr><th>lang</th><td>ja</td></tr><tr><th>sha256</th><td>cd34</td></tr></table></td></tr><tr><th>[1]</th>"),
                html);
        assertTrue(html.contains("<tr><th>outputs</th><td>scores.npy, ranking.tsv</td></tr>"), html);
        assertTrue(
                html.contains(
                        "<tr><th>total_s</th><td>1.5e-3</td></tr><tr><th>note</th><td><span class=\"null\">null</span>"
                        + "</td></tr><tr><th>x</th><td>NaN</td></tr>"),
                "numbers as written, nulls kept: " + html);
        assertTrue(html.contains("<h2>run (tn detect)</h2>"), html);
        assertTrue(html.contains("<p class=\"summary\">tn detect · x.gguf · 2 files · 0.0015 s</p>\n<details><summary>"
                           + "Provenance (run.json)"),
                "what was run, then the provenance folded away: " + html);
    }

    /**
     * Runs are grouped by what their run.json says, in the paper's order whatever the order given:
     * the detection's layer distribution first, then the similarity runs (all neurons, transfer
     * neurons off, random neurons off) as curves of one figure per measure, then tn's sampling noise;
     * each with the paper's sentence and one computed from the files.
     */
    @Test
    void runsAreGroupedByExperimentInThePapersOrder() throws IOException {
        Path detect = detection(tmp.resolve("study/ja/type1/detect"));
        Path plain = similarity(tmp.resolve("study/ja/similarity"), "none", null, new double[] {0.5, 0.6}, null);
        Path off = similarity(tmp.resolve("study/ja/type1/similarity-off"), "top 2 of " + detect.resolve("ranking.tsv"),
                detect, new double[] {0.4, 0.5}, null);
        Path baseline = similarity(tmp.resolve("study/ja/type1/similarity-baseline"),
                "baseline: 2 random neurons of layers 0:2, excluding 2 transfer neurons, seed 42", detect,
                new double[] {0.49, 0.59}, new double[] {0.02, 0.03});
        Path centroids = Files.createDirectories(tmp.resolve("study/ja/type1/centroids"));
        Files.writeString(
                centroids.resolve("run.json"), "{\"command\": \"centroids\", \"parameters\": {\"lang\": \"ja\"}}");
        Report report = new Report("t", 50);
        for (Path p : List.of(baseline, off, plain, centroids, detect)) report.add(p, p.toString());
        String html = report.html(WHEN);

        int where = html.indexOf("<section id=\"where\""), similarity = html.indexOf("<section id=\"similarity\""),
            noise = html.indexOf("<section id=\"noise\""), runs = html.indexOf("<div id=\"runs\">");
        assertTrue(0 < where && where < similarity && similarity < noise && noise < runs, "the paper's order: " + html);
        assertTrue(html.indexOf("<nav class=\"toc\">") < where, "contents first");
        assertTrue(html.contains("<a href=\"#where\">1. Where the transfer neurons lie</a>"), html);
        String first = html.substring(where, similarity);
        assertTrue(
                first.contains("<b>This model: </b>Type-1, ja: 50% of the top 2 in layers 0-1 (the first half of 4); "
                        + "most in layer 0 (1)."),
                first);
        assertEquals(1, count(first, "<img "), "one layer distribution");
        String pairs = html.substring(similarity, noise);
        assertEquals(2, count(pairs, "<img "), "hidden and activation similarity, each one figure of three conditions");
        assertTrue(pairs.contains("ja: Type-1 transfer neurons off -0.1, Type-1 random neurons off -0.01."), pairs);
        String noiseSection = html.substring(noise, runs);
        assertTrue(noiseSection.contains("<td class=\"num\">0.912</td>"), "three significant digits: " + noiseSection);
        assertEquals(5, count(html.substring(runs), "<section id="), "every folder in All runs");
        assertTrue(html.contains("title=\"" + detect + "\""), "the full path on hover");
        assertTrue(html.contains(">type1/detect (tn detect)</a>"), "folders named below their common parent, study/ja");
    }

    /** A baseline run over several random draws is drawn as its mean with its 95% band. */
    @Test
    void theBaselinesIntervalAcrossRandomDrawsBecomesItsBand() throws IOException {
        Path detect = detection(tmp.resolve("ja/type1/detect"));
        Path plain = similarity(tmp.resolve("ja/similarity"), "none", null, new double[] {0.5, 0.6}, null);
        Path baseline = similarity(tmp.resolve("ja/type1/similarity-baseline"), "baseline: 2 random neurons", detect,
                new double[] {0.49, 0.59}, new double[] {0.02, 0.03});
        List<Run> runs = List.of(Run.of(RunFolder.scan(plain, "p")), Run.of(RunFolder.scan(baseline, "b")));
        assertEquals(Experiment.Condition.BASELINE, runs.get(1).experiment().condition());
        assertEquals("type1", runs.get(1).type(), "the type from the deactivated ranking's run.json");
        var curves = PairSection.curves(runs, "similarity.csv", "parallel_mean", row -> row.get(1).equals("hidden"));
        assertEquals(List.of("all neurons", "Type-1 random neurons off"),
                curves.stream().map(tn.plot.ConditionPlot.Curve::name).toList());
        assertEquals(null, curves.get(0).low(), "all neurons ran once: no band");
        assertArrayEquals(new double[] {0.47, 0.56}, curves.get(1).low(), 1e-12);
        assertArrayEquals(new double[] {0.51, 0.62}, curves.get(1).high(), 1e-12);
    }

    /** QA: a row per condition, the baseline's F1 with its interval across random draws, after the pair analyses. */
    @Test
    void questionAnsweringShowsEachConditionWithTheBaselinesInterval() throws IOException {
        Path detect = detection(tmp.resolve("ja/type1/detect"));
        List<Path> runs = new ArrayList<>();
        for (String[] run : List.of(new String[] {"qa", "none", "0.5123", ""},
                     new String[] {"qa-off", "top 2 of ranking.tsv", "0.2", ""},
                     new String[] {"qa-baseline", "baseline: 2 random neurons", "0.45",
                             ", \"mean_f1_ci_low\": 0.4, \"mean_f1_ci_high\": 0.5"})) {
            Path dir = Files.createDirectories(tmp.resolve("ja/type1/" + run[0]));
            Files.writeString(dir.resolve("run.json"),
                    "{\"command\": \"qa\", \"parameters\": {\"lang\": \"ja\", "
                            + "\"deactivated\": \"" + run[1]
                            + "\"}, \"run\": {\"command_line\": [\"qa\", \"--deactivate\", \""
                            + detect.resolve("ranking.tsv") + "\"]}}");
            Files.writeString(dir.resolve("qa.json"),
                    "{\"lang\": \"ja\", \"questions\": 30, \"mean_f1\": " + run[2] + ", \"exact_match\": 0.1" + run[3]
                            + "}");
            runs.add(dir);
        }
        Report report = new Report("t", 50);
        for (int i = runs.size() - 1; i >= 0; i--) report.add(runs.get(i), runs.get(i).toString()); // any order
        report.add(detect, detect.toString());
        String html = report.html(WHEN);
        int qa = html.indexOf("<section id=\"qa\""), noise = html.indexOf("<section id=\"noise\"");
        assertTrue(html.indexOf("<section id=\"where\"") < qa && qa < noise, html);
        String part = html.substring(qa, noise);
        assertTrue(
                part.contains("<td>ja</td><td>all neurons</td><td class=\"num\">30</td><td class=\"num\">0.512</td>"),
                part);
        assertTrue(part.contains(
                           "<td>Type-1 transfer neurons off</td><td class=\"num\">30</td><td class=\"num\">0.2</td>"),
                part);
        assertTrue(part.contains("<td>Type-1 random neurons off</td><td class=\"num\">30</td><td>0.45 [0.4, 0.5]</td>"),
                part);
        assertTrue(part.indexOf("all neurons</td>") < part.indexOf("transfer neurons off</td>")
                        && part.indexOf("transfer neurons off</td>") < part.indexOf("random neurons off</td>"),
                "the paper's order of conditions: " + part);
    }

    /** A detection of a 4-layer model whose top 2 lie in layers 0 and 3, with its sampling noise. */
    private static Path detection(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), """
                {"command": "detect", "model": {"path": "/m/x.gguf", "file_type": "Q8_0", "n_layer": 4},
                 "parameters": {"type": "type1", "lang": "ja"}, "dataset": {"path": "/d/ja.txt", "items_used": 40},
                 "timings": {"total_s": 12.34}}
                """);
        Files.writeString(
                dir.resolve("ranking.tsv"), "rank\tlayer\tneuron\tscore\n1\t3\t17\t0.0123456\n2\t0\t5\t0.01\n");
        Files.writeString(dir.resolve("stability.json"), """
                {"items": 40, "split_half": {"spearman": 0.91234, "top_k_overlap": {"10": 0.8, "100": 0.75}},
                 "bootstrap": {"replicates": 200, "spearman": {"median": 0.95, "p5": 0.9},
                               "top_k_overlap": {"10": {"median": 0.9, "p5": 0.7}}}}
                """);
        return dir;
    }

    /**
     * A similarity run of 2 layers: parallel means per layer (hidden; activation the same less 0.1),
     * with a band of +-ci around them where ci is given (a baseline over several random draws).
     */
    private static Path similarity(Path dir, String deactivated, Path detect, double[] mean, double[] ci)
            throws IOException {
        Files.createDirectories(dir);
        String line = detect == null ? "[\"similarity\"]"
                                     : "[\"similarity\", \"--deactivate\", \"" + detect.resolve("ranking.tsv") + "\"]";
        Files.writeString(dir.resolve("run.json"),
                "{\"command\": \"similarity\", \"parameters\": {\"lang\": \"ja\", "
                        + "\"deactivated\": \"" + deactivated + "\""
                        + (ci == null ? "" : ", \"baseline_seeds\": [42, 43]")
                        + "}, \"run\": {\"command_line\": " + line + "}}");
        StringBuilder csv = new StringBuilder("layer,kind,parallel_mean,parallel_std,nonparallel_mean,nonparallel_std");
        if (ci != null) csv.append(",parallel_mean_ci_low,parallel_mean_ci_high");
        csv.append('\n');
        for (String kind : List.of("hidden", "activation")) {
            double shift = kind.equals("hidden") ? 0 : -0.1;
            for (int l = 0; l < mean.length; l++) {
                double m = mean[l] + shift;
                csv.append(l).append(',').append(kind).append(',').append(m).append(",0.1,").append(m - 0.2).append(
                        ",0.1");
                if (ci != null) csv.append(',').append(m - ci[l]).append(',').append(m + ci[l]);
                csv.append('\n');
            }
        }
        Files.writeString(dir.resolve("similarity.csv"), csv);
        return dir;
    }

    @Test
    void imagesAreEmbeddedAndOtherFilesListedWithNpyShapes() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff0000);
        ImageIO.write(img, "png", run.resolve("plot.png").toFile());
        Files.writeString(run.resolve("fake.png"), "not an image");
        Npy.writeFloat32(run.resolve("scores.npy"), new float[24], 4, 6);
        Files.write(run.resolve("model.bin"), new byte[1234]);
        Files.writeString(run.resolve(".half.partial"), "hidden");
        String html = new Report("t", 50).add(run, "run").html(WHEN);
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"plot plot.png of run\">"
                                   + "<figcaption>plot.png</figcaption>")
                            .matcher(html);
        assertTrue(m.find(), html);
        BufferedImage back =
                ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(m.group(1))));
        assertEquals(0xff0000, back.getRGB(1, 1) & 0xffffff, "the embedded bytes are the file's");
        assertEquals(1, count(html, "<img "),
                "the plot in its section; fake.png has no PNG signature: listed, not embedded");
        assertTrue(
                html.contains(
                        "<td>fake.png</td><td class=\"num\">12 bytes</td><td>not a PNG image (no PNG signature)</td>"),
                html);
        assertTrue(html.contains(
                           "<td>scores.npy</td><td class=\"num\">224 bytes</td><td>NumPy array, float32 [4, 6]</td>"),
                html);
        assertTrue(html.contains("<td>model.bin</td><td class=\"num\">1.2 kB (1234 bytes)</td>"), html);
        assertFalse(html.contains("half"), "hidden files are left out");
        assertTrue(html.contains("Generated 2026-01-02T03:04:05 UTC"), html);
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script"),
                "nothing external, no scripts");
    }

    @Test
    void foldersBelowWithResultsGetTheirOwnSections() throws IOException {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(
                sweep.resolve("sweep.json"), "{\"command\": \"sweep\", \"variants\": [{\"label\": \"Q8_0\"}]}");
        Path detect = Files.createDirectories(sweep.resolve("Q8_0/detect"));
        Files.writeString(detect.resolve("run.json"), "{\"command\": \"detect\"}");
        Files.writeString(
                Files.createDirectories(sweep.resolve("compare")).resolve("compare.tsv"), "run\trho\nQ8_0\t0.9\n");
        Files.writeString(
                Files.createDirectories(sweep.resolve("a/b/c/d")).resolve("run.json"), "{\"command\": \"too deep\"}");
        Report report = new Report("t", 50).add(sweep, "sweep");
        String html = report.html(WHEN);
        assertEquals(3, report.sectionCount(),
                "sweep, sweep/Q8_0/detect and sweep/compare; Q8_0 and a/b/c only hold folders");
        assertTrue(
                html.contains("<li class=\"depth0\"><a href=\"#run-1\" title=\"" + sweep + "\">sweep</a></li>"), html);
        assertTrue(html.contains("<li class=\"depth2\"><a href=\"#run-2\" title=\"" + detect
                           + "\">sweep/Q8_0/detect (tn detect)</a></li>"),
                html);
        assertTrue(html.contains("<li class=\"depth1\"><a href=\"#run-3\" title=\"" + sweep.resolve("compare")
                           + "\">sweep/compare</a></li>"),
                html);
        assertTrue(html.contains("<section id=\"run-2\">\n<h2>sweep/Q8_0/detect (tn detect)</h2>"), html);
        assertTrue(
                html.contains(
                        "<h3>sweep.json</h3>\n<table class=\"kv\"><tr><th>command</th><td>sweep</td></tr><tr><th>variants</th>"),
                html);
        assertFalse(html.contains("too deep"), "search stops " + RunFolder.DEPTH + " levels down");
        assertEquals(3, count(html, "<section id=\"run-"));
    }

    @Test
    void aCorruptRunJsonOrAMissingFolderIsBadInputNamingThePath() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{\"command\": ");
        InputException e = assertThrows(InputException.class, () -> new Report("t", 50).add(run, "run"));
        assertTrue(e.getMessage().contains(run.resolve("run.json").toString()), e.getMessage());
        Path nested = Files.createDirectories(tmp.resolve("top/inner"));
        Files.writeString(nested.resolve("run.json"), "[1, 2]");
        e = assertThrows(InputException.class, () -> new Report("t", 50).add(tmp.resolve("top"), "top"));
        assertTrue(e.getMessage().contains(nested.resolve("run.json") + ": not a JSON object"), e.getMessage());
        e = assertThrows(InputException.class, () -> new Report("t", 50).add(tmp.resolve("nowhere"), "nowhere"));
        assertTrue(e.getMessage().contains("no such folder: " + tmp.resolve("nowhere")), e.getMessage());
    }

    @Test
    void writingReplacesThePageAtomically() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path out = tmp.resolve("out/report.html");
        new Report("first", 50).add(run, "run").write(out, WHEN);
        new Report("second", 50).add(run, "run").write(out, WHEN);
        assertTrue(Files.readString(out).contains("<h1>second</h1>"));
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary file is left beside it");
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
