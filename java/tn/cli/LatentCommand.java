package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.run.LatentRun;

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
final class LatentCommand extends LanguagesRunCommand {
    @Option(names = "--pca-sentences", defaultValue = "200", paramLabel = "N",
            description = "At most N sentences per language, drawn with --seed, go into the PCA (default: "
                    + "${DEFAULT-VALUE}); the centroids use every sentence. Their states at every layer are held "
                    + "in memory and in checkpoints: N x languages x (layers+1) x n_embd doubles, about 1 GB for "
                    + "the default and five languages on a 32-layer, 4096-wide model.")
    int pcaSentences;

    @Mixin
    DeactivationOptions deactivation;

    @Override
    Run newRun(RunContext context) {
        return new LatentRun(context, new LatentRun.Params(deactivation.choice(), pcaSentences, deactivation.seed));
    }
}
