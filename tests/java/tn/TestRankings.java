package tn;

import tn.io.Tsv;
import tn.llama.Neuron;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rankings written by hand for tests: tn's ranking.tsv of given neurons in rank order. */
public final class TestRankings {
    private TestRankings() {}

    /** Writes file as ranking.tsv's columns (rank, layer, neuron, score), scores falling as 1/rank; returns file. */
    public static Path write(Path file, List<Neuron> neurons) throws IOException {
        StringBuilder b = new StringBuilder("rank\tlayer\tneuron\tscore\n");
        for (int k = 0; k < neurons.size(); k++) {
            b.append(Tsv.row(k + 1, neurons.get(k).layer(), neurons.get(k).index(), 1.0 / (k + 1)));
        }
        return Files.writeString(file, b);
    }
}
