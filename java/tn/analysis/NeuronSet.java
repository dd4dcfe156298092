package tn.analysis;

import tn.io.InvalidValueException;
import tn.data.ReferencePickles;
import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.InputFile;
import tn.llama.Deactivation;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.method.LayerRange;
import tn.record.Provenance;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The neurons an analysis switches off: the top n of a detection's ranking.tsv (the transfer
 * neurons), or a baseline of random neurons drawn uniformly from the same layer range, all
 * neurons, excluding the transfer neurons, with a fixed seed (docs/method.md, switching neurons off).
 *
 * @param origin how the set was made, for run.json and plot titles
 */
public record NeuronSet(List<Neuron> neurons, String origin) {
    public NeuronSet {
        neurons = List.copyOf(neurons);
    }

    /** How the set is chosen; made into neurons once the model (its layers and n_ff) is open. */
    public interface Choice {
        NeuronSet resolve(int nLayer, int nFf);

        /** Nothing switched off. */
        static Choice none() {
            return (nLayer, nFf) -> NeuronSet.none();
        }

        /** The top n of a ranking. */
        static Choice top(Path rankingTsv, int topN) {
            return (nLayer, nFf) -> {
                checkDetectedOn(rankingTsv, nLayer, nFf);
                return NeuronSet.top(rankingTsv, topN).within(nLayer, nFf, rankingTsv);
            };
        }

        /** size random neurons mirroring the top topN of a ranking: its layer range, without those neurons. */
        static Choice baselineOf(Path rankingTsv, int topN, int size, long seed) {
            return (nLayer, nFf) -> {
                checkDetectedOn(rankingTsv, nLayer, nFf);
                return NeuronSet.baseline(size, layersOf(rankingTsv, nLayer).within(nLayer), nFf,
                        NeuronSet.top(rankingTsv, topN).within(nLayer, nFf, rankingTsv).asSet(), seed);
            };
        }

        /** size random neurons of the given layers. */
        static Choice baseline(LayerRange layers, int size, long seed) {
            return (nLayer, nFf) -> NeuronSet.baseline(size, layers.within(nLayer), nFf, Set.of(), seed);
        }
    }

    public static NeuronSet none() {
        return new NeuronSet(List.of(), "none");
    }

    /** The first topN neurons of ranking.tsv ({@code rank layer neuron score}). */
    public static NeuronSet top(Path rankingTsv, int topN) {
        return top(rankingTsv, readRanking(rankingTsv), topN);
    }

    /** The first topN of all, the neurons of rankingTsv in rank order as {@link #readRanking} gives them. */
    static NeuronSet top(Path rankingTsv, List<Neuron> all, int topN) {
        if (topN < 1 || topN > all.size()) {
            throw new InvalidValueException(
                    "{top_n} must be 1..{} (the neurons in {}), is {}", all.size(), rankingTsv, topN);
        }
        return new NeuronSet(all.subList(0, topN), "top " + topN + " of " + rankingTsv);
    }

    /**
     * n neurons drawn uniformly without replacement from layers x [0, nFf), none of them in
     * exclude; the same seed gives the same set.
     */
    public static NeuronSet baseline(int n, LayerRange layers, int nFf, Set<Neuron> exclude, long seed) {
        long pool = (long) layers.size() * nFf - exclude.stream().filter(x -> layers.contains(x.layer())).count();
        if (n < 1 || n > pool) {
            throw new InvalidValueException("{baseline} must be 1..{} (the neurons of layers {} that are not transfer "
                            + "neurons), is {}",
                    pool, layers, n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<Neuron> drawn = new TreeSet<>();
        while (drawn.size() < n) {
            Neuron c = new Neuron(layers.from() + random.nextInt(layers.size()), random.nextInt(nFf));
            if (!exclude.contains(c)) drawn.add(c);
        }
        return new NeuronSet(new ArrayList<>(drawn),
                "baseline: " + n + " random neurons of layers " + layers
                        + (exclude.isEmpty() ? "" : ", excluding " + exclude.size() + " transfer neurons") + SEED
                        + seed);
    }

    /** How a baseline's origin ends: its seed. */
    private static final String SEED = ", seed ";

    /**
     * The origin of baselines drawn alike but for their seeds, named together ("baseline: 1000
     * random neurons of layers 0:20, seeds 42..44"), from their origins in the order of seeds;
     * empty where the origins are not such baselines'.
     */
    public static Optional<String> originOfSeeds(List<String> origins, List<Long> seeds) {
        if (origins.isEmpty() || origins.size() != seeds.size()) return Optional.empty();
        String last = SEED + seeds.get(0);
        if (!origins.get(0).endsWith(last)) return Optional.empty();
        String drawn = origins.get(0).substring(0, origins.get(0).length() - last.length());
        for (int i = 0; i < seeds.size(); i++) {
            if (!origins.get(i).equals(drawn + SEED + seeds.get(i))) return Optional.empty();
        }
        boolean consecutive = true;
        for (int i = 1; i < seeds.size(); i++) consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        String named = consecutive ? seeds.get(0) + ".." + seeds.get(seeds.size() - 1)
                                   : String.join(", ", seeds.stream().map(String::valueOf).toList());
        return Optional.of(drawn + ", seeds " + named);
    }

    /**
     * The layer range a baseline mirroring rankingTsv draws from: the detection's candidate
     * layers from the run.json beside it; else, for the original implementation's pickles, the
     * candidate layers of the type their name gives in a model of nLayer layers (its qa.py draws
     * the Type-1 baseline from layers 0..19 of 32); else the layers its neurons span.
     */
    public static LayerRange layersOf(Path rankingTsv, int nLayer) {
        Path dir = rankingTsv.toAbsolutePath().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve("run.json"))) {
            return LayerRange.parse(RunJson.of(dir).text("parameters.layers"));
        }
        var seedName = ReferencePickles.Name.of(rankingTsv);
        if (seedName.isPresent()) return seedName.get().type().candidateLayers(nLayer);
        List<Neuron> all = readRanking(rankingTsv);
        int from = all.stream().mapToInt(Neuron::layer).min().orElseThrow();
        int to = all.stream().mapToInt(Neuron::layer).max().orElseThrow() + 1;
        return new LayerRange(from, to);
    }

    /**
     * A ranking with a run.json beside it must come from a detection on a model of this shape: the
     * neurons of another model are not these (quantizations of one model share them, so only the
     * shape is checked, not the file).
     */
    static void checkDetectedOn(Path rankingTsv, int nLayer, int nFf) {
        Provenance.of(rankingTsv)
                .ifPresent(p
                        -> p.require("command", "detect", "command")
                                .require("model.n_layer", nLayer, "model's layer count")
                                .require("model.n_ff", nFf, "model's MLP width (n_ff)"));
    }

    /** Checks that every neuron exists in a model of nLayer layers of nFf neurons. */
    NeuronSet within(int nLayer, int nFf, Path source) {
        checkWithin(neurons, nLayer, nFf, source);
        return this;
    }

    /** Checks that every neuron, listed in source, exists in a model of nLayer layers of nFf neurons. */
    public static void checkWithin(Collection<Neuron> neurons, int nLayer, int nFf, Path source) {
        for (Neuron n : neurons) {
            if (n.layer() >= nLayer || n.index() >= nFf) {
                throw new InputException(source + ": neuron " + n + " does not exist in this model (" + nLayer
                        + " layers of " + nFf + " neurons): is it from another model?");
            }
        }
    }

    public boolean isEmpty() {
        return neurons.isEmpty();
    }

    public Set<Neuron> asSet() {
        return new HashSet<>(neurons);
    }

    /**
     * What run.json records of the set, and so what a checkpoint's fingerprint holds: where it came
     * from, and exactly which neurons (a ranking file edited between runs must not be resumed into).
     */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("deactivated", origin);
        p.put("deactivated_count", neurons.size());
        p.put("deactivated_neurons", neurons.toString());
        return p;
    }

    /** Switches the set off (activation 0 before the down projection) at the given positions. */
    public Deactivation deactivation(Positions positions) {
        return isEmpty() ? Deactivation.none() : Deactivation.zero(neurons, positions);
    }

    /** neurons.tsv: {@code layer neuron}, one per line, 0-based, sorted. */
    public void writeTsv(Path file) {
        StringBuilder b = new StringBuilder("layer\tneuron\n");
        for (Neuron n : new TreeSet<>(neurons)) b.append(n.layer()).append('\t').append(n.index()).append('\n');
        AtomicFile.writeString(file, b.toString());
    }

    /**
     * The neurons of ranking.tsv in the order of its rank column, which must number the rows 1, 2,
     * 3, ... as they stand (a file sorted or edited otherwise is refused, not silently reread in
     * file order), each neuron once, with finite scores that do not rise with the rank; or of the
     * original implementation's ranking pickles ({@link ReferencePickles#readRanking}). Errors
     * name the file, the line and the column.
     */
    static List<Neuron> readRanking(Path file) {
        if (ReferencePickles.isPickle(file)) {
            List<Neuron> ranked = ReferencePickles.readRanking(file);
            if (ranked.isEmpty()) throw new InputException(file + ": no neurons listed");
            return ranked;
        }
        List<String> lines = InputFile.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).startsWith("rank\tlayer\tneuron")) {
            throw new InputException(
                    file + ":1: not a ranking.tsv (expected the header rank<TAB>layer<TAB>neuron<TAB>score)");
        }
        List<Neuron> out = new ArrayList<>();
        Map<Neuron, Integer> lineOf = new HashMap<>();
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String at = file + ":" + (i + 1) + ": ";
            String[] f = lines.get(i).split("\t");
            if (f.length < 3) throw new InputException(at + "expected rank, layer, neuron and score separated by tabs");
            int rank = integer(f[0], "rank", at);
            if (rank != out.size() + 1) {
                throw new InputException(at + "rank " + rank + " where rank " + (out.size() + 1)
                        + " comes next: the rank "
                        + "column must number the rows 1, 2, 3, ... in order");
            }
            Neuron n = new Neuron(integer(f[1], "layer", at), integer(f[2], "neuron", at));
            Integer before = lineOf.putIfAbsent(n, i + 1);
            if (before != null)
                throw new InputException(at + "neuron " + n + " is ranked again (first at line " + before + ")");
            if (f.length > 3) {
                double score = number(f[3], at);
                if (score > previous) {
                    throw new InputException(at + "score " + score + " is higher than the score of rank " + (rank - 1)
                            + " (" + previous + "): the rows are not in rank order");
                }
                previous = score;
            }
            out.add(n);
        }
        if (out.isEmpty()) throw new InputException(file + ": no neurons listed");
        return out;
    }

    /** A non-negative integer column of a ranking line. */
    private static int integer(String field, String column, String at) {
        try {
            int v = Integer.parseInt(field.strip());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(
                    at + "column '" + column + "' is '" + field + "'; expected a non-negative integer");
        }
    }

    /** The score column: a finite number. */
    private static double number(String field, String at) {
        try {
            double v = Double.parseDouble(field.strip());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InputException(at + "column 'score' is '" + field + "'; expected a finite number");
    }
}
