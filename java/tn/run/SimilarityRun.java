package tn.run;

import tn.analysis.NeuronSet;
import tn.analysis.PairSimilarity;
import tn.data.Dataset;
import tn.data.SentenceFiles;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Deactivation;
import tn.llama.Kind;
import tn.llama.Positions;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.method.HiddenStates;
import tn.plot.SimilarityPlot;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tn similarity}: per layer, how close English and L2 hidden states (and MLP activations)
 * are for parallel pairs (same meaning) and for non-parallel pairs (different meaning), with
 * neurons optionally switched off on the L2 side at the last token (docs/method.md, representation similarity).
 * Writes DIR/similarity.csv, DIR/hidden_similarity.png, DIR/activation_similarity.png and
 * DIR/deactivated.tsv.
 */
public final class SimilarityRun extends Run {
    private final NeuronSet.Choice choice;
    private final Path nonParallelPath; // null: non-parallel partners from the seeded shuffle
    private final long seed;
    private String nonParallelSha;
    private int parallelItems; // items 0..parallelItems-1 are the parallel pairs, the rest given non-parallel ones

    private NeuronSet off;
    private Deactivation deactivation;
    private HiddenStates states;
    private CaptureSpec spec;
    private PairSimilarity sums;
    private PairSimilarity.Result result;

    /**
     * @param nonParallel non-parallel pairs to use, or null for the seeded shuffle of the parallel ones
     * @param off         the neurons switched off on the L2 side
     * @param seed        the shuffle's seed (and the baseline's, which off already holds)
     */
    public record Params(Path nonParallel, NeuronSet.Choice off, long seed) {}

    private final String lang;

    /** Compares the en/L2 pairs of context's input. */
    public SimilarityRun(RunContext context, Params params) {
        super(context);
        if (!(context.input() instanceof RunInput.Pairs))
            throw new IllegalArgumentException("similarity reads en/L2 pairs");
        this.lang = context.input().lang();
        this.choice = params.off();
        this.nonParallelPath = params.nonParallel();
        this.seed = params.seed();
    }

    @Override
    protected String command() {
        return "similarity";
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        Dataset data = files.get(0);
        int nLayer = model.info().nLayer();
        off = choice.resolve(nLayer, model.info().nFf());
        deactivation = off.deactivation(Positions.LAST_TOKEN);
        states = new HiddenStates(nLayer, settings.lastLayer());
        spec = states.captureSpecBuilder().allLayers(Kind.ACTIVATION, nLayer).build();
        int[] widths = new int[2 * nLayer];
        for (int l = 0; l < nLayer; l++) {
            widths[l] = model.info().nEmbd();
            widths[nLayer + l] = model.info().nFf();
        }
        sums = new PairSimilarity(widths, nonParallelPath != null);
        Items items = Items.pairs(model, data, settings.contextSize(), settings.strict(), err);
        parallelItems = items.size();
        if (nonParallelPath != null) {
            Dataset given = SentenceFiles.read(nonParallelPath, lang);
            nonParallelSha = given.sha256();
            return items.concat(Items.pairs(model, given, settings.contextSize(), settings.strict(), err));
        }
        if (items.size() < 2) throw new InputException(data.path() + ": similarity needs at least 2 pairs");
        // the non-parallel partners follow the processing order, so the order is the seeded shuffle
        return items.shuffled(seed);
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("seed", seed);
        p.put("nonparallel",
                nonParallelPath == null ? "shuffled partners" : nonParallelPath.toAbsolutePath().toString());
        p.put("nonparallel_sha256", nonParallelSha);
        p.putAll(off.parameters());
        return p;
    }

    @Override
    protected void process(Session session, Items items, int from, int to) {
        int split = Math.max(from, Math.min(to, parallelItems));
        if (split > from) {
            Capture en = forward(session, items.first(from, split), spec);
            Capture l2 = forward(session, items.second(from, split), spec, deactivation);
            score(() -> sums.add(channels(en, states), channels(l2, states), split - from));
        }
        if (to > split) {
            Capture en = forward(session, items.first(split, to), spec);
            Capture l2 = forward(session, items.second(split, to), spec, deactivation);
            score(() -> sums.addNonParallel(channels(en, states), channels(l2, states), to - split));
        }
    }

    /** Hidden states of every layer, then activations of every layer, as PairSimilarity's channels. */
    static float[][] channels(Capture c, HiddenStates states) {
        int nLayer = states.nLayer();
        float[][] ch = new float[2 * nLayer][];
        for (int l = 0; l < nLayer; l++) {
            ch[l] = states.at(c, l);
            ch[nLayer + l] = c.matrix(Kind.ACTIVATION, l);
        }
        return ch;
    }

    @Override
    protected Accumulator accumulator() {
        return sums;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        result = sums.result();
        int nLayer = states.nLayer();
        StringBuilder csv = new StringBuilder("layer,kind,parallel_mean,parallel_std,nonparallel_mean,nonparallel_std,"
                + "parallel_pairs,nonparallel_pairs\n");
        for (int c = 0; c < 2 * nLayer; c++) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%.9g,%.9g,%.9g,%.9g,%d,%d%n", c % nLayer,
                    c < nLayer ? "hidden" : "activation", result.parallelMean()[c], result.parallelStd()[c],
                    result.nonParallelMean()[c], result.nonParallelStd()[c], result.parallelPairs(),
                    result.nonParallelPairs()));
        }
        Path csvFile = dir.resolve("similarity.csv");
        AtomicFile.writeString(csvFile, csv.toString());
        Path offFile = dir.resolve("deactivated.tsv");
        off.writeTsv(offFile);
        String subject = modelPath.getFileName() + ", en-" + lang + ", " + result.parallelPairs() + " pairs, "
                + (off.isEmpty() ? "no deactivation" : off.neurons().size() + " neurons off on the " + lang + " side");
        Path hidden = dir.resolve("hidden_similarity.png");
        Path activation = dir.resolve("activation_similarity.png");
        SimilarityPlot.write(hidden, hiddenTitle(lang), subject, result, 0, nLayer);
        SimilarityPlot.write(activation, activationTitle(lang), subject, result, nLayer, nLayer);
        return List.of(csvFile, hidden, activation, offFile);
    }

    /** The titles of the two plots, before what they show. */
    static String hiddenTitle(String lang) {
        return "Hidden-state similarity cos(h_l(en), h_l(" + lang + "))";
    }

    static String activationTitle(String lang) {
        return "Activation similarity cos(a_l(en), a_l(" + lang + "))";
    }

    /** The statistics (hidden layers 0..L-1, then activations 0..L-1), once execute() has run. */
    public PairSimilarity.Result result() {
        if (result == null) throw new IllegalStateException("the result exists after execute()");
        return result;
    }
}
