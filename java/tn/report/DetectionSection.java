package tn.report;

import org.knowm.xchart.CategoryChart;
import tn.plot.LayerCountsPlot;
import tn.plot.Png;
import tn.plot.Theme;

import java.awt.Color;
import java.awt.Font;
import java.util.Map;
import java.util.stream.IntStream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the transfer neurons lie: each language's Type-1 and Type-2 layer distributions side by
 * side (detect's layers.png), with the share of the top n in the half of the model the paper
 * places them in.
 */
final class DetectionSection {
    static final String ID = "where", TITLE = "Where the transfer neurons lie";
    private static final String PAPER = "Type-1 transfer neurons concentrate in the early and middle layers, where "
            + "they move the L2's representations toward the shared latent space; Type-2 neurons lie in the final "
            + "layers, where they move them back toward the language's own space.";
    private static final int MAX_RANKING_ROWS = 100_000;

    private DetectionSection() {}

    /** Where one ranking's top n lie. */
    record Layers(int topN, int nLayer, int[] perLayer) {
        int peak() {
            int best = 0;
            for (int l = 1; l < perLayer.length; l++)
                if (perLayer[l] > perLayer[best]) best = l;
            return best;
        }

        /** The share of the top n in layers [from, to). */
        double share(int from, int to) {
            int n = 0;
            for (int l = from; l < to && l < perLayer.length; l++) n += perLayer[l];
            return topN == 0 ? 0 : (double) n / topN;
        }

        /** "78% of the top 100 in layers 0-15 (the first half of 32); most in layer 3 (21)". */
        String sentence(String type) {
            int half = nLayer / 2;
            boolean first = !type.equals("type2");
            String range = first ? "layers 0-" + (half - 1) : "layers " + half + "-" + (nLayer - 1);
            return Numbers.percent(first ? share(0, half) : share(half, nLayer)) + " of the top " + topN + " in "
                    + range + " (the " + (first ? "first" : "second") + " half of " + nLayer + "); most in layer "
                    + peak() + " (" + perLayer[peak()] + ")";
        }

        /** Every layer of the model on the x axis, so that Type-1 and Type-2 side by side show where each lies. */
        CategoryChart chart(String type, String lang) {
            int[] all = IntStream.range(0, nLayer).toArray();
            CategoryChart chart = LayerCountsPlot.chart(
                    Experiment.typeName(type) + " transfer neurons, " + lang + ": top " + topN + " per layer", topN,
                    all, Map.of("top " + topN, perLayer), 700, 360);
            chart.getStyler().setSeriesColors(new Color[] {type.equals("type2") ? Theme.BLUE : Theme.VERMILLION});
            chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(Font.BOLD, 15f));
            chart.getStyler().setAxisTitleFont(chart.getStyler().getAxisTitleFont().deriveFont(13f));
            chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(12f));
            return chart;
        }

        static Layers read(RunFolder folder) {
            Path ranking = folder.dir().resolve("ranking.tsv");
            int nLayer =
                    folder.runJson().flatMap(r -> r.optionalText("model.n_layer")).map(Integer::parseInt).orElse(0);
            if (!Files.isRegularFile(ranking) || nLayer <= 0) return null;
            DelimitedTable t = DelimitedTable.read(ranking, MAX_RANKING_ROWS);
            int column = t.header().indexOf("layer");
            if (column < 0) return null;
            int[] perLayer = new int[nLayer];
            int n = 0;
            for (List<String> row : t.rows()) {
                try {
                    int l = Integer.parseInt(row.get(column).strip());
                    if (l >= 0 && l < nLayer) perLayer[l]++;
                    n++;
                } catch (RuntimeException e) {
                    // a row without a layer is not counted
                }
            }
            return new Layers(n, nLayer, perLayer);
        }
    }

    static void write(Page page, List<Run> detections) {
        List<String> sentences = new ArrayList<>();
        List<Runnable> rows = new ArrayList<>();
        for (String lang : Run.languages(detections)) {
            List<Page.Figure> figures = new ArrayList<>();
            for (Run r : detections.stream()
                            .filter(r -> r.lang().equals(lang))
                            .sorted(java.util.Comparator.comparing(Run::type))
                            .toList()) {
                Layers layers = Layers.read(r.folder());
                String name = Experiment.typeName(r.type()) + ", " + lang;
                String caption = name + (layers == null ? "" : ": " + layers.sentence(r.type()));
                if (layers != null) sentences.add(name + ": " + layers.sentence(r.type()));
                if (layers != null)
                    figures.add(Page.Figure.of(Png.bytes(layers.chart(r.type(), lang)),
                            "layer distribution of " + name + " (" + r.folder().name() + ")", caption));
            }
            rows.add(() -> page.figures(figures));
        }
        page.sentences(PAPER,
                sentences.isEmpty() ? ""
                                    : String.join("; ", sentences.subList(0, Math.min(2, sentences.size())))
                                + (sentences.size() > 2 ? "; each figure's caption gives the rest." : "."));
        rows.forEach(Runnable::run);
    }
}
