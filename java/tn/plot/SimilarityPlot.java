package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.analysis.PairSimilarity;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mean similarity per layer with a band of one standard deviation, parallel against non-parallel pairs. */
public final class SimilarityPlot {
    private static final Color PARALLEL = Theme.BLUE, NON_PARALLEL = Theme.VERMILLION;

    private SimilarityPlot() {}

    /** Plots channels first..first+layers-1 of result as layers 0..layers-1. */
    public static void write(
            Path file, String title, String subject, PairSimilarity.Result result, int first, int layers) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title(title + ": " + subject)
                                .xAxisTitle("layer")
                                .yAxisTitle("cosine similarity (mean, band: ± 1 std)")
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        series(chart, "parallel pairs", PARALLEL, result.parallelMean(), result.parallelStd(), first, layers);
        series(chart, "non-parallel pairs", NON_PARALLEL, result.nonParallelMean(), result.nonParallelStd(), first,
                layers);
        Png.write(chart, file);
    }

    private static void series(
            XYChart chart, String name, Color colour, double[] mean, double[] std, int first, int layers) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> bandX = new ArrayList<>();
        List<Double> bandY = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            x.add(l);
            y.add(mean[first + l]);
            bandX.add(l);
            bandY.add(mean[first + l] + std[first + l]);
        }
        for (int l = layers - 1; l >= 0; l--) { // back along the lower edge: a closed polygon
            bandX.add(l);
            bandY.add(mean[first + l] - std[first + l]);
        }
        XYSeries band = chart.addSeries(name + " ± std", bandX, bandY);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
        band.setLineColor(new Color(0, 0, 0, 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
        XYSeries line = chart.addSeries(name, x, y);
        line.setLineColor(colour);
        line.setMarkerColor(colour);
        line.setMarker(SeriesMarkers.CIRCLE);
    }
}
