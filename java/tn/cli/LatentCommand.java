package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.run.LatentRun;

import java.util.List;

@Command(name = "latent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Language latent spaces: how close the languages' hidden states are, layer by layer.", "",
                "For every layer l = 0..L (0 the embedding output, l the output of the model's layer l-1, the last "
                        + "after the final norm, see --last-layer), at each sentence's last token:",
                "  the centroid of each language's hidden states (every sentence) and the cosine similarity between "
                        + "every two languages' centroids;",
                "  a 2-D PCA (mean-centred) of the hidden states of every sentence (or --pca-sentences per language);",
                "  each language's effective dimensionality: the singular values s of its matrix of hidden states (the "
                        + "same sentences, not mean-centred) and, for t = 0.90, 0.95 and 0.99, the number of components "
                        + "that explain t of the variance, searchsorted(cumsum(s^2 / sum s^2), t) + 1 (the original's "
                        + "svd.py).",
                "",
                "With --deactivate ja=R1,ko=R2,... each language's own neurons are switched off at the last token of "
                        + "its sentences (activation 0 before the down projection), as the original ran it; one "
                        + "--deactivate RANKING (or --baseline) switches the same set off in every language but English. "
                        + "English (en) is never switched off.",
                "",
                "Writes in DIR: centroid_similarity.csv (layer,lang_a,lang_b,cosine: every layer and ordered pair), "
                        + "heatmap-layerNN.png (the similarity matrix), pca.csv (layer,lang,sentence,pc1,pc2; "
                        + "sentence counts the language's used sentences from 0), pca-layerNN.png (PC1 against PC2 "
                        + "coloured by language), svd.csv (layer,lang,sentences,components_90,components_95,"
                        + "components_99), svd-90.png, svd-95.png and svd-99.png (components per layer, a line per "
                        + "language), deactivated.tsv (lang, layer, neuron; only a header when none) and run.json.",
                ""},
        footer = {"", "Examples:",
                "  tn latent --model M.gguf --sentences ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt --out out/latent",
                "  tn latent --model M.gguf --sentences ja=mkqa_example_sentences.pkl,nl=mkqa_example_sentences.pkl,"
                        + "ko=mkqa_example_sentences.pkl,it=mkqa_example_sentences.pkl,en=mkqa_example_sentences.pkl "
                        + "--deactivate ja=ja_type2_top1000.pkl,nl=nl_type2_top1000.pkl,ko=ko_type2_top1000.pkl,"
                        + "it=it_type2_top1000.pkl --top-n 1000 --out out/latent-type2-off"})
final class LatentCommand extends LanguagesRunCommand {
    @Option(names = "--pca-sentences", paramLabel = "N",
            description = "At most N sentences per language, drawn with --seed, go into the PCA and the effective "
                    + "dimensionality (default: every sentence, as the original); the centroids use every sentence. "
                    + "Their states at every layer are held in memory and in checkpoints: sentences x (layers+1) x "
                    + "n_embd doubles, 5.4 GB for 5 x 1000 sentences on a 32-layer, 4096-wide model (N = 200: 1.1 GB).")
    Integer pcaSentences;

    @Mixin
    DeactivationOptions deactivation;

    @Override
    Run newRun(RunContext context) {
        List<String> langs = List.copyOf(sentences.input().byLanguage().keySet());
        return new LatentRun(
                context, new LatentRun.Params(deactivation.choices(langs), pcaSentences, deactivation.seed));
    }
}
