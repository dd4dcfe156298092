package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * One measure per layer under the conditions the paper compares, as curves of one figure: all
 * neurons, transfer neurons off, random neurons off (the baseline: its mean, and where it was run
 * with several random draws a shaded 95% interval across them).
 */
public final class ConditionPlot {
    /** A curve: y[i] at layer x[i]; low and high its band, or null. */
    public record
            Curve(String name, Color colour, boolean dashed, double[] x, double[] y, double[] low, double[] high) {}

    private ConditionPlot() {}

    public static XYChart chart(String title, String yTitle, List<Curve> curves) {
        XYChart chart =
                new XYChartBuilder().width(760).height(600).title(title).xAxisTitle("layer").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.0##");
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(13f));
        chart.getStyler().setAxisTitleFont(chart.getStyler().getAxisTitleFont().deriveFont(13f));
        chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(12f));
        for (Curve c : curves) {
            if (c.low() != null && c.high() != null) band(chart, c);
        }
        for (Curve c : curves) {
            XYSeries line = chart.addSeries(c.name(), c.x(), c.y());
            line.setLineColor(c.colour());
            line.setMarkerColor(c.colour());
            line.setMarker(c.dashed() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (c.dashed()) line.setLineStyle(SeriesLines.DASH_DASH);
        }
        return chart;
    }

    private static void band(XYChart chart, Curve c) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (int i = 0; i < c.x().length; i++) {
            x.add(c.x()[i]);
            y.add(c.high()[i]);
        }
        for (int i = c.x().length - 1; i >= 0; i--) { // back along the lower edge: a closed polygon
            x.add(c.x()[i]);
            y.add(c.low()[i]);
        }
        XYSeries band = chart.addSeries(c.name() + " (95% interval)", x, y);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(Theme.alpha(c.colour(), 50));
        band.setLineColor(Theme.alpha(c.colour(), 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }
}
