package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.run.MknnRun;

@Command(name = "mknn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Mutual k-nearest-neighbour alignment of English and L2 hidden states, per layer.", "",
                "For each layer l, the last-token hidden states h_l of the English and of the L2 side of every "
                        + "pair are L2-normalised; each pair's k nearest other pairs by dot product are found among "
                        + "the English states and among the L2 states (ties to the earlier pair). The score is the "
                        + "mean over pairs of |kNN_en and kNN_L2 in common| / k: 1 when both languages arrange the "
                        + "meanings alike, about k/(pairs-1) by chance.",
                "",
                "Every state is held until the end, in memory and in checkpoints: 16 bytes x pairs x layers x "
                        + "n_embd (1000 pairs of a 32-layer, 4096-wide model: 2.1 GB).",
                "",
                "With --deactivate (or --baseline) neurons are switched off on the L2 side only, at the last "
                        + "token, as the paper's representation analyses do.",
                "",
                "Writes DIR/mknn.csv (layer,score for layers 0..n_layer-1), DIR/mknn.png (the scores by layer), "
                        + "DIR/deactivated.tsv (the neurons switched off, possibly none) and DIR/run.json.",
                ""},
        footer = {"", "Examples:", "  tn mknn --model M.gguf --lang ja --pairs en-ja.tsv --k 5 --out out/ja-mknn",
                "  tn mknn --model M.gguf --lang ja --pairs en-ja.tsv --deactivate out/ja-type1-detect/ranking.tsv "
                        + "--top-n 1000 --out out/ja-mknn-off",
                "  tn mknn --model M.gguf --lang ja --pairs en-ja.tsv --deactivate out/ja-type1-detect/ranking.tsv "
                        + "--top-n 1000 --baseline --out out/ja-mknn-baseline"})
final class MknnCommand extends PairsRunCommand {
    @Option(names = "--k", defaultValue = "5", paramLabel = "K",
            description =
                    "Neighbours per pair, 1..pairs-1: more pairs than K are needed (default: ${DEFAULT-VALUE}; the "
                    + "paper: 5 or 10).")
    int k;

    @Override
    Run newRun(RunContext context) {
        return new MknnRun(context, new MknnRun.Params(k, off.choice(), off.seed));
    }
}
