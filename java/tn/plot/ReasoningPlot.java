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
    /** all neurons, then transfer neurons off and random neurons off of each type, as the runs come. */
    private static final Color[] COLORS = {
            Theme.BLACK, Theme.VERMILLION, Theme.ORANGE, Theme.BLUE, Theme.SKY, Theme.GREEN, Theme.PURPLE};

    /** One run's bars: its label and accuracy by subject (in the order to show, "total" last). */
    public record Series(String label, Map<String, Double> accuracy) {}

    private ReasoningPlot() {}

    public static void write(Path file, String title, List<Series> runs) {
        Png.write(chart(title, runs), file);
    }

    public static CategoryChart chart(String title, List<Series> runs) {
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
        return chart;
    }
}
