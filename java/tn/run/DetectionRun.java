package tn.run;

import tn.data.Dataset;
import tn.data.ReferencePickles;
import tn.io.Npy;
import tn.io.Sha256;
import tn.llama.Capture;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.Centroids;
import tn.method.LayerRange;
import tn.method.Ranking;
import tn.method.TransferScores;
import tn.method.TransferType;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tn detect}: the mean transfer score of every neuron of the candidate layers over L2
 * sentences, against given centroids; writes DIR/scores.npy [n_layer, n_ff] (NaN outside the
 * candidate layers), DIR/ranking.tsv (the top n) and, if asked, the original implementation's
 * pickles.
 */
public final class DetectionRun extends Run {
    private final Path centroidsPath;
    private final int topN;
    private final LayerRange layersOverride;   // null: the type's candidate layers
    private final boolean exportPickle;

    private String centroidsSha;
    private TransferScores scores;
    private Ranking ranking;

    public DetectionRun(Path model, TransferType type, String lang, int topN, Path centroids, Path sentences,
                        Path outDir, LayerRange layers, boolean exportPickle, RunSettings settings,
                        PrintStream out, PrintStream err) {
        super(model, type, lang, sentences, outDir, settings, out, err);
        if (topN < 1) throw new IllegalArgumentException("--top-n must be positive, is " + topN);
        this.centroidsPath = centroids;
        this.topN = topN;
        this.layersOverride = layers;
        this.exportPickle = exportPickle;
    }

    @Override
    protected String command() {
        return "detect";
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        Dataset data = files.get(0);
        int nLayer = model.info().nLayer();
        LayerRange layers = layersOverride != null ? layersOverride.within(nLayer) : type.candidateLayers(nLayer);
        long candidates = (long) layers.size() * model.info().nFf();
        if (topN > candidates) {
            throw new IllegalArgumentException("--top-n " + topN + " is more than the " + candidates
                    + " candidate neurons (layers " + layers + " x " + model.info().nFf() + ")");
        }
        Centroids centroids = Centroids.read(centroidsPath, model.info());
        centroidsSha = Sha256.of(centroidsPath);
        Items items = Items.monolingual(model, data, settings.contextSize(), settings.strict(), err);
        scores = new TransferScores(model, centroids, layers, settings.threads());
        return items;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();   // ordered: part of the checkpoint's fingerprint
        p.put("layers", scores.layers().toString());
        p.put("centroids", centroidsPath.toAbsolutePath().toString());
        p.put("centroids_sha256", centroidsSha);
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        Capture c = forward(session, items.first(from, to), scores.captureSpec());
        score(() -> scores.add(c));
    }

    @Override
    protected Accumulator accumulator() {
        return scores;
    }

    @Override
    protected List<Path> writeOutputs() {
        ranking = scores.ranking(topN);
        List<Path> written = new ArrayList<>();
        Path npy = outDir.resolve("scores.npy");
        Npy.writeFloat32(npy, scores.meanScores(), model.info().nLayer(), model.info().nFf());
        written.add(npy);
        Path tsv = outDir.resolve("ranking.tsv");
        ranking.writeTsv(tsv);
        written.add(tsv);
        if (exportPickle) {
            Path top = outDir.resolve(ReferencePickles.topFileName(lang, type.id(), topN));
            ReferencePickles.writeTopNeurons(top, ranking.neurons());
            written.add(top);
            Path dict = outDir.resolve(ReferencePickles.scoreDictFileName(lang, type.id(), topN));
            ReferencePickles.writeScoreDict(dict, ranking.neurons(), ranking.scores());
            written.add(dict);
        }
        return written;
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
