package tn.cli;

import tn.run.RunSettings;
import picocli.CommandLine.Mixin;
import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.run.DetectionRun;

import java.nio.file.Path;

@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores every MLP neuron of the candidate layers and ranks the transfer neurons.", "",
                "For each L2 sentence and neuron i of layer l (last token):",
                "  s = cos(x_l + a_i v_i, C_l) - cos(x_l, C_l)",
                "x_l: the residual stream entering the MLP; a_i: the neuron's activation; v_i: its value vector "
                        + "(column i of the down projection); C_l: the centroid from 'tn centroids'. Neurons are "
                        + "ranked by the mean of s.",
                "",
                "Candidate layers: the paper's 0..19 (type1) and 20..31 (type2) of 32, scaled to the model: "
                        + "split = round(n_layer * 20 / 32); override with --layers.",
                "",
                "Writes DIR/scores.npy (float32 [n_layer, n_ff], NaN outside the candidate layers), "
                        + "DIR/ranking.tsv (rank, layer, neuron, score; the top n, 0-based layer and neuron; with a "
                        + "bootstrap, rank_p5 and rank_p95: the neuron's rank interval), DIR/scores_se.npy (each "
                        + "score's standard error), DIR/stability.json (split-half and bootstrap agreement: how much "
                        + "of the ranking is sampling noise), DIR/stability.png (agreement against sample size), "
                        + "DIR/run.json, and with --export-pickle the original implementation's "
                        + "{lang}_{type}_top{n}.pkl and {lang}_{type}_top{n}_score_dict.pkl.",
                ""},
        footer = {"", "Example:",
                "  tn detect --model M.gguf --type type1 --lang ja --top-n 1000 "
                        + "--centroids out/ja-type1/centroids.npy --sentences ja.txt --out out/ja-type1-detect"})
final class DetectCommand extends RunCommand {
    @Mixin
    TransferTypeOptions which;

    @Option(names = "--top-n", defaultValue = "1000", paramLabel = "N",
            description = "How many neurons ranking.tsv lists (default: the paper's ${DEFAULT-VALUE}); a warning where "
                    + "that is more than 10% of the candidate neurons.")
    int topN;

    @Option(names = "--centroids", required = true, paramLabel = "FILE",
            description = "centroids.npy from 'tn centroids' of the same type for this model ([n_layer, n_embd]).")
    Path centroids;

    @Option(names = "--sentences", required = true, paramLabel = "FILE",
            description = "L2 sentences (monolingual): .txt, .jsonl of {\"text\": ...}, or a pickled list of str.")
    Path sentences;

    @Mixin
    CandidateLayersOption candidates;

    @Option(names = "--export-pickle",
            description = "Also write the original implementation's pickles ({lang}_{type}_top{n}.pkl, a list of "
                    + "(layer, neuron) tuples, and {lang}_{type}_top{n}_score_dict.pkl, a dict {(layer, neuron): score} of "
                    + "every candidate neuron, in layer and neuron order, as the original writes it).")
    boolean exportPickle;

    @Option(names = "--blocks", defaultValue = "" + DetectionRun.Params.DEFAULT_BLOCKS, paramLabel = "B",
            description =
                    "Keep the score sums in B blocks of sentences (sentence i in block i mod B) for the stability "
                    + "figures: split halves, the bootstrap, standard errors (default: ${DEFAULT-VALUE}). Costs B x "
                    + "candidates x 8 bytes.")
    int blocks;

    @Option(names = "--bootstrap", defaultValue = "" + DetectionRun.Params.DEFAULT_BOOTSTRAP, paramLabel = "R",
            description =
                    "Bootstrap replicates over the blocks: the agreement to expect between this ranking and one from "
                    + "another sample of the same size, and each listed neuron's rank interval (default: ${DEFAULT-VALUE}; "
                    + "0: none).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "" + RunSettings.DEFAULT_SEED, paramLabel = "S",
            description = "The bootstrap's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    RunInput input() {
        return new RunInput.Sentences(sentences, which.lang);
    }

    @Override
    Run newRun(RunContext context) {
        return new DetectionRun(context,
                new DetectionRun.Params(
                        which.type, topN, centroids, candidates.layers, exportPickle, blocks, bootstrap, seed));
    }
}
