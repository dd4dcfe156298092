package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.method.TransferType;
import tn.run.CentroidRun;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "centroids", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Computes the centroid of each layer's hidden states (last token).", "",
                "type1: the shared latent space, from en/L2 pairs: C_l = mean over pairs of (h_l(en) + h_l(L2)) / 2.",
                "type2: the L2's own space, from L2 sentences: C_l = mean of h_l.",
                "h_l is layer l's output; the last layer's is taken after the final norm (see --last-layer).", "",
                "Writes DIR/centroids.npy (float32, [n_layer, n_embd]) and DIR/run.json.", "",
                "Sentence files: .txt (one sentence per line), .tsv (en<TAB>L2 per line), .jsonl ({\"text\": ...} "
                        + "or {\"en\": ..., \"l2\": ...}), .pkl (the original implementation's pickles: a list of "
                        + "str, or a list of (en, L2) tuples). Empty lines are skipped.", ""},
        footer = {"", "Example:", "  tn centroids --model M.gguf --type type1 --lang ja --sentences en-ja.tsv --out out/ja-type1"})
final class CentroidsCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.gguf", description = "The GGUF model.")
    Path model;

    @Option(names = "--type", required = true, paramLabel = "type1|type2",
            description = "type1: centroids of the shared space (needs pairs); type2: of the L2 space (needs L2 sentences).")
    String type;

    @Option(names = "--lang", required = true, paramLabel = "XX", description = "The L2's code, e.g. ja, nl, ko, it.")
    String lang;

    @Option(names = "--sentences", required = true, paramLabel = "FILE",
            description = "Pairs (type1) or L2 sentences (type2): .txt, .tsv, .jsonl or .pkl.")
    Path sentences;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        new CentroidRun(model, TransferType.parse(type), lang, sentences, out, run.settings(), System.out, System.err)
                .execute();
        return 0;
    }
}
