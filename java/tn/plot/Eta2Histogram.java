package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The distribution of eta^2 over each ranking's neurons, one step line per ranking, in shares of
 * the ranking's neurons so that rankings of different sizes compare; dashed verticals at the
 * paper's thresholds 0.1 and 0.25.
 */
public final class Eta2Histogram {
    private static final int BINS = 40;

    private Eta2Histogram() {}

    /** eta2: per series name, the defined eta^2 values; total: per series, its neurons, NaN ones included. */
    public static void write(
            Path file, String title, Map<String, List<Double>> eta2, Map<String, Integer> total, double... thresholds) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title(title)
                                .xAxisTitle("eta² (correlation ratio of the activation with the target-language label)")
                                .yAxisTitle("share of the ranking's neurons per bin of " + (1.0 / BINS))
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0);
        double peak = 0;
        for (var e : eta2.entrySet()) {
            int n = total.get(e.getKey());
            double[] share = new double[BINS];
            for (double v : e.getValue()) share[Math.min(BINS - 1, (int) (v * BINS))] += 1.0 / n; // 1.0 in the last bin
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            // a step line over the bins' edges: each bin's share held across its width
            for (int b = 0; b < BINS; b++) {
                x.add((double) b / BINS);
                y.add(share[b]);
                x.add((double) (b + 1) / BINS);
                y.add(share[b]);
                peak = Math.max(peak, share[b]);
            }
            XYSeries series = chart.addSeries(e.getKey() + " (" + n + " neurons)", x, y);
            series.setMarker(SeriesMarkers.NONE);
        }
        for (double t : thresholds) {
            XYSeries line = chart.addSeries("eta² = " + t, List.of(t, t), List.of(0.0, Math.max(peak, 1e-3)));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setLineColor(Color.GRAY);
        }
        Png.write(chart, file);
    }
}
