package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.analysis.NeuronSet;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Mutual kNN alignment of English and L2 hidden states, by layer. */
public final class MknnPlot {
    private static final int TITLE_CHARS = 110; // what a 1000-pixel chart's title font fits, with a margin

    private MknnPlot() {}

    /** scores[l]: the alignment at layer l; off: the neurons switched off, named in the title. */
    public static void write(Path file, String lang, int k, String model, NeuronSet off, double[] scores) {
        write(file, lang, title(lang, k, model, off.neurons().size(), off.origin()), scores, null, null);
    }

    /**
     * The mean alignment of several baselines' runs, each with offCount neurons off (origin names
     * them all), with the 95% interval across them, low[l]..high[l], as a band.
     */
    public static void write(Path file, String lang, int k, String model, int offCount, String origin, double[] scores,
            double[] low, double[] high) {
        write(file, lang, title(lang, k, model, offCount, origin + ": mean, band: 95% interval"), scores, low, high);
    }

    private static void write(Path file, String lang, String title, double[] scores, double[] low, double[] high) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title(title)
                                .xAxisTitle("layer")
                                .yAxisTitle("mutual kNN alignment (shared neighbours / k)")
                                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<Integer> layers = IntStream.range(0, scores.length).boxed().toList();
        if (low != null) {
            List<Integer> bandX = new ArrayList<>(layers);
            List<Double> bandY = new ArrayList<>();
            for (double h : high) bandY.add(h);
            for (int l = scores.length - 1; l >= 0; l--) { // back along the lower edge: a closed polygon
                bandX.add(l);
                bandY.add(low[l]);
            }
            XYSeries band = chart.addSeries("95% interval", bandX, bandY);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(0x1f, 0x77, 0xb4, 60));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setMarker(SeriesMarkers.NONE);
        }
        chart.addSeries("en-" + lang, layers, IntStream.range(0, scores.length).mapToObj(l -> scores[l]).toList())
                .setMarker(SeriesMarkers.CIRCLE);
        Png.write(chart, file);
    }

    /**
     * Model, languages, k and the neurons off; a long origin (a ranking's path) loses its middle,
     * since a title that does not fit the chart is cut at both ends.
     */
    private static String title(String lang, int k, String model, int offCount, String origin) {
        String head = "Mutual kNN alignment, en-" + lang + ", k = " + k + ": " + model + ", ";
        if (offCount == 0) return head + "no deactivation";
        String with = "with " + offCount + " neurons off (";
        int room = Math.max(TITLE_CHARS - head.length() - with.length() - 1, 20);
        if (origin.length() > room) {
            int keep = room - 3;
            origin = origin.substring(0, keep / 2) + "..." + origin.substring(origin.length() - (keep - keep / 2));
        }
        return head + with + origin + ")";
    }
}
