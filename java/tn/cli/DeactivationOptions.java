package tn.cli;

import tn.run.RunSettings;
import tn.io.InvalidValueException;
import picocli.CommandLine.Option;
import tn.analysis.NeuronSet;
import tn.method.LayerRange;
import tn.run.BaselineSeeds;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/** Which neurons an analysis switches off (a picocli mixin): transfer neurons, a random baseline, or none. */
final class DeactivationOptions {
    @Option(names = "--deactivate", split = ",", paramLabel = "RANKING",
            description =
                    "Switch off the top --top-n neurons of this ranking: tn detect's ranking.tsv, or the original "
                    + "implementation's {lang}_{type}_top{n}.pkl (a list of (layer, neuron)) or _score_dict.pkl (ranked "
                    + "by score). Their activation is set to 0 before the down projection.")
    List<RankingEntry> rankings;

    @Option(names = "--top-n", paramLabel = "N", description = "How many of the ranking's neurons (with --deactivate).")
    Integer topN;

    @Option(names = "--baseline", paramLabel = "N", arity = "0..1", fallbackValue = "0",
            description = "Switch off N random neurons instead, the paper's control: with --deactivate, drawn from the "
                    + "ranking's candidate layers excluding its top --top-n (N defaults to --top-n); without it, from "
                    + "--layers.")
    Integer baseline;

    @Option(names = "--layers", paramLabel = "A:B", converter = Converters.LayerRanges.class,
            description = "Layers A..B-1 a --baseline without --deactivate draws from.")
    LayerRange layers;

    @Option(names = "--seed", defaultValue = "" + RunSettings.DEFAULT_SEED, paramLabel = "S",
            description = "Seed of every random choice the command makes (the baseline's neurons, and what its own "
                    + "description names) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--baseline-seeds", paramLabel = "R",
            description = "With --baseline: repeat the analysis with R random baselines, seeds S, S+1, ..., S+R-1 "
                    + "(S: --seed), 1.." + BaselineSeeds.MAX + " (default: 1, the one baseline of --seed). Each seed's "
                    + "run is a whole run in DIR/seeds/SEED (it checkpoints and resumes on its own, and a seed whose "
                    + "folder holds it finished is not run again); DIR gets the mean over the seeds of every figure, "
                    + "the 95% interval of each headline figure X across them as X_ci_low and X_ci_high (Student t, "
                    + "R-1 degrees of freedom), plots of the means with the interval as a band, and run.json "
                    + "(parameters.baseline_seeds). Not with --shard: shard each seed's run (--seed S --out "
                    + "DIR/seeds/S) instead.")
    Integer baselineSeeds;

    /**
     * The seeds of the baselines to run: --seed alone, or with --baseline-seeds R the R seeds from
     * --seed on; R is refused out of 1..MAX and without --baseline.
     */
    List<Long> seeds() {
        if (baselineSeeds == null) return List.of(seed);
        if (baseline == null) {
            throw new InvalidValueException("--baseline-seeds repeats a random baseline: it needs --baseline");
        }
        if (baselineSeeds < 1 || baselineSeeds > BaselineSeeds.MAX) {
            throw new InvalidValueException("--baseline-seeds must be 1..{}, is {}", BaselineSeeds.MAX, baselineSeeds);
        }
        if (seed > Long.MAX_VALUE - (baselineSeeds - 1)) {
            throw new InvalidValueException("--seed {} leaves no room for {} seeds after it", seed, baselineSeeds);
        }
        return LongStream.rangeClosed(seed, seed + (baselineSeeds - 1)).boxed().toList();
    }

    /** What make builds with --seed set to s, as the run of one of several baselines; --seed is restored after. */
    <T> T withSeed(long s, Supplier<T> make) {
        long given = seed;
        seed = s;
        try {
            return make.get();
        } finally {
            seed = given;
        }
    }

    /** The one set a command switches off; a LANG=RANKING entry or several rankings are usage errors. */
    NeuronSet.Choice choice() {
        if (rankings != null && (rankings.size() != 1 || rankings.get(0).lang() != null)) {
            throw new InvalidValueException(
                    "{}", "--deactivate takes one ranking here, not LANG=RANKING entries or a list");
        }
        return choice(rankings == null ? null : rankings.get(0).file());
    }

    /**
     * A set per language of langs, for a command whose languages each run with their own:
     * LANG=RANKING entries (languages without one run with nothing off), or one RANKING (or a
     * --baseline without --deactivate) for every language but English, which is never switched off.
     */
    Map<String, NeuronSet.Choice> choices(List<String> langs) {
        Map<String, NeuronSet.Choice> out = new LinkedHashMap<>();
        if (rankings != null && rankings.stream().anyMatch(r -> r.lang() != null)) {
            for (RankingEntry r : rankings) {
                if (r.lang() == null)
                    throw new InvalidValueException(
                            "{}", "--deactivate: mix of LANG=RANKING entries and '" + r.file() + "'");
                if (!langs.contains(r.lang())) {
                    throw new InvalidValueException("{}",
                            "--deactivate " + r.lang() + "=...: '" + r.lang()
                                    + "' is not among the --sentences languages " + langs);
                }
                if (r.lang().equals(ENGLISH))
                    throw new InvalidValueException(
                            "{}", "--deactivate: English is never switched off (en=" + r.file() + ")");
                if (out.put(r.lang(), choice(r.file())) != null)
                    throw new InvalidValueException("{}", "--deactivate: '" + r.lang() + "' is given twice");
            }
            return out;
        }
        NeuronSet.Choice all = choice();
        for (String lang : langs)
            if (!lang.equals(ENGLISH)) out.put(lang, all);
        return out;
    }

    /** The language never switched off: the shared space the others are compared with. */
    static final String ENGLISH = "en";

    private NeuronSet.Choice choice(Path ranking) {
        if (ranking != null) {
            if (topN == null)
                throw new InvalidValueException("--deactivate needs --top-n: how many of the ranking's neurons");
            if (layers != null) throw new InvalidValueException("--layers is for a --baseline without --deactivate");
            if (baseline == null) return NeuronSet.Choice.top(ranking, topN);
            return NeuronSet.Choice.baselineOf(ranking, topN, baseline == 0 ? topN : baseline, seed);
        }
        if (topN != null) throw new InvalidValueException("--top-n goes with --deactivate RANKING");
        if (baseline == null) return NeuronSet.Choice.none();
        if (baseline == 0 || layers == null) {
            throw new InvalidValueException(
                    "--baseline without --deactivate needs a size N and --layers A:B to draw from");
        }
        return NeuronSet.Choice.baseline(layers, baseline, seed);
    }
}
