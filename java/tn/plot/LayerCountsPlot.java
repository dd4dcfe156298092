package tn.plot;

import java.io.PrintWriter;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many of a ranking's top n neurons lie in each layer, the paper's distribution figure: a bar
 * per layer, and side by side one series per ranking when several are compared.
 */
public final class LayerCountsPlot {
    private LayerCountsPlot() {}

    /** counts[label][l]: the ranking's top n in layers[l]. */
    public static void write(Path file, String title, int topN, int[] layers, Map<String, int[]> counts) {
        Png.write(chart(title, topN, layers, counts, 1000, 560), file);
    }

    public static CategoryChart chart(
            String title, int topN, int[] layers, Map<String, int[]> counts, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder()
                                      .width(width)
                                      .height(height)
                                      .title(title)
                                      .xAxisTitle("layer")
                                      .yAxisTitle("neurons in the top " + topN)
                                      .build();
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setLegendVisible(counts.size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisMin(0.0);
        List<Integer> x = Arrays.stream(layers).boxed().toList();
        counts.forEach((label, n) -> chart.addSeries(label, x, Arrays.stream(n).boxed().toList()));
        return chart;
    }

    /**
     * The same figure as text: a row per layer with its count and a bar of up to 40 characters,
     * the longest bar for the fullest layer.
     */
    public static void printTable(PrintWriter out, String title, int[] layers, int[] counts) {
        int most = Math.max(1, Arrays.stream(counts).max().orElse(0));
        out.println(title);
        out.printf("%6s %8s%n", "layer", "neurons");
        for (int j = 0; j < layers.length; j++) {
            out.printf("%6d %8d  %s%n", layers[j], counts[j], "#".repeat((int) Math.round(40.0 * counts[j] / most)));
        }
    }

    /** One ranking's counts. */
    public static void write(Path file, String title, int topN, int[] layers, int[] counts) {
        Map<String, int[]> one = new LinkedHashMap<>();
        one.put("top " + topN, counts);
        write(file, title, topN, layers, one);
    }
}
