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

/**
 * Mean similarity per layer with a band (one standard deviation over the pairs, or the 95% interval
 * of several baselines' means), parallel against non-parallel pairs.
 */
public final class SimilarityPlot {
    private static final Color PARALLEL = Theme.BLUE, NON_PARALLEL = Theme.VERMILLION;

    private SimilarityPlot() {}

    /** One curve: the mean per layer and the band drawn around it, from low to high. */
    public record Curve(double[] mean, double[] low, double[] high) {
        /** Channels first..first+layers-1 of mean, with a band of one standard deviation. */
        static Curve ofStd(double[] mean, double[] std, int first, int layers) {
            double[] m = new double[layers], lo = new double[layers], hi = new double[layers];
            for (int l = 0; l < layers; l++) {
                m[l] = mean[first + l];
                lo[l] = mean[first + l] - std[first + l];
                hi[l] = mean[first + l] + std[first + l];
            }
            return new Curve(m, lo, hi);
        }
    }

    /** Plots channels first..first+layers-1 of result as layers 0..layers-1. */
    public static void write(
            Path file, String title, String subject, PairSimilarity.Result result, int first, int layers) {
        write(file, title + ": " + subject, "cosine similarity (mean, band: ± 1 std)",
                Curve.ofStd(result.parallelMean(), result.parallelStd(), first, layers),
                Curve.ofStd(result.nonParallelMean(), result.nonParallelStd(), first, layers));
    }

    /** Plots the curves of parallel and non-parallel pairs over layers 0.., their bands as yAxis says. */
    public static void write(Path file, String title, String yAxis, Curve parallel, Curve nonParallel) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title(title)
                                .xAxisTitle("layer")
                                .yAxisTitle(yAxis)
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        series(chart, "parallel pairs", PARALLEL, parallel);
        series(chart, "non-parallel pairs", NON_PARALLEL, nonParallel);
        Png.write(chart, file);
    }

    private static void series(XYChart chart, String name, Color colour, Curve curve) {
        int layers = curve.mean().length;
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> bandX = new ArrayList<>();
        List<Double> bandY = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            x.add(l);
            y.add(curve.mean()[l]);
            bandX.add(l);
            bandY.add(curve.high()[l]);
        }
        for (int l = layers - 1; l >= 0; l--) { // back along the lower edge: a closed polygon
            bandX.add(l);
            bandY.add(curve.low()[l]);
        }
        XYSeries band = chart.addSeries(name + " band", bandX, bandY);
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
