package tn.plot;

import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.theme.XChartTheme;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * tn's look for every plot, applied as it is written (Png): white background, light grey grid,
 * no plot frame, the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies) for series without a colour of their own, and the shipped font that shows the
 * chart's text (Fonts), at the sizes and styles each plot chose.
 */
public final class Theme {
    /** Okabe and Ito's colour-blind-safe palette, most distinct first (yellow last: faint on white). */
    public static final Color BLUE = new Color(0x0072B2), VERMILLION = new Color(0xD55E00), GREEN = new Color(0x009E73),
                              ORANGE = new Color(0xE69F00), PURPLE = new Color(0xCC79A7), SKY = new Color(0x56B4E9),
                              BLACK = new Color(0x000000), YELLOW = new Color(0xF0E442), GREY = new Color(0x999999);
    public static final Color[] PALETTE = {BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW};
    /** XChart's default palette, replaced; colours a plot chose are kept. */
    private static final Color[] XCHART_COLORS = new XChartTheme().getSeriesColors();
    private static final Color GRID = new Color(0xE5E5E5), TEXT = new Color(0x222222);

    private Theme() {}

    /** The colour c at alpha 0..255: bands and translucent markers. */
    public static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    static void apply(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        Font font = Fonts.forText(text(chart));
        s.setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setPlotBorderVisible(false)
                .setChartFontColor(TEXT)
                .setChartTitleBoxVisible(false)
                .setLegendBackgroundColor(alpha(Color.WHITE, 230))
                .setLegendBorderColor(GRID);
        if (s.getSeriesColors() == null || Arrays.equals(s.getSeriesColors(), XCHART_COLORS))
            s.setSeriesColors(PALETTE);
        s.setChartTitleFont(like(font, s.getChartTitleFont()));
        s.setLegendFont(like(font, s.getLegendFont()));
        s.setAnnotationTextFont(like(font, s.getAnnotationTextFont()));
        s.setAnnotationTextPanelFont(like(font, s.getAnnotationTextPanelFont()));
        s.setBaseFont(like(font, s.getBaseFont()));
        if (s instanceof AxesChartStyler a) {
            a.setPlotGridLinesColor(GRID)
                    .setAxisTickMarksColor(GREY)
                    .setAxisTickLabelsColor(TEXT)
                    .setAxisTitleFont(like(font, a.getAxisTitleFont()))
                    .setAxisTickLabelsFont(like(font, a.getAxisTickLabelsFont()));
        }
        if (s instanceof HeatMapStyler h) h.setValueFont(like(font, h.getValueFont()));
    }

    private static Font like(Font family, Font sizeAndStyle) {
        return sizeAndStyle == null ? family.deriveFont(12f)
                                    : family.deriveFont(sizeAndStyle.getStyle(), sizeAndStyle.getSize2D());
    }

    /** Every piece of text the chart draws that data can put there: titles, series names, categories. */
    private static List<String> text(Chart<?, ?> chart) {
        List<String> texts = new ArrayList<>();
        texts.add(chart.getTitle());
        texts.add(chart.getXAxisTitle());
        texts.add(chart.getYAxisTitle());
        texts.addAll(chart.getSeriesMap().keySet());
        for (Object series : chart.getSeriesMap().values()) {
            if (series instanceof CategorySeries c) c.getXData().forEach(x -> texts.add(String.valueOf(x)));
        }
        if (chart instanceof HeatMapChart h && h.getHeatMapSeries() != null) {
            h.getHeatMapSeries().getXData().forEach(x -> texts.add(String.valueOf(x)));
            h.getHeatMapSeries().getYData().forEach(y -> texts.add(String.valueOf(y)));
        }
        texts.removeIf(Objects::isNull);
        return texts;
    }
}
