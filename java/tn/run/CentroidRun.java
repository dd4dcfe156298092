package tn.run;

import tn.data.Dataset;
import tn.llama.Capture;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.CentroidSums;
import tn.method.Centroids;
import tn.method.HiddenStates;
import tn.method.TransferType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tn centroids}: the centroid of each layer's hidden states, from en/L2 pairs (Type-1,
 * the shared space: mean of pair midpoints) or L2 sentences (Type-2: mean of states), written
 * as DIR/centroids.npy [n_layer, n_embd].
 */
public final class CentroidRun extends Run {
    private HiddenStates states;
    private CentroidSums sums;
    private Centroids result;

    private final TransferType type;

    /** Type-1 reads en/L2 pairs, Type-2 L2 sentences. */
    public CentroidRun(RunContext context, TransferType type) {
        super(context);
        boolean pairs = context.input() instanceof RunInput.Pairs;
        if (pairs != (type == TransferType.TYPE1) || !(pairs || context.input() instanceof RunInput.Sentences)) {
            throw new IllegalArgumentException("type1 centroids read en/L2 pairs, type2 centroids L2 sentences");
        }
        this.type = type;
    }

    @Override
    protected String command() {
        return "centroids";
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        Dataset data = files.get(0);
        states = new HiddenStates(model.info().nLayer(), settings.lastLayer());
        sums = new CentroidSums(states, model.info().nEmbd());
        return type == TransferType.TYPE1
                ? Items.pairs(model, data, settings.contextSize(), settings.strict(), err)
                : Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type.id());
        return p;
    }

    @Override
    protected String label() {
        return super.label() + " " + type.id();
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        if (items.pairs()) {
            Capture en = forward(session, items.first(from, to), states.captureSpec());
            Capture l2 = forward(session, items.second(from, to), states.captureSpec());
            score(() -> sums.addPairs(en, l2));
        } else {
            Capture c = forward(session, items.first(from, to), states.captureSpec());
            score(() -> sums.addStates(c));
        }
    }

    @Override
    protected Accumulator accumulator() {
        return sums;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        result = sums.centroids();
        result.requireUsable("the hidden states of " + modelPath + " over the sentences");
        Path file = dir.resolve("centroids.npy");
        result.write(file);
        return List.of(file);
    }

    /** The centroids, once execute() has run. */
    public Centroids centroids() {
        if (result == null) throw new IllegalStateException("centroids exist after execute()");
        return result;
    }
}
