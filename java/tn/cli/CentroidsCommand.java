package tn.cli;

import picocli.CommandLine.Mixin;
import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.method.TransferType;
import tn.run.CentroidRun;

import java.nio.file.Path;

@Command(name = "centroids", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Computes the centroid of each layer's hidden states (last token).", "",
                "type1: the shared latent space, from en/L2 pairs: C_l = mean over pairs of (h_l(en) + h_l(L2)) / 2.",
                "type2: the L2's own space, from L2 sentences: C_l = mean of h_l.",
                "h_l is layer l's output; the last layer's is taken after the final norm (see --last-layer).", "",
                "Writes DIR/centroids.npy (float32, [n_layer, n_embd]) and DIR/run.json.", "",
                "Sentence files: .txt (one sentence per line), .tsv (en<TAB>L2 per line), .jsonl ({\"text\": ...} "
                        + "or {\"en\": ..., \"l2\": ...}), .pkl (the original implementation's pickles: a list of "
                        + "str, or a list of (en, L2) tuples). Empty lines are skipped.",
                ""},
        footer = {"", "Example:",
                "  tn centroids --model M.gguf --type type1 --lang ja --sentences en-ja.tsv --out out/ja-type1"})
final class CentroidsCommand extends RunCommand {
    @Mixin
    TransferTypeOptions which;

    @Option(names = "--sentences", required = true, paramLabel = "FILE",
            description = "Pairs (type1) or L2 sentences (type2): .txt, .tsv, .jsonl or .pkl.")
    Path sentences;

    @Override
    RunInput input() {
        return which.type == TransferType.TYPE1 ? new RunInput.Pairs(sentences, which.lang)
                                                : new RunInput.Sentences(sentences, which.lang);
    }

    @Override
    Run newRun(RunContext context) {
        return new CentroidRun(context, which.type);
    }
}
