package tn.plot;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tn.analysis.Overlap;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/** Neurons shared by two sets per layer, observed against expected by chance, as bars side by side. */
public final class OverlapPlot {
    private OverlapPlot() {}

    public static void write(Path file, String title, Overlap overlap) {
        CategoryChart chart = new CategoryChartBuilder()
                                      .width(1000)
                                      .height(560)
                                      .title(title)
                                      .xAxisTitle("layer")
                                      .yAxisTitle("neurons in both sets")
                                      .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setYAxisDecimalPattern("#0.###");
        chart.getStyler().setSeriesColors(new Color[] {Theme.BLUE, Theme.GREY});
        List<Overlap.Row> rows = overlap.layers();
        List<Integer> layers = rows.stream().map(Overlap.Row::layer).toList();
        chart.addSeries("observed", layers, rows.stream().map(r -> (double) r.observed()).toList());
        chart.addSeries("expected by chance", layers, rows.stream().map(Overlap.Row::expected).toList());
        Png.write(chart, file);
    }
}
