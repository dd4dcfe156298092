package tn.run;

import tn.record.Provenance;
import tn.plot.LayerCountsPlot;
import tn.io.InvalidValueException;
import tn.io.Wording;
import tn.data.Dataset;
import tn.data.ReferencePickles;
import tn.io.Npy;
import tn.io.Sha256;
import tn.io.Sha256Cache;
import tn.llama.Capture;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.data.CentroidFile;
import tn.method.Centroids;
import tn.method.LayerRange;
import tn.method.Ranking;
import tn.method.TransferScores;
import tn.method.Stability;
import tn.method.TransferType;
import tn.plot.StabilityPlot;
import tn.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tn detect}: the mean transfer score of every neuron of the candidate layers over L2
 * sentences, against given centroids; writes DIR/scores.npy [n_layer, n_ff] (NaN outside the
 * candidate layers), DIR/ranking.tsv (the top n) and, if asked, the original implementation's
 * pickles: the top n as a list, and every candidate neuron's score as a dict.
 */
public final class DetectionRun extends Run {
    /**
     * What a detection computes and writes.
     *
     * @param type         Type-1 or Type-2: which candidate layers
     * @param topN         how many neurons ranking.tsv lists
     * @param centroids    centroids.npy of the same model and type
     * @param layers       candidate layers instead of the type's, or null
     * @param exportPickle also write the original implementation's pickles
     * @param blocks       blocks the score sums are kept in (item i in block i mod blocks), for the stability figures
     * @param bootstrap    bootstrap replicates over the blocks; 0 for none
     * @param seed         the bootstrap's seed
     */
    public record Params(TransferType type, int topN, Path centroids, LayerRange layers, boolean exportPickle,
            int blocks, int bootstrap, long seed) {
        public static final int DEFAULT_BLOCKS = 20, DEFAULT_BOOTSTRAP = 200, MAX_BOOTSTRAP = 100_000;

        public Params {
            if (topN < 1) throw new InvalidValueException("{top_n} must be positive, is {}", topN);
            if (blocks < 1 || blocks > TransferScores.MAX_BLOCKS) {
                throw new InvalidValueException("{blocks} must be 1..{}, is {}", TransferScores.MAX_BLOCKS, blocks);
            }
            if (bootstrap < 0 || bootstrap > MAX_BOOTSTRAP) {
                throw new InvalidValueException("{bootstrap} must be 0..{}, is {}", MAX_BOOTSTRAP, bootstrap);
            }
        }

        /** The defaults of the stability figures: 20 blocks, 200 bootstrap replicates, seed 42. */
        public Params(TransferType type, int topN, Path centroids, LayerRange layers, boolean exportPickle) {
            this(type, topN, centroids, layers, exportPickle, DEFAULT_BLOCKS, DEFAULT_BOOTSTRAP, RunSettings.DEFAULT_SEED);
        }
    }

    private final Params params;
    private final TransferType type;
    private final String lang;
    private final Path centroidsPath;
    private final int topN;

    private String centroidsSha;
    private TransferScores scores;
    private Ranking ranking;
    private List<String> verdicts = List.of();
    private long stabilityNanos; // the sampling-noise analysis (split halves, bootstrap, curve), for run.json

    /** Scores the L2 sentences of context's input. */
    public DetectionRun(RunContext context, Params params) {
        super(context);
        if (!(context.input() instanceof RunInput.Sentences))
            throw new IllegalArgumentException("detection reads L2 sentences");
        this.params = params;
        this.type = params.type();
        this.lang = context.input().lang();
        this.centroidsPath = params.centroids();
        this.topN = params.topN();
    }

    @Override
    protected String label() {
        return super.label() + " " + type.id();
    }

    @Override
    protected String command() {
        return "detect";
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        Dataset data = files.get(0);
        int nLayer = model.info().nLayer();
        LayerRange layers = params.layers() != null ? params.layers().within(nLayer) : type.candidateLayers(nLayer);
        long candidates = (long) layers.size() * model.info().nFf();
        if (topN > candidates) {
            throw new InvalidValueException("{top_n} {} is more than the {} candidate neurons (layers {} x {})", topN,
                    candidates, layers, model.info().nFf());
        }
        if (topN > candidates / 10) {
            err.println("tn: warning: "
                    + context.console().say(Wording.of("{top_n} {} is {}% of the {} candidate neurons: a top n "
                                    + "that large overlaps with any other ranking's by construction (the paper: "
                                    + "1000 of about 300,000, 0.3%)",
                            topN, Math.round(100.0 * topN / candidates), candidates)));
        }
        Centroids centroids = CentroidFile.read(centroidsPath, model.info());
        checkCentroidsRun();
        centroidsSha = Sha256.of(centroidsPath);
        Items items = Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
        scores = new TransferScores(model, centroids, layers, settings.threads(), params.blocks());
        return items;
    }

    /** Centroids of another type, language or model give a ranking with exit 0 that means nothing. */
    private void checkCentroidsRun() {
        Provenance.of(centroidsPath)
                .ifPresentOrElse(p
                        -> p.require("command", "centroids", "command")
                                .require("parameters.type", type.id(), "transfer type")
                                .require("parameters.lang", lang, "language")
                                .require("model.sha256", Sha256Cache.of(modelPath), "model (sha256)"),
                        ()
                                -> err.println("tn: warning: no run.json beside " + centroidsPath
                                        + ": its type, language and model "
                                        + "cannot be checked"));
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("type", type.id());
        p.put("layers", scores.layers().toString());
        p.put("centroids", centroidsPath.toAbsolutePath().toString());
        p.put("centroids_sha256", centroidsSha);
        p.put("blocks", params.blocks());
        p.put("bootstrap", params.bootstrap());
        p.put("seed", params.seed());
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture c = forward(session, items.first(from, to), scores.captureSpec());
        score(() -> scores.add(c, from));
    }

    @Override
    protected Accumulator accumulator() {
        return scores;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        double[] means = scores.means();
        int[] order = Ranking.order(means);
        int nFf = model.info().nFf();
        ranking = Ranking.top(means, order, scores.layers().from(), nFf, topN);
        long t0 = System.nanoTime();
        Stability.Result stability =
                Stability.of(scores.blockSums(), order, topN, params.bootstrap(), params.seed(), settings.threads());
        stabilityNanos = System.nanoTime() - t0;
        List<Path> written = new ArrayList<>();
        Path npy = dir.resolve("scores.npy");
        Npy.writeFloat32(npy, scores.asLayers(means), model.info().nLayer(), nFf);
        written.add(npy);
        Path se = dir.resolve("scores_se.npy");
        Npy.writeFloat32(se, scores.asLayers(stability.standardErrors()), model.info().nLayer(), nFf);
        written.add(se);
        Path tsv = dir.resolve("ranking.tsv");
        ranking.writeTsv(tsv, stability.rankP5(), stability.rankP95());
        written.add(tsv);
        Path layers = dir.resolve("layers.png");
        int[] perLayer = ranking.perLayer(scores.layers());
        String subject = modelPath.getFileName() + ", " + lang + " " + type.id();
        LayerCountsPlot.write(layers, "Top-" + topN + " transfer neurons per layer: " + subject, topN,
                scores.layers().layers(), perLayer);
        written.add(layers);
        if (!settings.quiet()) {
            LayerCountsPlot.printTable(out,
                    label() + ": where the top " + topN + " neurons lie (of " + topN + " in all, by layer)",
                    scores.layers().layers(), perLayer);
        }
        Path json = dir.resolve("stability.json");
        Json.write(json, StabilityRecord.of(stability));
        written.add(json);
        if (!stability.curve().isEmpty()) {
            Path png = dir.resolve("stability.png");
            StabilityPlot.write(png,
                    subject + ", " + stability.items() + " sentences in " + params.blocks() + " blocks", stability);
            written.add(png);
        }
        if (!settings.quiet()) StabilityRecord.print(stability, out);
        verdicts = StabilityRecord.verdicts(stability);
        if (params.exportPickle()) {
            Path top = dir.resolve(ReferencePickles.topFileName(lang, type.id(), topN));
            ReferencePickles.writeTopNeurons(top, ranking.neurons());
            written.add(top);
            Path dict = dir.resolve(ReferencePickles.scoreDictFileName(lang, type.id(), topN));
            ReferencePickles.writeScoreDict(dict, scores.layers(), nFf, means);
            written.add(dict);
        }
        return written;
    }

    /** The top neurons and the stability verdicts, for --json. */
    @Override
    protected Map<String, Object> results() {
        if (ranking == null) return Map.of(); // a shard ranks nothing: tn merge does
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type.id());
        m.put("top_n", topN);
        List<Map<String, Object>> top = new ArrayList<>();
        for (int k = 0; k < Math.min(10, ranking.neurons().size()); k++) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("layer", ranking.neurons().get(k).layer());
            n.put("neuron", ranking.neurons().get(k).index());
            n.put("score", ranking.scores()[k]);
            top.add(n);
        }
        m.put("top_10", top);
        m.put("stability", verdicts);
        return m;
    }

    @Override
    protected Map<String, Object> stepTimings() {
        return Map.of("stability_s", stabilityNanos / 1e9);
    }

    @Override
    protected Map<String, Object> placement() {
        return Map.of("scoring_on", scores.placement());
    }

    @Override
    protected void release() {
        if (scores != null) scores.close();
    }

    /** The ranking, once execute() has run. */
    public Ranking ranking() {
        if (ranking == null) throw new IllegalStateException("the ranking exists after execute()");
        return ranking;
    }
}
