package tn.cli;

import picocli.CommandLine.Mixin;
import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.io.InvalidValueException;
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
        footer = {"",
                "Example:", "  tn centroids --model M.gguf --type type1 --lang ja --pairs en-ja.tsv --out out/ja-type1",
                "  tn centroids --model M.gguf --type type2 --lang ja --sentences ja.txt --out out/ja-type2"})
final class CentroidsCommand extends RunCommand {
    @Mixin
    TransferTypeOptions which;

    @Option(names = "--pairs", paramLabel = "FILE",
            description = "type1: en/L2 pairs (.tsv, .jsonl or .pkl), as for the other commands' --pairs; a file "
                    + "named en-XX... must be of --lang's language.")
    Path pairs;

    @Option(names = "--sentences", paramLabel = "FILE",
            description =
                    "type2: L2 sentences (.txt, .jsonl or .pkl). (Pairs given here for type1 are read as --pairs.)")
    Path sentences;

    @Override
    RunInput input() {
        if (which.type == TransferType.TYPE1) {
            if (pairs != null && sentences != null) {
                throw new InvalidValueException("type1 centroids are made from one pairs file: give {pairs} only");
            }
            Path file = pairs != null ? pairs : sentences; // --sentences: the spelling before --pairs
            if (file == null) throw new InvalidValueException("type1 centroids need en/L2 pairs: give {pairs} FILE");
            return new RunInput.Pairs(file, PairsOptions.checkedName(file, which.lang));
        }
        if (pairs != null) {
            throw new InvalidValueException(
                    "type2 centroids are made from L2 sentences, not pairs: give {sentences} FILE instead of {pairs}");
        }
        if (sentences == null)
            throw new InvalidValueException("type2 centroids need L2 sentences: give {sentences} FILE");
        return new RunInput.Sentences(sentences, which.lang);
    }

    @Override
    Run newRun(RunContext context) {
        return new CentroidRun(context, which.type);
    }
}
