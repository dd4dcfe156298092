package tn;

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
            b.append(k + 1)
                    .append('\t')
                    .append(neurons.get(k).layer())
                    .append('\t')
                    .append(neurons.get(k).index())
                    .append('\t')
                    .append(1.0 / (k + 1))
                    .append('\n');
        }
        return Files.writeString(file, b);
    }
}
