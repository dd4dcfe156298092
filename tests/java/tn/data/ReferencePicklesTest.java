package tn.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;
import tn.llama.Neuron;
import tn.method.LayerRange;
import tn.method.TransferType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original implementation's pickles as NumPy 1.x and 2.x write them (tests/data/README.md):
 * centroids, score dicts of NumPy scalars, the rankings made of them, and its real data files.
 */
class ReferencePicklesTest {
    static final Path PKL = Path.of("tests/data/pkl");
    static final Path SEED = Path.of("tests/data/seed");

    /** c = [np.array([1, 2, 3, 4], dtype=np.float32) / 7 + l for l in range(3)], in float32 arithmetic as NumPy does it. */
    static float[][] expectedCentroids() {
        float[][] c = new float[3][4];
        for (int l = 0; l < 3; l++)
            for (int j = 0; j < 4; j++) c[l][j] = (float) (j + 1) / 7f + l;
        return c;
    }

    @Test
    void centroidsOfEveryProtocolNumpyVersionOrderAndByteOrder() {
        float[][] expected = expectedCentroids();
        for (String f : List.of("centroids-np1-p4.pkl", "centroids-np1-p2.pkl", "centroids-np2-p5.pkl",
                     "centroids-2d-f8-fortran-be.pkl")) {
            float[][] c = ReferencePickles.readCentroids(PKL.resolve(f));
            for (int l = 0; l < 3; l++) assertArrayEquals(expected[l], c[l], f + " layer " + l);
        }
        // float16: the values NumPy itself decodes, print(list(map(float, x)))
        float[][] half = ReferencePickles.readCentroids(PKL.resolve("centroids-f2.pkl"));
        assertArrayEquals(new float[] {0.142822265625f, 0.28564453125f, 0.428466796875f, 0.5712890625f}, half[0]);
        assertArrayEquals(new float[] {2.142578125f, 2.28515625f, 2.427734375f, 2.572265625f}, half[2]);
    }

    /** s as in tests/data/README.md: layer l, neuron i. */
    static final double[][] SCORES = {{0.5, -1, 0.25}, {2, 0.125, -3}, {0.75, 0.75, 1.5}, {-0.5, 4, 0.0625}};

    @Test
    void scoreDictsOfNumpyScalarsAndTheRankingsMadeOfThem(@TempDir Path dir) throws IOException {
        Map<Neuron, Double> dict = ReferencePickles.readScoreDict(PKL.resolve("xx_type1_top2_score_dict.pkl"));
        assertEquals(12, dict.size());
        List<Neuron> keys = new ArrayList<>(dict.keySet());
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(SCORES[l][i], dict.get(new Neuron(l, i)));
                assertEquals(new Neuron(l, i), keys.get(3 * l + i), "the dict's order, as Python keeps it");
            }
        }

        // highest first; the tie 0.75 = 0.75 goes to the lower neuron, as Python's stable sort of the dict's order does
        List<Neuron> type1 = ReferencePickles.readRanking(PKL.resolve("xx_type1_top2_score_dict.pkl"));
        assertEquals(List.of(new Neuron(3, 1), new Neuron(1, 0), new Neuron(2, 2), new Neuron(2, 0), new Neuron(2, 1),
                             new Neuron(0, 0), new Neuron(0, 2), new Neuron(1, 1), new Neuron(3, 2), new Neuron(3, 0),
                             new Neuron(0, 1), new Neuron(1, 2)),
                type1);
        assertEquals(type1, naiveRanking(dict));

        // a Type-2 dict of the original scores every layer; its ranking keeps the Type-2 candidates (layer 3 of 4)
        assertEquals(new LayerRange(3, 4), TransferType.TYPE2.candidateLayers(4));
        assertEquals(List.of(new Neuron(3, 1), new Neuron(3, 2), new Neuron(3, 0)),
                ReferencePickles.readRanking(PKL.resolve("xx_type2_top2_score_dict.pkl")));
        // beside a tn run.json it is tn's own dict, of its candidate neurons only: nothing is filtered
        Path copy = dir.resolve("xx_type2_top2_score_dict.pkl");
        Files.copy(PKL.resolve("xx_type2_top2_score_dict.pkl"), copy);
        Files.writeString(dir.resolve("run.json"), "{}");
        assertEquals(type1, ReferencePickles.readRanking(copy));

        assertEquals(Optional.of(new ReferencePickles.Name("zh_cn", TransferType.TYPE2, true)),
                ReferencePickles.Name.of(Path.of("x/zh_cn_type2_top1000_score_dict.pkl")));
        assertEquals(Optional.of(new ReferencePickles.Name("ja", TransferType.TYPE1, false)),
                ReferencePickles.Name.of(Path.of("ja_type1_top1000.pkl")));
        assertEquals(Optional.empty(), ReferencePickles.Name.of(Path.of("ranking.tsv")));
    }

    /** The dict's keys sorted by a plain comparison of scores, then of (layer, neuron). */
    static List<Neuron> naiveRanking(Map<Neuron, Double> dict) {
        List<Neuron> out = new ArrayList<>(dict.keySet());
        out.sort((a, b) -> dict.get(a).equals(dict.get(b)) ? a.compareTo(b) : dict.get(a) > dict.get(b) ? -1 : 1);
        return out;
    }

    @Test
    void everyCandidateScoreIsWrittenInTheOriginalsOrder(@TempDir Path dir) {
        double[] means = {0.5, -1, 0.25, 2, 0.125, -3}; // layers 2 and 3 of 3 neurons
        Path file = dir.resolve(ReferencePickles.scoreDictFileName("ja", "type2", 2));
        ReferencePickles.writeScoreDict(file, new LayerRange(2, 4), 3, means);
        Map<Neuron, Double> back = ReferencePickles.readScoreDict(file);
        List<Neuron> keys = new ArrayList<>(back.keySet());
        List<Neuron> expected = List.of(new Neuron(2, 0), new Neuron(2, 1), new Neuron(2, 2), new Neuron(3, 0),
                new Neuron(3, 1), new Neuron(3, 2));
        for (int k = 0; k < 6; k++) assertEquals(means[k], back.get(expected.get(k)));
        assertEquals(expected, keys);
        assertEquals(List.of(new Neuron(3, 0), new Neuron(2, 0), new Neuron(2, 2), new Neuron(3, 1), new Neuron(2, 1),
                             new Neuron(3, 2)),
                ReferencePickles.readRanking(file), "a dict without layer 0 is not the original's: taken whole");
    }

    @Test
    void theOriginalsRealFilesThatAreNoRankingOrCentroidsAreRefusedByName() {
        Path str = SEED.resolve("ja_parallel_last_n_samples.pkl");
        for (Runnable read : List.<Runnable>of(()
                                                       -> ReferencePickles.readRanking(str),
                     () -> ReferencePickles.readCentroids(str), () -> SentenceFiles.read(str, "ja"))) {
            InputException e = assertThrows(InputException.class, read::run);
            assertTrue(e.getMessage().startsWith(str.toString()) && e.getMessage().contains("found a str"),
                    e.getMessage());
        }
        InputException e = assertThrows(
                InputException.class, () -> ReferencePickles.readCentroids(SEED.resolve("ja_mono_test.pkl")));
        assertTrue(e.getMessage().contains("entry 0: expected a 1-D NumPy array, found a str"), e.getMessage());
        e = assertThrows(InputException.class, () -> ReferencePickles.readRanking(SEED.resolve("ja_mono_test.pkl")));
        assertTrue(e.getMessage().contains("entry 0: expected a (layer, neuron) tuple of ints, found a str"),
                e.getMessage());
        e = assertThrows(InputException.class, () -> ReferencePickles.readRanking(PKL.resolve("centroids-np1-p4.pkl")));
        assertTrue(e.getMessage().contains("found a numpy array f4 [4]"), e.getMessage());
    }

    @Test
    void aScoreDictWithANonFiniteScoreIsRefused(@TempDir Path dir) {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Path file = dir.resolve(ReferencePickles.scoreDictFileName("ja", "type1", 2));
            ReferencePickles.writeScoreDict(file, new LayerRange(1, 2), 3, new double[] {0.5, bad, 0.25});
            InputException e = assertThrows(InputException.class, () -> ReferencePickles.readRanking(file));
            assertTrue(e.getMessage().startsWith(file + " entry 1: the score of neuron ")
                            && e.getMessage().contains(" is " + bad),
                    e.getMessage());
        }
    }

    @Test
    void aRankingListingANeuronTwiceIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ja_type1_top3.pkl");
        Files.write(f,
                new net.razorvine.pickle.Pickler().dumps(
                        List.of(new Object[] {1, 2}, new Object[] {0, 5}, new Object[] {1, 2})));
        InputException e = assertThrows(InputException.class, () -> ReferencePickles.readRanking(f));
        assertTrue(e.getMessage().contains("entry 2: neuron (1, 2) is listed twice (entries 0 and 2)"), e.getMessage());
    }

    @Test
    void theOriginalsSentencesPerLanguageInOneDict() {
        Path mkqa = SEED.resolve("mkqa_example_sentences.pkl");
        for (String lang : List.of("ja", "nl", "ko", "it", "en")) {
            Dataset d = SentenceFiles.read(mkqa, lang);
            assertEquals(1000, d.size(), lang);
            assertEquals(0, d.skippedEmpty(), lang);
            assertEquals(mkqa + " ['" + lang + "'] element 999", d.where(999));
        }
        assertEquals("half and halfの最終話で何が起こった？", SentenceFiles.read(mkqa, "ja").monolingual().get(0));
        assertEquals(
                "who dubbed tommy vercetti in gta vice city", SentenceFiles.read(mkqa, "en").monolingual().get(999));
        InputException e = assertThrows(InputException.class, () -> SentenceFiles.read(mkqa, "de"));
        assertTrue(e.getMessage().contains("without 'de' (it has: en, it, ja, ko, nl)"), e.getMessage());
        assertEquals("君は賢い選択をした。",
                SentenceFiles.read(SEED.resolve("ja_mono_test.pkl"), "ja").monolingual().get(999));
    }
}
