package tn.run;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tn.analysis.MknnFeatures;
import tn.analysis.NeuronSet;
import tn.data.Dataset;
import tn.io.AtomicFile;
import tn.llama.Capture;
import tn.llama.Deactivation;
import tn.llama.Positions;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.HiddenStates;
import tn.plot.Png;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code tn mknn}: mutual k-nearest-neighbour alignment of the English and L2 hidden states of
 * parallel pairs, per layer (METHOD.md analysis 3), optionally with neurons switched off at the
 * L2 side's last token. Writes DIR/mknn.csv, DIR/mknn.png and DIR/deactivated.tsv.
 */
public final class MknnRun extends Run {
    private static final int TITLE_CHARS = 110;    // what a 1000-pixel chart's title font fits, with a margin

    private final int k;
    private final NeuronSet.Choice choice;
    private final long seed;

    private HiddenStates states;
    private NeuronSet off;
    private Deactivation deactivation;
    private MknnFeatures features;
    private double[] result;

    /**
     * @param k    neighbours per item
     * @param off  the neurons switched off on the L2 side
     * @param seed the baseline's seed, for run.json
     */
    public record Params(int k, NeuronSet.Choice off, long seed) {
        public Params {
            if (k < 1) throw new IllegalArgumentException("--k must be at least 1, is " + k);
        }
    }

    private final String lang;

    /** Aligns the en/L2 pairs of context's input. */
    public MknnRun(RunContext context, Params params) {
        super(context);
        if (!(context.input() instanceof RunInput.Pairs)) throw new IllegalArgumentException("mknn reads en/L2 pairs");
        this.lang = context.input().lang();
        this.k = params.k();
        this.choice = params.off();
        this.seed = params.seed();
    }

    @Override
    protected String command() {
        return "mknn";
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        Dataset data = files.get(0);
        states = new HiddenStates(model.info().nLayer(), settings.lastLayer());
        off = choice.resolve(model.info().nLayer(), model.info().nFf());
        deactivation = off.deactivation(Positions.LAST_TOKEN);
        Items items = Items.pairs(model, data, settings.contextSize(), settings.strict(), err);
        if (k >= items.size()) {
            throw new IllegalArgumentException("--k " + k + " must be less than the number of pairs: " + context.input().files().get(0)
                    + " has " + items.size() + " that fit the context, and each pair's neighbours are the others");
        }
        features = new MknnFeatures(model.info().nLayer(), items.size(), model.info().nEmbd());
        return items;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", k);
        p.putAll(off.parameters());
        p.put("seed", seed);
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture en = forward(session, items.first(from, to), states.captureSpec());
        Capture l2 = forward(session, items.second(from, to), states.captureSpec(), deactivation);
        score(() -> features.add(from, layers(en), layers(l2), to - from));
    }

    private float[][] layers(Capture c) {
        return IntStream.range(0, states.nLayer()).mapToObj(l -> states.at(c, l)).toArray(float[][]::new);
    }

    @Override
    protected Accumulator accumulator() {
        return features;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        score(() -> result = features.scores(k));
        Path csv = dir.resolve("mknn.csv"), png = dir.resolve("mknn.png"), tsv = dir.resolve("deactivated.tsv");
        StringBuilder b = new StringBuilder("layer,score\n");
        for (int l = 0; l < result.length; l++) b.append(l).append(',').append(result[l]).append('\n');
        AtomicFile.writeString(csv, b.toString());
        Png.write(chart(), png);
        off.writeTsv(tsv);
        return List.of(csv, png, tsv);
    }

    /**
     * Model, languages, k and the neurons off; a long origin (a ranking's path) loses its middle,
     * since a title that does not fit the chart is cut at both ends.
     */
    private String title() {
        String head = "Mutual kNN alignment, en-" + lang + ", k = " + k + ": " + modelPath.getFileName() + ", ";
        if (off.isEmpty()) return head + "no deactivation";
        String with = "with " + off.neurons().size() + " neurons off (";
        String origin = off.origin();
        int room = Math.max(TITLE_CHARS - head.length() - with.length() - 1, 20);
        if (origin.length() > room) {
            int keep = room - 3;
            origin = origin.substring(0, keep / 2) + "..." + origin.substring(origin.length() - (keep - keep / 2));
        }
        return head + with + origin + ")";
    }

    private XYChart chart() {
        XYChart chart = new XYChartBuilder().width(1000).height(560).title(title())
                .xAxisTitle("layer").yAxisTitle("mutual kNN alignment (shared neighbours / k)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        List<Integer> layers = IntStream.range(0, result.length).boxed().toList();
        chart.addSeries("en-" + lang, layers, IntStream.range(0, result.length).mapToObj(l -> result[l]).toList())
                .setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }
}
