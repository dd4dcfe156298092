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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * The page opens with the findings: a card per run with a plot (a detection's layers.png, its
     * top neuron and sampling noise from ranking.tsv and stability.json), then the runs without
     * one; only then the contents and the sections.
     */
    @Test
    void findingsComeFirstWithEachRunsMainPlotAndHeadlineFigures() throws IOException {
        Path detect = Files.createDirectories(tmp.resolve("detect"));
        Files.writeString(detect.resolve("run.json"), """
                {"command": "detect", "model": {"path": "/m/x.gguf", "file_type": "Q8_0"},
                 "parameters": {"type": "type1", "lang": "ja"}, "dataset": {"path": "/d/ja.txt", "items_used": 40},
                 "timings": {"total_s": 12.34}}
                """);
        Files.writeString(
                detect.resolve("ranking.tsv"), "rank\tlayer\tneuron\tscore\n1\t3\t17\t0.0123456\n2\t0\t5\t0.01\n");
        Files.writeString(detect.resolve("stability.json"), """
                {"split_half": {"spearman": 0.91234, "top_k_overlap": {"10": 0.8, "100": 0.75}},
                 "bootstrap": {"replicates": 200, "spearman": {"median": 0.95, "p5": 0.9},
                               "top_k_overlap": {"10": {"median": 0.9, "p5": 0.7}}}}
                """);
        ImageIO.write(
                new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", detect.resolve("layers.png").toFile());
        ImageIO.write(
                new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", detect.resolve("stability.png").toFile());
        Path centroids = Files.createDirectories(tmp.resolve("centroids"));
        Files.writeString(centroids.resolve("run.json"),
                "{\"command\": \"centroids\", \"parameters\": {\"type\": \"type1\", "
                        + "\"lang\": \"ja\"}}");
        String html = new Report("t", 50).add(centroids, "centroids").add(detect, "detect").html(WHEN);

        int findings = html.indexOf("<section class=\"findings\">"), contents = html.indexOf("<nav>");
        assertTrue(findings > 0 && findings < contents && contents < html.indexOf("<section id="),
                "findings, contents, sections");
        String card = html.substring(findings, html.indexOf("</article>", findings));
        assertTrue(card.contains("<h3><a href=\"#run-2\">detect (tn detect)</a></h3>"), card);
        assertTrue(
                card.contains("<p class=\"what\">tn detect · ja type1 · x.gguf (Q8_0) · ja.txt, 40 items · 12.3 s</p>"),
                card);
        assertTrue(card.contains("alt=\"plot layers.png of detect\">"), "the detection's main plot: " + card);
        assertFalse(card.contains("stability.png"), card);
        assertTrue(card.contains("<tr><th>top neuron</th><td>layer 3, neuron 17 (mean score 0.01235)</td></tr>"), card);
        assertTrue(
                card.contains("<tr><th>split halves agree</th><td>Spearman 0.9123, top-10 overlap 0.8, top-100 overlap "
                        + "0.75</td></tr>"),
                card);
        assertTrue(
                card.contains("<tr><th>bootstrap (200 resamples), median [5th pct]</th><td>Spearman 0.95 [0.9], top-10 "
                        + "overlap 0.9</td></tr>"),
                card);
        String rest = html.substring(html.indexOf("</article>", findings), contents);
        assertTrue(rest.contains("<h3>Runs without a plot</h3>")
                        && rest.contains("<a href=\"#run-1\">centroids (tn centroids)</a>"),
                rest);
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
        assertEquals(2, count(html, "<img "),
                "the plot in the findings and in its section; fake.png has no PNG signature: "
                        + "listed, not embedded");
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
        assertTrue(html.contains("<li class=\"depth0\"><a href=\"#run-1\">sweep</a></li>"), html);
        assertTrue(
                html.contains("<li class=\"depth2\"><a href=\"#run-2\">sweep/Q8_0/detect (tn detect)</a></li>"), html);
        assertTrue(html.contains("<li class=\"depth1\"><a href=\"#run-3\">sweep/compare</a></li>"), html);
        assertTrue(html.contains("<section id=\"run-2\">\n<h2>sweep/Q8_0/detect (tn detect)</h2>"), html);
        assertTrue(
                html.contains(
                        "<h3>sweep.json</h3>\n<table class=\"kv\"><tr><th>command</th><td>sweep</td></tr><tr><th>variants</th>"),
                html);
        assertFalse(html.contains("too deep"), "search stops " + RunFolder.DEPTH + " levels down");
        assertEquals(3, count(html, "<section id="));
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
