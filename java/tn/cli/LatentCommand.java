package tn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.run.LatentRun;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "latent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Language latent spaces: how close the languages' hidden states are, layer by layer.", "",
                "For every layer l = 0..L (0 the embedding output, l the output of the model's layer l-1, the last "
                        + "after the final norm, see --last-layer), at each sentence's last token:",
                "  the centroid of each language's hidden states (every sentence) and the cosine similarity between "
                        + "every two languages' centroids;",
                "  a 2-D PCA (mean-centred) of the hidden states of up to --pca-sentences sentences per language.", "",
                "With --deactivate (or --baseline) the chosen neurons are switched off at the last token of every "
                        + "sentence (activation 0 before the down projection).", "",
                "Writes in DIR: centroid_similarity.csv (layer,lang_a,lang_b,cosine: every layer and ordered pair), "
                        + "heatmap-layerNN.png (the similarity matrix), pca.csv (layer,lang,sentence,pc1,pc2; "
                        + "sentence counts the language's used sentences from 0), pca-layerNN.png (PC1 against PC2 "
                        + "coloured by language), deactivated.tsv (layer, neuron; only a header when none) and run.json.", ""},
        footer = {"", "Examples:",
                "  tn latent --model M.gguf --sentences ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt --out out/latent",
                "  tn latent --model M.gguf --sentences ja=ja.txt,en=en.txt --deactivate out/ja-type1/ranking.tsv "
                        + "--top-n 1000 --out out/latent-ja-off"})
final class LatentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.gguf", description = "The GGUF model.")
    Path model;

    @Option(names = "--sentences", required = true, split = ",", paramLabel = "LANG=FILE",
            description = "Monolingual sentences of each language, e.g. ja=ja.txt,nl=nl.txt,en=en.txt (.txt, .jsonl "
                    + "of {\"text\": ...} or .pkl list of str); at least two languages, each once. Tables and plots "
                    + "follow this order.")
    List<String> sentences;

    @Option(names = "--pca-sentences", defaultValue = "200", paramLabel = "N",
            description = "At most N sentences per language, drawn with --seed, go into the PCA (default: "
                    + "${DEFAULT-VALUE}); the centroids use every sentence. Their states at every layer are held "
                    + "in memory and in checkpoints: N x languages x (layers+1) x n_embd doubles, about 1 GB for "
                    + "the default and five languages on a 32-layer, 4096-wide model.")
    int pcaSentences;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Mixin
    DeactivationOptions deactivation;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        new LatentRun(model, languages(sentences), deactivation.choice(), pcaSentences, deactivation.seed, out,
                run.settings(), System.out, System.err).execute();
        return 0;
    }

    /** LANG=FILE entries as an ordered map; malformed or repeated entries are usage errors. */
    static Map<String, Path> languages(List<String> entries) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--sentences entry '" + entry + "': expected LANG=FILE, e.g. ja=ja.txt");
            }
            String lang = entry.substring(0, eq).strip();
            if (files.put(lang, Path.of(entry.substring(eq + 1).strip())) != null) {
                throw new IllegalArgumentException("--sentences: language '" + lang + "' is given twice");
            }
        }
        return files;
    }
}
