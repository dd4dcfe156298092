package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.qa.QaComparison;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * The original's question-answering scatter plot: per question answered at least as well as the
 * threshold without intervention, its plain F1 (x) against its F1 with the transfer neurons off
 * (green squares) and with the baseline off (red triangles), and the line y = x: points below it
 * lost F1.
 */
public final class QaScatterPlot {
    private QaScatterPlot() {}

    public static void write(Path file, String title, QaComparison.AtThreshold at, String deactivatedName) {
        XYChart chart = new XYChartBuilder()
                                .width(800)
                                .height(800)
                                .title(title)
                                .xAxisTitle("F1 without intervention")
                                .yAxisTitle("F1 with neurons off")
                                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setMarkerSize(9);
        List<Double> x = at.questions().stream().map(QaComparison.Question::plain).toList();
        points(chart, deactivatedName + " (" + at.questions().size() + ")", x,
                at.questions().stream().map(QaComparison.Question::deactivated).toList(), Theme.VERMILLION,
                SeriesMarkers.SQUARE);
        points(chart, "random neurons off (baseline)", x,
                at.questions().stream().map(QaComparison.Question::baseline).toList(), Theme.BLUE,
                SeriesMarkers.TRIANGLE_UP);
        XYSeries diagonal = chart.addSeries("y = x", List.of(0.0, 1.0), List.of(0.0, 1.0));
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setLineColor(Theme.GREY);
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        diagonal.setMarker(SeriesMarkers.NONE);
        Png.write(chart, file);
    }

    private static void points(
            XYChart chart, String name, List<Double> x, List<Double> y, Color colour, Marker marker) {
        if (x.isEmpty()) return; // XChart refuses an empty series: no question reached the threshold
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(marker);
        s.setMarkerColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 200));
    }
}
