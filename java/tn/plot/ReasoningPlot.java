package tn.plot;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MMLU-ProX accuracy per subject (and in all), one bar per run side by side: plain, transfer
 * neurons off, the random baseline, as tn reasoning's runs are given.
 */
public final class ReasoningPlot {
    private static final Color[] COLORS = {new Color(0x555555), new Color(0xd62728), new Color(0x1f77b4),
            new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};

    /** One run's bars: its label and accuracy by subject (in the order to show, "total" last). */
    public record Series(String label, Map<String, Double> accuracy) {}

    private ReasoningPlot() {}

    public static void write(Path file, String title, List<Series> runs) {
        Set<String> subjects = new LinkedHashSet<>();
        for (Series s : runs) subjects.addAll(s.accuracy().keySet());
        List<String> order = new ArrayList<>(subjects);
        if (order.remove("total")) order.add("total");
        CategoryChart chart = new CategoryChartBuilder()
                                      .width(Math.max(700, 90 * order.size() + 200))
                                      .height(520)
                                      .title(title)
                                      .xAxisTitle("subject")
                                      .yAxisTitle("accuracy (exact match)")
                                      .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setSeriesColors(COLORS);
        for (Series s : runs) {
            List<Double> values = order.stream().map(k -> s.accuracy().getOrDefault(k, Double.NaN)).toList();
            chart.addSeries(s.label(), order, values);
        }
        Png.write(chart, file);
    }
}
