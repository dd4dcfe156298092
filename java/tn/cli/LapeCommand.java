package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.analysis.Lape;
import tn.run.LapeRun;

@Command(name = "lape", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Language-specific neurons by language activation probability entropy (LAPE; Tang et al., "
                        + "ACL 2024), the neurons the paper compares transfer neurons with.",
                "",
                "Every token of every sentence counts (but a leading BOS, which is the same in every sentence): for "
                        + "each language, layer and neuron, p = the share of the language's tokens where the neuron "
                        + "fires (--signal); q = p normalised over the languages; entropy = -sum q ln q.",
                "",
                "Selection, as the original identify.py: neurons whose largest p is not above the --filter-rate "
                        + "quantile of all p are dismissed; of the rest, the --top-rate share of all neurons with the "
                        + "lowest entropy are selected; a selected neuron is specific to each language whose p is "
                        + "above the --activation-bar-ratio quantile of all p (one, several, or none).",
                "",
                "Writes DIR/language_specific.tsv (language, layer, neuron, entropy, probability; read by tn overlap), "
                        + "DIR/activation_probability.npy (float64 [language, layer, neuron]), DIR/entropy.npy "
                        + "(float64 [layer, neuron]), DIR/lape.json (thresholds and counts), DIR/lape_layers.png and "
                        + "DIR/run.json.",
                ""},
        footer = {"", "Example:",
                "  tn lape --model M.gguf --sentences ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt --out out/lape",
                "  tn overlap out/ja/type1/ranking.tsv out/lape/language_specific.tsv --top-n 1000"})
final class LapeCommand extends LanguagesRunCommand {
    @Option(names = "--signal", defaultValue = "gate", paramLabel = "gate|activation",
            description = "What must be positive for a neuron to fire: 'gate', the gate projection, i.e. act(gate) > 0 "
                    + "as Tang et al. count (default); 'activation', the MLP activation a_l = act(gate) * up that "
                    + "transfer neurons are defined on.")
    LapeRun.Signal signal;

    @Option(names = "--filter-rate", defaultValue = "0.95", paramLabel = "R",
            description = "Quantile of all p that some language must exceed for a neuron to be considered "
                    + "(default: ${DEFAULT-VALUE}).")
    double filterRate;

    @Option(names = "--top-rate", defaultValue = "0.01", paramLabel = "R",
            description = "Share of all neurons selected, by lowest entropy (default: ${DEFAULT-VALUE}).")
    double topRate;

    @Option(names = "--activation-bar-ratio", defaultValue = "0.95", paramLabel = "R",
            description =
                    "Quantile of all p a language must exceed to own a selected neuron (default: ${DEFAULT-VALUE}).")
    double activationBarRatio;

    @Override
    Run newRun(RunContext context) {
        return new LapeRun(context, new Lape.Thresholds(filterRate, topRate, activationBarRatio), signal);
    }
}
