package tn.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;
import tn.gguf.GgufWriter;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.llama.SessionOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Planted transfer neurons: in a synthetic model where chosen neurons' value vectors point along
 * their layer's centroid (and their activations are never negative), detection ranks exactly
 * those neurons first.
 */
class PlantedNeuronsTest {
    static final int LAYER = 1;
    static final Set<Neuron> PLANTED = Set.of(new Neuron(LAYER, 7), new Neuron(LAYER, 50), new Neuron(LAYER, 81));

    static List<int[]> sentences(Model model) {
        List<int[]> t = new ArrayList<>();
        for (String suffix : new String[] {"", " Yes.", " はい。"}) {
            for (String s : TestModels.SENTENCES) t.add(model.tokenize(s + suffix));
        }
        return t;
    }

    static SessionOptions options() {
        return SessionOptions.defaults().withThreads(2).withKvF32(true);
    }

    static Centroids centroids(Model model) {
        HiddenStates states = new HiddenStates(model.info().nLayer(), LastLayer.NORMED);
        CentroidSums sums = new CentroidSums(states, model.info().nEmbd());
        try (Session s = model.newSession(options())) {
            sums.addStates(s.run(sentences(model), states.captureSpec()));
        }
        return sums.centroids();
    }

    /**
     * Copies an F32 model, making each planted neuron's value vector the centroid of its layer
     * and its gate and up rows one and the same vector w: then a = silu(w.n) * (w.n) >= 0, so the
     * neuron always pushes the residual stream toward the centroid.
     */
    static void plant(Path source, Path target, double[] centroid) {
        try (GgufFile in = GgufFile.open(source); GgufWriter out = GgufWriter.create(target)) {
            out.copyMetadata(in);
            for (GgufTensor t : in.tensors()) out.declareTensor(t.name(), t.shape());
            out.beginData();
            for (GgufTensor t : in.tensors()) {
                float[] values = in.read(t.name());
                String p = "blk." + LAYER + ".";
                int embd = centroid.length;
                for (Neuron n : PLANTED) {
                    if (t.name().equals(p + "ffn_down.weight")) {
                        int ff = (int) t.rowLength();
                        for (int j = 0; j < embd; j++) values[j * ff + n.index()] = (float) centroid[j];
                    } else if (t.name().equals(p + "ffn_gate.weight") || t.name().equals(p + "ffn_up.weight")) {
                        Random same = new Random(n.index()); // the same w for gate and up
                        for (int j = 0; j < embd; j++)
                            values[n.index() * embd + j] = (float) (same.nextGaussian() * 0.5);
                    }
                }
                out.writeTensor(values);
            }
            out.commit();
        }
    }

    @Test
    void plantedNeuronsRankFirst(@TempDir Path dir) {
        Path base = TestModels.file(TestModels.SPM);
        Path planted = dir.resolve("planted.gguf");
        try (Model m = Model.open(base)) {
            plant(base, planted, centroids(m).layer(LAYER));
        }
        try (Model m = Model.open(planted)) {
            Centroids c = centroids(m);
            LayerRange layers = TransferType.TYPE1.candidateLayers(m.info().nLayer());
            try (TransferScores scores = new TransferScores(m, c, layers, 2); Session s = m.newSession(options())) {
                scores.add(s.run(sentences(m), scores.captureSpec()));
                Ranking top = scores.ranking(PLANTED.size() + 2);
                assertEquals(PLANTED, Set.copyOf(top.neurons().subList(0, PLANTED.size())),
                        "ranking " + top.neurons() + " with scores " + java.util.Arrays.toString(top.scores()));
            }
        }
    }
}
