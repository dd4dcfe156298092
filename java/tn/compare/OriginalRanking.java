package tn.compare;

import tn.data.ReferencePickles;
import tn.io.InputException;
import tn.llama.Neuron;
import tn.method.LayerRange;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The original implementation's detection results as one side of a comparison: detect_tn.py
 * writes {@code {L2}_{type}_top{n}_score_dict.pkl}, the score of every candidate neuron, and
 * {@code {L2}_{type}_top{n}.pkl}, its top n in rank order without scores. The language and the
 * transfer type come from the name; the candidate layers and the model's width (n_ff) from the
 * dict's keys, every neuron of each layer it scores (a Type-2 dict, which scores every layer, is
 * cut to the Type-2 candidate layers as the original ranks them). A top-n list tells neither:
 * its neurons only have to lie among the other side's candidates.
 */
final class OriginalRanking {
    /** The file type shown for the original's rankings, in place of a GGUF's. */
    static final String FILE_TYPE = "original";

    private OriginalRanking() {}

    static DetectionOutput read(Path file) {
        ReferencePickles.Name name = ReferencePickles.Name.of(file).orElseThrow(
                () -> new InputException(file + ": not named as the original implementation's detect_tn.py names its "
                        + "rankings, {lang}_{type}_top{n}.pkl or {lang}_{type}_top{n}_score_dict.pkl (e.g. "
                        + "ja_type1_top1000_score_dict.pkl); compare reads the language and transfer type from "
                        + "the name"));
        return name.scoreDict() ? scoreDict(file, name) : topList(file, name);
    }

    private static DetectionOutput scoreDict(Path file, ReferencePickles.Name name) {
        Map<Neuron, Double> scores = ReferencePickles.readCandidateScores(file);
        if (scores.isEmpty()) throw new InputException(file + ": the score dict is empty");
        int first = scores.keySet().stream().mapToInt(Neuron::layer).min().orElseThrow();
        int last = scores.keySet().stream().mapToInt(Neuron::layer).max().orElseThrow();
        int nFf = scores.keySet().stream().mapToInt(Neuron::index).max().orElseThrow() + 1;
        int[] perLayer = new int[last + 1];
        for (Neuron n : scores.keySet()) perLayer[n.layer()]++;
        for (int layer = first; layer <= last; layer++) {
            if (perLayer[layer] != nFf) {
                throw new InputException(file + ": layer " + layer + " has " + perLayer[layer]
                        + " scored neurons where the dict's widest layer has " + nFf + "; a score dict scores every neuron of each "
                        + "candidate layer (layers " + first + ".." + last + " here)");
            }
        }
        double[] flat = new double[(last + 1) * nFf];
        Arrays.fill(flat, Double.NaN);
        scores.forEach((n, score) -> flat[n.layer() * nFf + n.index()] = score);
        return output(file, name, last + 1, nFf, new LayerRange(first, last + 1), flat, null);
    }

    private static DetectionOutput topList(Path file, ReferencePickles.Name name) {
        List<Neuron> listed = ReferencePickles.readTopNeurons(file);
        if (listed.isEmpty()) throw new InputException(file + ": no neurons listed");
        int first = listed.stream().mapToInt(Neuron::layer).min().orElseThrow();
        int last = listed.stream().mapToInt(Neuron::layer).max().orElseThrow();
        int widest = listed.stream().mapToInt(Neuron::index).max().orElseThrow() + 1;
        // the layers and width the list spans: only bounds on the model's
        return output(file, name, last + 1, widest, new LayerRange(first, last + 1), null, listed);
    }

    private static DetectionOutput output(Path file, ReferencePickles.Name name, int nLayer, int nFf, LayerRange layers,
            double[] scores, List<Neuron> listed) {
        return new DetectionOutput(file, null, nLayer, 0, nFf, name.type().id(), name.lang(), layers.toString(),
                FILE_TYPE, 0, 0, null, null, scores, listed == null ? null : List.copyOf(listed), null, null);
    }
}
