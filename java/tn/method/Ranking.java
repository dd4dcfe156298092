package tn.method;

import tn.io.InvalidValueException;
import tn.io.AtomicFile;
import tn.llama.Neuron;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The top-n neurons by mean transfer score, descending; ties go to the lower (layer, neuron). */
public record Ranking(List<Neuron> neurons, double[] scores) {
    public Ranking {
        neurons = List.copyOf(neurons);
        if (scores.length != neurons.size()) throw new IllegalArgumentException("one score per neuron");
    }

    /** Ranks means laid out as consecutive layers of nFf neurons, the first being layer firstLayer. */
    static Ranking top(double[] means, int firstLayer, int nFf, int n) {
        return top(means, order(means), firstLayer, nFf, n);
    }

    /** As above, with the means' {@link #order} already at hand. */
    public static Ranking top(double[] means, int[] order, int firstLayer, int nFf, int n) {
        if (n < 1 || n > means.length) {
            throw new InvalidValueException("{top_n} must be 1..{} (the candidate neurons), is {}", means.length, n);
        }
        List<Neuron> neurons = new ArrayList<>(n);
        double[] scores = new double[n];
        for (int k = 0; k < n; k++) {
            neurons.add(new Neuron(firstLayer + order[k] / nFf, order[k] % nFf));
            scores[k] = means[order[k]];
        }
        return new Ranking(neurons, scores);
    }

    /**
     * Indices of means from the highest to the lowest, ties to the lower index (so to the lower
     * (layer, neuron)); NaN (a neuron outside the candidate layers) sorts last.
     */
    public static int[] order(double[] means) {
        return means.length == 0 ? new int[0] : Order.of(means);
    }

    public int size() {
        return neurons.size();
    }

    /** ranking.tsv: header {@code rank layer neuron score}, rank from 1, layer and neuron 0-based. */
    public void writeTsv(Path file) {
        writeTsv(file, null, null);
    }

    /**
     * ranking.tsv with two more columns where given: the 5th and 95th percentile of each neuron's
     * rank over a bootstrap of the sentences ({@link Stability}).
     */
    public void writeTsv(Path file, double[] rankP5, double[] rankP95) {
        try (AtomicFile out = AtomicFile.create(file)) {
            try (BufferedWriter w = Files.newBufferedWriter(out.temporary(), StandardCharsets.UTF_8)) {
                w.write("rank\tlayer\tneuron\tscore" + (rankP5 != null ? "\trank_p5\trank_p95" : "") + "\n");
                for (int k = 0; k < neurons.size(); k++) {
                    Neuron nr = neurons.get(k);
                    w.write((k + 1) + "\t" + nr.layer() + "\t" + nr.index() + "\t" + scores[k]);
                    if (rankP5 != null) w.write("\t" + rankP5[k] + "\t" + rankP95[k]);
                    w.write("\n");
                }
            }
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many of the ranked neurons lie in each of layers, in order: the paper's distribution figure. */
    public int[] perLayer(LayerRange layers) {
        int[] counts = new int[layers.size()];
        for (Neuron n : neurons) {
            if (!layers.contains(n.layer()))
                throw new IllegalStateException(n + " is outside the ranked layers " + layers);
            counts[n.layer() - layers.from()]++;
        }
        return counts;
    }

    /** The ranked candidates' indices (layer - first layer) * nFf + neuron, in rank order. */
    public int[] candidates(int firstLayer, int nFf) {
        int[] c = new int[neurons.size()];
        for (int k = 0; k < c.length; k++) c[k] = (neurons.get(k).layer() - firstLayer) * nFf + neurons.get(k).index();
        return c;
    }
}
