package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.method.Stability;

import java.nio.file.Path;
import java.util.List;

/**
 * How well two independent samples of sentences agree on a ranking, against the sample's size:
 * the top-k overlaps and Spearman's rho between disjoint halves of the blocks, per sample size.
 */
public final class StabilityPlot {
    private StabilityPlot() {}

    public static void write(Path file, String subject, Stability.Result result) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title("Agreement of rankings from two independent samples: " + subject)
                                .xAxisTitle("sentences per sample")
                                .yAxisTitle("agreement between the two samples' rankings")
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        List<Stability.CurvePoint> curve = result.curve();
        List<Double> x = curve.stream().map(Stability.CurvePoint::meanItems).toList();
        for (int j = 0; j < result.ks().length; j++) {
            int jj = j;
            XYSeries s = chart.addSeries(
                    "top-" + result.ks()[j] + " overlap", x, curve.stream().map(p -> p.overlap()[jj]).toList());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        XYSeries rho = chart.addSeries(
                "Spearman's rho, all candidates", x, curve.stream().map(Stability.CurvePoint::spearman).toList());
        rho.setMarker(SeriesMarkers.DIAMOND);
        Png.write(chart, file);
    }
}
