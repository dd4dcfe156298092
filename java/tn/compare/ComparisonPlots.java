package tn.compare;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.plot.LayerCountsPlot;
import tn.plot.Png;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** The charts of tn compare (drawn with tn.plot's helpers): top n per layer, agreement against bits per weight, score shift against noise. */
public final class ComparisonPlots {
    private ComparisonPlots() {}

    /** Each run's top n per scored layer, side by side. */
    public static void layers(Comparison c, Path file) {
        int[] layers = c.scoredLayers();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Comparison.Row row : c.rows()) {
            if (row.topNPerLayer() != null) // a top-n list shorter than n has none
                counts.put(row.label(), IntStream.of(layers).map(l -> row.topNPerLayer()[l]).toArray());
        }
        LayerCountsPlot.write(
                file, "Top-" + c.topN() + " transfer neurons per layer: " + subject(c), c.topN(), layers, counts);
    }

    /** Spearman, Kendall and each top-k overlap with the reference, against the runs' bits per weight. */
    public static void agreement(Comparison c, Path file) {
        DetectionOutput reference = c.reference();
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title("Agreement with "
                                        + c.rows()
                                                .stream()
                                                .filter(r -> r.run() == reference)
                                                .findFirst()
                                                .map(Comparison.Row::label)
                                                .orElse(reference.fileType())
                                        + " by bits per weight (" + subject(c) + ")")
                                .xAxisTitle("bits per weight (file size x 8 / parameters)")
                                .yAxisTitle("agreement with the reference")
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        // bits per weight from ~2 to 32 on a log axis: each halving of the bits takes the same width
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        double[] range = agreementRange(c);
        chart.getStyler().setYAxisMin(range[0]);
        chart.getStyler().setYAxisMax(range[1]);
        // the original implementation's rankings record no model file, so no bits per weight
        List<Comparison.Row> byBits = c.rows()
                                              .stream()
                                              .filter(r -> !Double.isNaN(r.run().bitsPerWeight()))
                                              .sorted(Comparator.comparingDouble(r -> r.run().bitsPerWeight()))
                                              .toList();
        List<Double> bits = byBits.stream().map(r -> r.run().bitsPerWeight()).toList();
        series(chart, "Spearman", bits, byBits.stream().map(r -> r.agreement().spearman()).toList());
        series(chart, "Kendall tau", bits, byBits.stream().map(r -> r.agreement().kendall()).toList());
        List<Agreement.TopK> ks = c.rows().get(0).agreement().topK();
        for (int j = 0; j < ks.size(); j++) {
            int jj = j;
            series(chart, "top-" + ks.get(j).k() + " overlap", bits,
                    byBits.stream().map(r -> r.agreement().topK().get(jj).overlap()).toList());
        }
        Png.write(chart, file);
    }

    /** Per layer, each run's root-mean-square score shift from the reference, beside the reference's RMS standard error. */
    public static void shift(Comparison c, Path file) {
        DetectionOutput reference = c.reference();
        XYChart chart =
                new XYChartBuilder()
                        .width(1000)
                        .height(560)
                        .title("Score shift against the reference's standard error, per layer (" + subject(c) + ")")
                        .xAxisTitle("layer")
                        .yAxisTitle("root mean square over the layer's neurons")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.0##E0");
        List<Integer> x = IntStream.of(c.scoredLayers()).boxed().toList();
        for (Comparison.Row row : c.rows()) {
            if (row.run() == reference || !row.run().scored()) continue;
            series(chart, row.label() + " shift", x.stream().map(l -> (double) l).toList(),
                    x.stream()
                            .map(l -> layerRms(reference, l, i -> row.run().scores()[i] - reference.scores()[i]))
                            .toList());
        }
        XYSeries se = chart.addSeries("reference's standard error", x,
                x.stream().map(l -> layerRms(reference, l, i -> reference.standardErrors()[i])).toList());
        se.setMarker(SeriesMarkers.NONE);
        se.setLineStyle(
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        Png.write(chart, file);
    }

    /**
     * The y axis zoomed to the agreements plotted, with a margin of a tenth of their spread (at
     * least 0.01) and never above 1: differences between quantizations of 0.001 show.
     */
    static double[] agreementRange(Comparison c) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Comparison.Row r : c.rows()) {
            List<Double> values = new java.util.ArrayList<>(List.of(r.agreement().spearman(), r.agreement().kendall()));
            for (Agreement.TopK k : r.agreement().topK()) values.add(k.overlap());
            for (double v : values) {
                if (Double.isNaN(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) return new double[] {0, 1};
        double margin = Math.max(0.01, (hi - lo) / 10);
        return new double[] {Math.max(-1, lo - margin), Math.min(1, hi + margin)};
    }

    /** The model, type and language the comparison is about, for titles. */
    private static String subject(Comparison c) {
        DetectionOutput r = c.reference();
        Path name = (r.fromOriginal() ? r.dir() : Path.of(r.modelPath())).getFileName();
        return (name == null ? r.architecture() : name.toString()) + ", " + r.type() + ", " + r.lang();
    }

    private static double layerRms(DetectionOutput reference, int layer, IntToDoubleFunction value) {
        double ss = 0;
        int n = reference.nFf();
        for (int i = layer * n; i < (layer + 1) * n; i++) {
            double v = value.applyAsDouble(i);
            ss += v * v;
        }
        return Math.sqrt(ss / n);
    }

    /** A line through the points whose y exists (a top-n list has no rank correlations); none if no point does. */
    private static void series(XYChart chart, String name, List<Double> x, List<Double> y) {
        List<Integer> points = IntStream.range(0, y.size()).filter(i -> !Double.isNaN(y.get(i))).boxed().toList();
        if (points.isEmpty()) return;
        chart.addSeries(name, points.stream().map(x::get).toList(), points.stream().map(y::get).toList())
                .setMarker(SeriesMarkers.CIRCLE);
    }
}
