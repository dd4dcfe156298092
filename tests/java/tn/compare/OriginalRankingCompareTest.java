package tn.compare;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.TnCli;
import tn.data.ReferencePickles;
import tn.llama.Neuron;
import tn.method.LayerRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn compare with the original implementation's rankings on either side: its score dict (every
 * candidate's score, float64) and its top-n list, written by tn's pickle writer, against
 * hand-made detect folders. A 4-layer model with 8 neurons per layer, Type-2 ja, candidate layers
 * 1:4 (24 candidates, candidate j is layer 1 + j / 8, neuron j % 8). Figures are checked against
 * SciPy (tests/data/compare/ties.json) and against NaiveAgreement's slow definitions.
 */
class OriginalRankingCompareTest {
    static final int LAYERS = 4, NFF = 8, FIRST = 1, CANDIDATES = 24;
    static final LayerRange CANDIDATE_LAYERS = new LayerRange(FIRST, LAYERS);

    @TempDir
    Path dir;

    /** A detect folder of type2 ja over layers 1:4 holding these 24 candidate scores. */
    Path folder(String name, float[] candidates) {
        float[] s = new float[LAYERS * NFF];
        Arrays.fill(s, Float.NaN);
        System.arraycopy(candidates, 0, s, FIRST * NFF, CANDIDATES);
        return DetectFolder.write(dir, name, LAYERS, NFF, CANDIDATE_LAYERS.toString(), s, null, null);
    }

    Path scoreDict(String name, LayerRange layers, int nFf, double[] scores) throws IOException {
        Path file = Files.createDirectories(dir.resolve("original")).resolve(name);
        ReferencePickles.writeScoreDict(file, layers, nFf, scores);
        return file;
    }

    Path topList(String name, List<Neuron> neurons) throws IOException {
        Path file = Files.createDirectories(dir.resolve("original")).resolve(name);
        ReferencePickles.writeTopNeurons(file, neurons);
        return file;
    }

    static Neuron neuron(int candidate) {
        return new Neuron(FIRST + candidate / NFF, candidate % NFF);
    }

    JsonObject compare(String... args) throws IOException {
        Path out = dir.resolve("out");
        List<String> command = new ArrayList<>(List.of("compare", "--top-n", "5", "--out", out.toString(), "--force"));
        command.addAll(List.of(args));
        TnCli.Result r = TnCli.run(command.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(Files.readString(out.resolve("compare.json"))).getAsJsonObject();
    }

    /** compare.json's row of a run, by its path. */
    static JsonObject row(JsonObject json, Path run) {
        for (JsonElement e : json.getAsJsonArray("runs")) {
            if (e.getAsJsonObject().get("run").getAsString().equals(run.toAbsolutePath().toString()))
                return e.getAsJsonObject();
        }
        throw new AssertionError("no row for " + run + " in " + json);
    }

    /**
     * The score dict as the reference: Spearman and Kendall equal SciPy's on the dict's float64
     * scores and the run's float32 ones, ties included (float32_ties ties pairs in the run that
     * float64 keeps apart: a dict read as float32 would tie them too); the overlaps, landing ranks
     * and per-layer counts equal the textbook figures.
     */
    @Test
    void aScoreDictAsReferenceGivesScipysFigures() throws IOException {
        for (String name : ScipyTies.CASES) {
            ScipyTies c = ScipyTies.of(name);
            Path dict = scoreDict("ja_type2_top5_score_dict.pkl", CANDIDATE_LAYERS, NFF, c.reference());
            Path run = folder("Q4_K_M-" + name, c.otherAsFloats());
            JsonObject json = compare("--reference", dict.toString(), run.toString());
            assertEquals(CANDIDATES, json.get("candidate_neurons").getAsInt());
            assertEquals("1:4", json.get("layers").getAsString());
            JsonObject r = row(json, run);
            assertEquals(c.spearman(), r.get("spearman").getAsDouble(), 1e-12, name);
            assertEquals(c.kendall(), r.get("kendall").getAsDouble(), 1e-12, name);
            assertEquals(NaiveAgreement.overlap(c.reference(), c.other(), 10),
                    r.getAsJsonObject("top_k").getAsJsonObject("10").get("overlap").getAsDouble(), 1e-12, name);
            double[] landing = landingRanks(c.reference(), c.other(), 5, CANDIDATES);
            assertEquals(landing[2], r.getAsJsonObject("reference_top_n_rank").get("median").getAsDouble(), 1e-12);
            int[] perLayer = new int[LAYERS];
            for (int j : NaiveAgreement.top(c.other(), 5)) perLayer[neuron(j).layer()]++;
            for (int layer = FIRST; layer < LAYERS; layer++) {
                assertEquals(perLayer[layer],
                        r.getAsJsonObject("top_n_per_layer").get(String.valueOf(layer)).getAsInt(), name);
            }
            JsonObject self = row(json, dict);
            assertEquals(1.0, self.get("spearman").getAsDouble(), 1e-12);
            assertEquals("the original implementation's score dict", self.get("ranking").getAsString());
            assertTrue(self.get("bits_per_weight").isJsonNull());
        }
    }

    /**
     * A top-12 list beside a detect folder of the same scores, against the score dict: the list
     * gives the folder's overlap@10, per-layer counts and landing ranks where they fall within its
     * 12 (null beyond), no rank correlations (null, with the reason), and no overlap@24.
     */
    @Test
    void aTopNListGivesOverlapsAndLandingRanksOnly() throws IOException {
        ScipyTies c = ScipyTies.of("ties_reference_only");
        Path dict = scoreDict("ja_type2_top5_score_dict.pkl", CANDIDATE_LAYERS, NFF, c.reference());
        Path run = folder("Q8_0", c.otherAsFloats());
        Path list =
                topList("ja_type2_top12.pkl", NaiveAgreement.top(c.other(), 12).stream().map(j -> neuron(j)).toList());
        JsonObject json = compare("--reference", dict.toString(), run.toString(), list.toString());
        JsonObject full = row(json, run), top = row(json, list);
        assertTrue(top.get("spearman").isJsonNull());
        assertTrue(top.get("kendall").isJsonNull());
        assertTrue(top.get("not_computed").getAsString().contains("top-12 list"), top.toString());
        assertEquals(
                full.getAsJsonObject("top_k").getAsJsonObject("10"), top.getAsJsonObject("top_k").getAsJsonObject("10"));
        assertTrue(top.getAsJsonObject("top_k").getAsJsonObject("24").get("overlap").isJsonNull());
        assertEquals(full.get("top_n_per_layer"), top.get("top_n_per_layer"));
        double[] landing = landingRanks(c.reference(), c.other(), 5, CANDIDATES);
        // ranks 2, 6, 9, 12, 13 (numpy, by hand): the median 9 lies in the list; the p90, between 12 and 13, needs
        // the 13th, beyond the list's 12
        assertEquals("[2.0, 6.0, 9.0, 12.0, 13.0]", Arrays.toString(landing));
        assertEquals(landing[2], full.getAsJsonObject("reference_top_n_rank").get("median").getAsDouble(), 1e-12);
        assertEquals(
                percentile90(landing), full.getAsJsonObject("reference_top_n_rank").get("p90").getAsDouble(), 1e-12);
        assertEquals(landing[2], top.getAsJsonObject("reference_top_n_rank").get("median").getAsDouble(), 1e-12);
        assertTrue(top.getAsJsonObject("reference_top_n_rank").get("p90").isJsonNull());
        // the list as the reference: its top 5 land where the folder ranks them; no rank correlations
        JsonObject reversed = compare("--reference", list.toString(), run.toString());
        JsonObject r = row(reversed, run);
        assertTrue(r.get("spearman").isJsonNull());
        assertEquals(3.0, r.getAsJsonObject("reference_top_n_rank").get("median").getAsDouble(), 1e-12);
        assertEquals(1.0, r.getAsJsonObject("top_k").getAsJsonObject("10").get("overlap").getAsDouble(), 1e-12);
    }

    /** A Type-2 dict of the original scores every layer; compare keeps the Type-2 candidate layers, as it ranks. */
    @Test
    void aType2DictOfEveryLayerIsCutToTheType2Candidates() throws IOException {
        // 32 layers of 2 neurons: Type-2 candidates 20:32, as the original's 32-layer models
        double[] all = new double[32 * 2];
        for (int k = 0; k < all.length; k++) all[k] = Math.sin(k * 0.7);
        Path dict = scoreDict("ja_type2_top5_score_dict.pkl", new LayerRange(0, 32), 2, all);
        float[] s = new float[32 * 2];
        Arrays.fill(s, Float.NaN);
        for (int k = 40; k < 64; k++) s[k] = (float) all[k];
        Path run = DetectFolder.write(dir, "F16", 32, 2, "20:32", s, null, null);
        JsonObject json = compare("--reference", dict.toString(), run.toString());
        assertEquals(24, json.get("candidate_neurons").getAsInt());
        assertEquals(1.0, row(json, run).get("spearman").getAsDouble(), 1e-12);
    }

    /** Sides that cannot rank the same neurons are refused, exit 3, naming both files. */
    @Test
    void incompatibleRankingsAreRefusedNamingBothFiles() throws IOException {
        double[] scores = new double[CANDIDATES];
        for (int j = 0; j < CANDIDATES; j++) scores[j] = j % 5 + 0.1 * j;
        float[] floats = new float[CANDIDATES];
        for (int j = 0; j < CANDIDATES; j++) floats[j] = (float) scores[j];
        Path run = folder("Q8_0", floats);
        refused(scoreDict("ja_type1_top5_score_dict.pkl", CANDIDATE_LAYERS, NFF, scores), run, "transfer types");
        refused(scoreDict("ko_type2_top5_score_dict.pkl", CANDIDATE_LAYERS, NFF, scores), run, "languages");
        refused(scoreDict("ja_type2_top3_score_dict.pkl", new LayerRange(2, 5), NFF, scores), run, "layers 2:5");
        refused(scoreDict("ja_type2_top4_score_dict.pkl", new LayerRange(1, 4), 6, Arrays.copyOf(scores, 18)), run,
                "different widths");
        refused(topList("ja_type2_top2.pkl", List.of(new Neuron(1, 0), new Neuron(0, 3))), run,
                "not among the candidate neurons");
        refused(topList("ja_type2_top1.pkl", List.of(new Neuron(2, 8))), run, "not among the candidate neurons");
        TnCli.Result r = TnCli.run("compare", "--reference", topList("scores.pkl", List.of(neuron(0))).toString(),
                run.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("scores.pkl: not named as the original implementation's"), r.err());
        Path dict = scoreDict("ja_type2_top6_score_dict.pkl", CANDIDATE_LAYERS, NFF, scores);
        Path list = topList("ja_type2_top7.pkl", List.of(neuron(0)));
        r = TnCli.run("compare", "--reference", list.toString(), list.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("every ranking given is a top-n list"), r.err());
        assertEquals(0, TnCli.run("compare", "--reference", dict.toString(), list.toString()).code());
    }

    void refused(Path pickle, Path run, String why) {
        for (String[] args : List.of(new String[] {"compare", "--reference", pickle.toString(), run.toString()},
                     new String[] {"compare", "--reference", run.toString(), pickle.toString()})) {
            TnCli.Result r = TnCli.run(args);
            assertEquals(3, r.code(), pickle + ": " + r.err());
            assertTrue(r.err().contains(why), r.err());
            assertTrue(r.err().contains(pickle.toString()) && r.err().contains(run.toString()), r.err());
        }
    }

    /** The reference's top n's ranks in the other ranking, sorted: p50 at index (n-1)/2 for odd n. */
    static double[] landingRanks(double[] reference, double[] other, int n, int candidates) {
        List<Integer> otherOrder = NaiveAgreement.top(other, candidates);
        double[] ranks =
                NaiveAgreement.top(reference, n).stream().mapToDouble(j -> otherOrder.indexOf(j) + 1).toArray();
        Arrays.sort(ranks);
        return ranks;
    }

    /** numpy's percentile(ranks, 90) of 5 sorted values: position 3.6. */
    static double percentile90(double[] sorted) {
        return sorted[3] + 0.6 * (sorted[4] - sorted[3]);
    }
}
