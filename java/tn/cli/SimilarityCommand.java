package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.run.SimilarityRun;

import java.nio.file.Path;

@Command(name = "similarity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How close English and L2 representations are, layer by layer, for parallel pairs (same "
                        + "meaning) and non-parallel pairs (different meaning): the paper's hidden-state and activation "
                        + "similarity analyses.",
                "",
                "For each pair and layer l (last token): cos(h_l(en), h_l(L2)) of the hidden states and "
                        + "cos(a_l(en), a_l(L2)) of the MLP activations; mean and standard deviation over the pairs. "
                        + "Non-parallel pairs match each English sentence with another pair's L2 sentence (a seeded "
                        + "shuffle, --seed), so every sentence still runs once; or come from --nonparallel.",
                "",
                "With --deactivate the top --top-n neurons of a ranking are switched off on the L2 side at the last "
                        + "token; with --baseline a random set of the same layers, the paper's control.",
                "",
                "Writes DIR/similarity.csv (layer, kind, parallel and non-parallel mean and std), "
                        + "DIR/hidden_similarity.png, DIR/activation_similarity.png, DIR/deactivated.tsv (the neurons "
                        + "switched off) and DIR/run.json.",
                ""},
        footer = {"", "Example:",
                "  tn similarity --model M.gguf --pairs en-ja.test.tsv --deactivate out/ja/type1/ranking.tsv "
                        + "--top-n 1000 --out out/ja/similarity-type1-off"})
final class SimilarityCommand extends PairsRunCommand {
    @Option(names = "--nonparallel", paramLabel = "PAIRS",
            description = "Non-parallel pairs to use instead of the default: each English sentence with another pair's "
                    + "L2 sentence, in a seeded shuffle (--seed), which runs every sentence once.")
    Path nonParallel;

    @Override
    Run newRun(RunContext context) {
        return new SimilarityRun(context, new SimilarityRun.Params(nonParallel, off.choice(), off.seed));
    }
}
