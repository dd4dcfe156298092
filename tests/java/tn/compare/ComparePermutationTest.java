package tn.compare;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.TnCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * tn compare on two hand-made detect folders, the second a known permutation of the first's
 * scores, against every figure worked out by hand: what a comparison that returned constants, or
 * compared a run with itself, cannot pass.
 *
 * <p>A 3-layer model with 50 neurons per layer, candidates in layers 0 and 1 (100 neurons;
 * layer 2 is NaN). Candidate j (layer j / 50, neuron j % 50) scores 100 - j in the reference, so
 * its reference rank is j + 1. The run swaps the scores of candidates 0..4 with those of 50..54:
 * the reference's top 5 fall to ranks 51..55 and layer 1's first five rise to ranks 1..5.
 */
class ComparePermutationTest {
    static final int LAYERS = 3, NFF = 50, CANDIDATES = 100;
    static final double EPS = 1e-12;

    static float[] scores(int[] rankOf) {
        float[] s = new float[LAYERS * NFF];
        Arrays.fill(s, Float.NaN);
        for (int j = 0; j < CANDIDATES; j++) s[j] = CANDIDATES - rankOf[j];
        return s;
    }

    @Test
    void aKnownPermutationGivesTheFiguresWorkedOutByHand(@TempDir Path dir) throws IOException {
        int[] identity = new int[CANDIDATES], swapped = new int[CANDIDATES];
        for (int j = 0; j < CANDIDATES; j++) identity[j] = swapped[j] = j;
        for (int j = 0; j < 5; j++) {
            swapped[j] = 50 + j;
            swapped[50 + j] = j;
        }
        Path ref = DetectFolder.write(dir, "F16", LAYERS, NFF, "0:2", scores(identity), null, null);
        Path run = DetectFolder.write(dir, "Q4_K", LAYERS, NFF, "0:2", scores(swapped), null, null);
        Path out = dir.resolve("cmp");
        TnCli.run("compare", ref.toString(), run.toString(), "--reference", ref.toString(), "--top-n", "10", "--out",
                     out.toString())
                .expect(0);

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("compare.json"))).getAsJsonObject();
        assertEquals(CANDIDATES, json.get("candidate_neurons").getAsInt());
        JsonObject self = json.getAsJsonArray("runs").get(0).getAsJsonObject();
        JsonObject q4 = json.getAsJsonArray("runs").get(1).getAsJsonObject();
        assertEquals("F16", self.get("file_type").getAsString());
        assertEquals(1.0, self.get("spearman").getAsDouble(), EPS);

        // ten rank differences of 50: rho = 1 - 6 * 10 * 50^2 / (100 * (100^2 - 1))
        assertEquals(1 - 6.0 * 25000 / (100 * 9999), q4.get("spearman").getAsDouble(), EPS);
        // no ties; inversions: each of 50..54 (at 0..4) before the 50 smaller values at 5..54 (250), and
        // each of 5..49 before 0..4 (225): tau = 1 - 2 * 475 / (100 * 99 / 2) = 80 / 99
        assertEquals(80.0 / 99, q4.get("kendall").getAsDouble(), EPS);
        // top 10: {0..9} against {5..9, 50..54}: 5 common, union 15; k = 100 and 1000 are all 100 candidates
        JsonObject topK = q4.getAsJsonObject("top_k");
        assertEquals(List.of("10", "100"), List.copyOf(topK.keySet()));
        assertEquals(0.5, topK.getAsJsonObject("10").get("overlap").getAsDouble(), EPS);
        assertEquals(1.0 / 3, topK.getAsJsonObject("10").get("jaccard").getAsDouble(), EPS);
        assertEquals(1.0, topK.getAsJsonObject("100").get("overlap").getAsDouble(), EPS);
        // the reference's top 10 land at 51..55 and 6..10: median of the sorted ten between 10 and 51 = 30.5;
        // 90th percentile (numpy's linear) at position 0.9 * 9 = 8.1, between 54 and 55 = 54.1
        JsonObject landing = q4.getAsJsonObject("reference_top_n_rank");
        assertEquals(30.5, landing.get("median").getAsDouble(), EPS);
        assertEquals(54.1, landing.get("p90").getAsDouble(), EPS);
        // the reference's top 10 all lie in layer 0; the run's split five and five
        assertEquals(List.of("10", "0"), perLayer(self));
        assertEquals(List.of("5", "5"), perLayer(q4));
        assertEquals(List.of("layer\tF16\tQ4_K", "0\t10\t5", "1\t0\t5"),
                Files.readAllLines(out.resolve("layer_counts.tsv")));
    }

    static List<String> perLayer(JsonObject run) {
        JsonObject m = run.getAsJsonObject("top_n_per_layer");
        assertEquals(List.of("0", "1"), List.copyOf(m.keySet()), "only the candidate layers are counted");
        return m.keySet().stream().map(k -> m.get(k).getAsString()).toList();
    }
}
