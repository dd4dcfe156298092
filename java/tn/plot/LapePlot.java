package tn.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import tn.analysis.Lape;
import tn.llama.Neuron;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How many language-specific neurons each layer holds, one line per language (Tang et al.'s Figure 2). */
public final class LapePlot {
    private LapePlot() {}

    public static void write(Path file, List<String> languages, Lape.Selection selection, int nLayer, String subject) {
        XYChart chart = new XYChartBuilder()
                                .width(1000)
                                .height(560)
                                .title("Language-specific neurons per layer (LAPE): " + subject)
                                .xAxisTitle("layer")
                                .yAxisTitle("neurons")
                                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        List<Integer> layers = new ArrayList<>();
        for (int l = 0; l < nLayer; l++) layers.add(l);
        for (int g = 0; g < languages.size(); g++) {
            int[] perLayer = new int[nLayer];
            for (Neuron n : selection.byLanguage().get(g)) perLayer[n.layer()]++;
            List<Integer> y = new ArrayList<>();
            for (int c : perLayer) y.add(c);
            chart.addSeries(languages.get(g) + " (" + selection.byLanguage().get(g).size() + ")", layers, y);
        }
        Png.write(chart, file);
    }
}
