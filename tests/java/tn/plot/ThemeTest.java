package tn.plot;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every plot's look: tn's fonts draw every script with no CJK font on the machine, a white theme, Okabe-Ito colours. */
class ThemeTest {
    /** A chart whose title is text, drawn as tn draws every plot. */
    static BufferedImage titled(String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(300).height(200).title(title).build();
        chart.addSeries("s", new double[] {0, 1}, new double[] {0, 1});
        return ImageIO.read(new ByteArrayInputStream(Png.bytes(chart)));
    }

    static boolean samePixels(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++)
            for (int x = 0; x < a.getWidth(); x++)
                if (a.getRGB(x, y) != b.getRGB(x, y)) return false;
        return true;
    }

    /**
     * Two titles of the same characters in another order render differently only where the glyphs
     * differ: with a font that lacks them both would be two identical boxes. Java's own fonts on
     * this machine (no CJK fonts) draw such boxes, so the comparison can fail.
     */
    @Test
    void japaneseKoreanChineseAndCyrillicTitlesAreDrawnWithRealGlyphs() throws IOException {
        for (String pair : List.of("日本", "読働", "한국", "这们", "Жд")) {
            String swapped = new StringBuilder(pair).reverse().toString();
            assertFalse(samePixels(titled("x " + pair), titled("x " + swapped)), "real glyphs for " + pair);
        }
        java.awt.Font system = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12);
        if (!system.canDisplay('働')) { // where the machine has no CJK font, tn's fonts are what makes the difference
            assertTrue(Fonts.forText(List.of("働")).canDisplay('働'));
        }
    }

    @Test
    void theFontChosenIsTheOneThatShowsTheText() {
        assertEquals("Noto Sans JP", Fonts.forText(List.of("layer 3", "日本語の文を読む")).getFamily());
        assertEquals("Noto Sans KR", Fonts.forText(List.of("한국어 문장")).getFamily());
        assertEquals("Noto Sans SC", Fonts.forText(List.of("这是中文们")).getFamily());
        assertEquals("Noto Sans JP", Fonts.forText(List.of("Привет, Ünïcødé")).getFamily(), "all show it: the first");
    }

    @Test
    void plotsAreWhiteWithTheColourBlindSafePalette() throws IOException {
        XYChart chart = new XYChartBuilder().width(300).height(200).title("t").build();
        chart.addSeries("a", new double[] {0, 1}, new double[] {0, 1});
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Png.bytes(chart)));
        assertEquals(Color.WHITE.getRGB(), png.getRGB(2, 2), "the chart's background");
        assertEquals(Color.WHITE.getRGB(), png.getRGB(150, 60), "the plot's background, not XChart's grey");
        assertArrayEquals(Theme.PALETTE, chart.getStyler().getSeriesColors());
        XYChart own = new XYChartBuilder().width(300).height(200).build();
        own.getStyler().setSeriesColors(new Color[] {Color.MAGENTA});
        own.addSeries("a", new double[] {0, 1}, new double[] {0, 1});
        Png.bytes(own);
        assertArrayEquals(new Color[] {Color.MAGENTA}, own.getStyler().getSeriesColors(), "a plot's own colours stay");
    }

    @Test
    void theBaselinesBandIsDrawnOnlyWhereItHasOne() {
        double[] x = {0, 1}, y = {0.5, 0.6};
        XYChart chart = ConditionPlot.chart("t", "y",
                List.of(new ConditionPlot.Curve("all neurons", Theme.BLACK, false, x, y, null, null),
                        new ConditionPlot.Curve("random neurons off", Theme.ORANGE, true, x, y, new double[] {0.4, 0.5},
                                new double[] {0.6, 0.7})));
        assertEquals(List.of("random neurons off (95% interval)", "all neurons", "random neurons off"),
                List.copyOf(chart.getSeriesMap().keySet()), "the band under the curves, and a curve per condition");
        assertFalse(chart.getSeriesMap().get("random neurons off (95% interval)").isShowInLegend());
    }
}
