package tn.plot;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.analysis.Pca;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The charts of the language latent spaces: a centroid-similarity heat map and a PCA scatter per layer. */
public final class LatentPlots {
    public static final int WIDTH = 800, HEIGHT = 640;

    private LatentPlots() {}

    /** "layer 3 of 24 (0 = embeddings)": the paper's numbering, layer l the output of the l-th block. */
    public static String layerName(int layer, int last) {
        return "layer " + layer + " of " + last + " (0 = embeddings)";
    }

    /**
     * Cosines between language centroids, languages on both axes, values in the cells. The scale
     * is 0..1 when no cosine is negative (the usual case: a finer scale), else -1..1.
     */
    public static HeatMapChart heatmap(List<String> langs, double[][] cos, String title) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        List<Number[]> cells = new ArrayList<>();
        double min = 0;
        for (int a = 0; a < langs.size(); a++) {
            for (int b = 0; b < langs.size(); b++) {
                if (Double.isNaN(cos[a][b])) continue; // a zero centroid: no cell rather than a wrong colour
                cells.add(new Number[] {a, b, cos[a][b]});
                min = Math.min(min, cos[a][b]);
            }
        }
        chart.getStyler()
                .setMin(min < 0 ? -1 : 0)
                .setMax(1)
                .setShowValue(true)
                .setHeatMapValueDecimalPattern("0.000")
                .setRangeColors(
                        new java.awt.Color[] {new java.awt.Color(0xF7FBFF), new java.awt.Color(0x9ECAE1), Theme.SKY})
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.addSeries("cosine similarity", langs, langs, cells);
        return chart;
    }

    /** The sample's first two principal coordinates, one colour per language. */
    public static XYChart scatter(List<String> langs, int[] langOfRow, Pca pca, String title) {
        XYChart chart = new XYChartBuilder()
                                .width(WIDTH)
                                .height(HEIGHT)
                                .title(title)
                                .xAxisTitle(axis(1, pca.explained()[0]))
                                .yAxisTitle(axis(2, pca.explained()[1]))
                                .build();
        chart.getStyler()
                .setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        for (int g = 0; g < langs.size(); g++) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < langOfRow.length; i++) {
                if (langOfRow[i] != g) continue;
                x.add(pca.coordinates()[i][0]);
                y.add(pca.coordinates()[i][1]);
            }
            if (!x.isEmpty()) chart.addSeries(langs.get(g), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Per language a line over the layers: components[g][l], how many components explain the threshold. */
    public static XYChart components(List<String> langs, int[][] components, String title) {
        XYChart chart = new XYChartBuilder()
                                .width(WIDTH)
                                .height(HEIGHT)
                                .title(title)
                                .xAxisTitle("layer (0 = embeddings)")
                                .yAxisTitle("components")
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        for (int g = 0; g < langs.size(); g++) {
            List<Integer> x = new ArrayList<>(), y = new ArrayList<>();
            for (int l = 0; l < components[g].length; l++) {
                x.add(l);
                y.add(components[g][l]);
            }
            chart.addSeries(langs.get(g), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static String axis(int pc, double explained) {
        return String.format(Locale.ROOT, "PC%d (%.1f%% of variance)", pc, 100 * explained);
    }
}
