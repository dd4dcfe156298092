package tn.report;

import org.openqa.selenium.Dimension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tn.TestModels;
import tn.cli.TnCli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A report of real runs (centroids, detect, similarity, latent on the synthetic model) and a
 * hand-made folder of awkward text, opened in Debian's headless Chromium through Selenium: the
 * page loads without errors, every plot decodes, the text is there and escaped, and it renders.
 * Never skipped: without Chromium it fails and says how to install it.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String SPECIAL = "<b>bold</b> & \"quoted\" 'single' a<b";
    /** Text in every script the page must show without the machine's fonts (this machine has no CJK font). */
    static final List<String> SCRIPTS =
            List.of("ja\t日本語の文を読む", "ko\t한국어 문장", "zh\t这是中文们", "ru\tПривет мир");

    /** Selenium warns that it has no DevTools bindings for this Chromium; the test uses WebDriver only. Held: loggers are weak. */
    static final java.util.logging.Logger CDP_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @TempDir
    static Path tmp;
    static List<Path> runs;
    static Path page;
    static ChromeDriverService service;
    static ChromeDriver driver;

    @BeforeAll
    static void reportRunsAndStartChromium() throws IOException {
        CDP_LOG.setLevel(Level.OFF);
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are needed (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): run scripts/install-chromium (scripts/test does)");
        String model = TestModels.file(TestModels.SPM).toString();
        Path centroids = tmp.resolve("centroids"), detect = tmp.resolve("detect"),
             similarity = tmp.resolve("similarity"), latent = tmp.resolve("latent"), handmade = tmp.resolve("handmade");
        tn("centroids", "--model", model, "--type", "type1", "--lang", "ja", "--sentences", "data/demo/en-ja.tsv",
                "--out", centroids.toString(), "--quiet");
        tn("detect", "--model", model, "--type", "type1", "--lang", "ja", "--top-n", "20", "--centroids",
                centroids.resolve("centroids.npy").toString(), "--sentences", "data/demo/ja.txt", "--out",
                detect.toString(), "--quiet");
        tn("similarity", "--model", model, "--pairs", "data/demo/en-ja.tsv", "--out", similarity.toString(), "--quiet");
        tn("latent", "--model", model, "--sentences", "ja=data/demo/ja.txt,en=data/demo/en.txt", "--out",
                latent.toString(), "--quiet");
        Files.createDirectories(handmade.resolve("inner"));
        Files.writeString(handmade.resolve("special.tsv"), "what\tvalue\n" + SPECIAL + "\t1\n");
        Files.writeString(handmade.resolve("languages.tsv"), "lang\ttext\n" + String.join("\n", SCRIPTS) + "\n");
        Files.writeString(
                handmade.resolve("inner/run.json"), "{\"command\": \"<script>throw new Error('escaped?')</script>\"}");
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++)
            for (int y = 0; y < 30; y++) img.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8);
        ImageIO.write(img, "png", handmade.resolve("inner/gradient.png").toFile());
        runs = List.of(centroids, detect, similarity, latent, handmade);

        page = tmp.resolve("report.html");
        String[] args = Stream.concat(Stream.of("report"),
                                      Stream.concat(runs.stream().map(Path::toString),
                                              Stream.of("--out", page.toString(), "--max-rows", "10")))
                                .toArray(String[] ::new);
        tn(args);

        long start = System.nanoTime();
        service = new ChromeDriverService.Builder()
                          .usingDriverExecutable(CHROMEDRIVER.toFile())
                          .usingAnyFreePort()
                          .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile()); // with the driver also given, Selenium Manager never looks online
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"), "--window-size=1280,1600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        try {
            driver = new ChromeDriver(service, options);
        } finally {
            if (driver == null) service.stop();
        }
        System.out.printf("ReportBrowserTest: Chromium started in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void quitChromium() {
        try {
            if (driver != null) driver.quit();
        } finally {
            if (service != null) service.stop();
        }
    }

    static void tn(String... args) {
        TnCli.run(args).expect(0);
    }

    @Test
    void theReportLoadsWithoutErrorsAndEveryPlotDecodes() throws IOException {
        long start = System.nanoTime();
        open(page);
        assertEquals("tn report", driver.getTitle());
        assertEquals(List.of(), severe(), "no errors in the browser's console");

        long pngs = 0;
        for (Path run : runs) {
            try (Stream<Path> files = Files.walk(run)) {
                pngs += files.filter(p -> p.toString().endsWith(".png")).count();
            }
        }
        assertEquals(2 + 2 + 2 * (TestModels.SPM.layers() + 1) + 3 + 1, pngs,
                "detect's stability.png and layers.png, similarity's two, latent's per layer and its three svd plots, "
                        + "the hand-made one");
        List<?> images =
                (List<?>) ((JavascriptExecutor) driver)
                        .executeScript(
                                "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt]);");
        long paper = ((Number) ((JavascriptExecutor) driver)
                              .executeScript("return document.querySelectorAll('section.paper figure img').length;"))
                             .longValue();
        assertEquals(1 + 2 + 3 + 1, paper,
                "the paper's sections: the layer distribution, hidden and activation "
                        + "similarity, latent's heat map, PCA and dimensionality, and the sampling noise's stability.png");
        assertEquals(pngs + paper, images.size(), "every plot in its folder's section, and the paper's figures");
        for (Object o : images) {
            List<?> image = (List<?>) o;
            assertEquals(Boolean.TRUE, image.get(0), "loaded: " + image);
            assertTrue(((Number) image.get(1)).longValue() > 0, "decoded: " + image);
        }
        assertTrue(images.stream().anyMatch(
                o -> ((List<?>) o).get(2).equals("plot gradient.png of " + tmp.resolve("handmade/inner"))));
        System.out.printf("ReportBrowserTest: page (%d kB, %d images) loaded and checked in %.1f s%n",
                Files.size(page) / 1000, images.size(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void everyRunHasASectionAndSpecialCharactersShowLiterally() {
        open(page);
        List<String> headings = driver.findElements(By.cssSelector("section[id^='run-'] > h2"))
                                        .stream()
                                        .map(WebElement::getText)
                                        .toList();
        assertEquals(List.of("centroids (tn centroids)", "detect (tn detect)", "similarity (tn similarity)",
                             "latent (tn latent)", "handmade",
                             "handmade/inner (tn <script>throw new Error('escaped?')</script>)"),
                headings, "named below the folders' common parent");
        assertEquals(headings.size(), driver.findElements(By.cssSelector("nav.runs a")).size(),
                "a contents entry per folder");
        assertEquals(List.of("1. Where the transfer neurons lie", "2. Similarity of English and L2 representations",
                             "3. Language latent spaces", "4. Sampling noise of the rankings (tn)"),
                driver.findElements(By.cssSelector("section.paper > h2")).stream().map(WebElement::getText).toList(),
                "the paper's order");
        List<?> cells =
                (List<?>) ((JavascriptExecutor) driver)
                        .executeScript( // one call, not one per cell
                                "return Array.from(document.querySelectorAll('table.data td')).map(td => td.textContent);");
        assertTrue(cells.contains(SPECIAL), "the cell's text is the file's, character for character");
        assertEquals(0L,
                ((Number) ((JavascriptExecutor) driver)
                                .executeScript("return document.querySelectorAll('td b, script').length;"))
                        .longValue(),
                "no markup from the data");
        String text = driver.findElement(By.tagName("body")).getText();
        assertTrue(text.contains("showing 10 of 20 rows"), "detect's ranking.tsv, cut at --max-rows");
        assertTrue(text.contains("NumPy array, float32 [" + TestModels.SPM.layers() + ", " + TestModels.SPM.ff() + "]"),
                "scores.npy");
        assertTrue(
                text.contains(TestModels.file(TestModels.SPM).getFileName().toString()), "the model in the provenance");
        assertEquals(List.of(), severe());
    }

    @Test
    void theScreenshotIsNotBlank() throws IOException {
        open(page);
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(driver.getScreenshotAs(OutputType.BYTES)));
        assertTrue(shot.getWidth() > 500 && shot.getHeight() > 500, shot.getWidth() + "x" + shot.getHeight());
        assertTrue(distinctColours(shot) > 20, "the page shows text and colours: " + distinctColours(shot));
        WebElement plot = driver.findElement(By.cssSelector("img[alt^='plot hidden_similarity.png']"));
        BufferedImage rendered = ImageIO.read(new ByteArrayInputStream(plot.getScreenshotAs(OutputType.BYTES)));
        assertTrue(distinctColours(rendered) > 5, "the plot is drawn: " + distinctColours(rendered));
    }

    /**
     * On a laptop's first screen (1280 x 800, not scrolled) the page shows a plot, decoded: the
     * first card of the findings. A page that opened with contents and provenance would not.
     */
    @Test
    void theFirstScreenShowsAFigure() {
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(1280, 800));
        try {
            open(page);
            List<?> visible = (List<?>) ((JavascriptExecutor) driver).executeScript("""
                    return Array.from(document.images).filter(i => {
                      const r = i.getBoundingClientRect();
                      return i.complete && i.naturalWidth > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.height > 100;
                    }).map(i => i.alt);""");
            assertFalse(visible.isEmpty(),
                    "no whole plot on the first screen: "
                            + ((JavascriptExecutor) driver)
                                    .executeScript(
                                            "return [window.innerHeight, Array.from(document.images).slice(0, 3).map(i => [i.alt, i.complete, i.naturalWidth, JSON.stringify(i.getBoundingClientRect())])];"));
            assertTrue(((String) visible.get(0)).startsWith("layer distribution of Type-1, ja"),
                    "the detection's layer distribution first: " + visible);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /**
     * Japanese, Korean, Chinese and Cyrillic are drawn with tn's fonts embedded in the page: two
     * different characters of each script render differently, where the machine (no CJK fonts)
     * would draw the same box for both. Characters not on the page are not in its fonts, so they do
     * render as the same box: the check can fail.
     */
    @Test
    void everyScriptRendersWithThePagesOwnFonts() throws IOException {
        open(page);
        assertTrue(driver.findElement(By.tagName("body")).getText().contains("한국어 문장"));
        for (String pair : List.of("日本", "読む", "한국", "这们", "Пр")) {
            assertFalse(sameGlyph(pair.charAt(0), pair.charAt(1)), "two glyphs, not two boxes: " + pair);
        }
        assertTrue(sameGlyph('龍', '鳳'), "characters the page does not show fall back to the machine's box");
        assertEquals(List.of(), severe());
    }

    /** Whether two characters render as the same picture in the page's body font. */
    private static boolean sameGlyph(char a, char b) throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("for (const [i, c] of [arguments[0], arguments[1]].entries()) {"
                        + " const s = document.createElement('span'); s.id = 'glyph-' + i; s.textContent = c;"
                        + " s.style.fontSize = '40px'; document.body.prepend(s); }",
                String.valueOf(a), String.valueOf(b));
        BufferedImage first = glyph("glyph-0"), second = glyph("glyph-1");
        js.executeScript("document.getElementById('glyph-0').remove(); document.getElementById('glyph-1').remove();");
        if (first.getWidth() != second.getWidth() || first.getHeight() != second.getHeight()) return false;
        for (int y = 0; y < first.getHeight(); y++)
            for (int x = 0; x < first.getWidth(); x++)
                if (first.getRGB(x, y) != second.getRGB(x, y)) return false;
        return true;
    }

    private static BufferedImage glyph(String id) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(driver.findElement(By.id(id)).getScreenshotAs(OutputType.BYTES)));
    }

    /** The checks can fail: a page with a missing image and a script error is caught by both. */
    @Test
    void aBrokenPageIsCaught() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.html"),
                "<html><body><img src='missing.png'><script>undefinedFunction();</script></body></html>");
        driver.get(broken.toUri().toString());
        List<String> errors = severe();
        assertTrue(errors.stream().anyMatch(e -> e.contains("missing.png")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("undefinedFunction")), errors.toString());
        Map<?, ?> img = (Map<?, ?>) ((JavascriptExecutor) driver).executeScript(
                "const i = document.images[0]; return {complete: i.complete, width: i.naturalWidth};");
        assertEquals(0L, ((Number) img.get("width")).longValue());
    }

    /** Loads the page and waits for its fonts: text is laid out in them, or invisible while they load. */
    static void open(Path file) {
        driver.get(file.toUri().toString());
        ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));");
    }

    private static List<String> severe() {
        return driver.manage()
                .logs()
                .get(LogType.BROWSER)
                .getAll()
                .stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) colours.add(img.getRGB(x, y));
        }
        return colours.size();
    }
}
