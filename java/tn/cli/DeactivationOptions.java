package tn.cli;

import tn.io.InvalidValueException;
import picocli.CommandLine.Option;
import tn.analysis.NeuronSet;
import tn.method.LayerRange;

import java.nio.file.Path;

/** Which neurons an analysis switches off (a picocli mixin): transfer neurons, a random baseline, or none. */
final class DeactivationOptions {
    @Option(names = "--deactivate", paramLabel = "RANKING.tsv",
            description = "Switch off the top --top-n neurons of this ranking.tsv (from tn detect): their activation "
                    + "is set to 0 before the down projection.")
    Path ranking;

    @Option(names = "--top-n", paramLabel = "N", description = "How many of the ranking's neurons (with --deactivate).")
    Integer topN;

    @Option(names = "--baseline", paramLabel = "N", arity = "0..1", fallbackValue = "0",
            description = "Switch off N random neurons instead, the paper's control: with --deactivate, drawn from the "
                    + "ranking's candidate layers excluding its top --top-n (N defaults to --top-n); without it, from "
                    + "--layers.")
    Integer baseline;

    @Option(names = "--layers", paramLabel = "A:B", converter = Converters.LayerRanges.class, description = "Layers A..B-1 a --baseline without --deactivate draws from.")
    LayerRange layers;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of every random choice the command makes (the baseline's neurons, and what its own "
                    + "description names) (default: ${DEFAULT-VALUE}).")
    long seed;

    NeuronSet.Choice choice() {
        if (ranking != null) {
            if (topN == null) throw new InvalidValueException("--deactivate needs --top-n: how many of the ranking's neurons");
            if (layers != null) throw new InvalidValueException("--layers is for a --baseline without --deactivate");
            if (baseline == null) return NeuronSet.Choice.top(ranking, topN);
            return NeuronSet.Choice.baselineOf(ranking, topN, baseline == 0 ? topN : baseline, seed);
        }
        if (topN != null) throw new InvalidValueException("--top-n goes with --deactivate RANKING.tsv");
        if (baseline == null) return NeuronSet.Choice.none();
        if (baseline == 0 || layers == null) {
            throw new InvalidValueException("--baseline without --deactivate needs a size N and --layers A:B to draw from");
        }
        return NeuronSet.Choice.baseline(layers, baseline, seed);
    }
}
