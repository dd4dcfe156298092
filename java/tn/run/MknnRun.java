package tn.run;

import tn.io.InvalidValueException;
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
import tn.plot.MknnPlot;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code tn mknn}: mutual k-nearest-neighbour alignment of the English and L2 hidden states of
 * parallel pairs, per layer (docs/method.md, mutual k-nearest neighbours), optionally with neurons switched off at the
 * L2 side's last token. Writes DIR/mknn.csv, DIR/mknn.png and DIR/deactivated.tsv.
 */
public final class MknnRun extends Run {
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
            if (k < 1) throw new InvalidValueException("{k} must be at least 1, is {}", k);
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
            throw new InvalidValueException(
                    "{k} {} must be less than the number of pairs: {} has {} that fit the context, "
                            + "and each pair's neighbours are the others",
                    k, context.input().files().get(0), items.size());
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
        return IntStream.range(0, states.nLayer()).mapToObj(l -> states.at(c, l)).toArray(float[][] ::new);
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
        MknnPlot.write(png, lang, k, modelPath.getFileName().toString(), off, result);
        off.writeTsv(tsv);
        return List.of(csv, png, tsv);
    }
}
