package tn.analysis;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;
import tn.io.Npy;
import tn.llama.Neuron;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LAPE: probabilities and entropies by hand, identify.py's selection on a table small enough to
 * follow step by step, planted language-specific neurons found among random common ones, and the
 * files.
 */
class LapeTest {
    /** p in hundredths for two languages of 100 tokens each, one layer of ten neurons. */
    static final long[] EN = {90, 10, 50, 50, 0, 30, 20, 40, 5, 60}, JA = {0, 80, 50, 95, 0, 30, 20, 40, 5, 70};

    static Lape tenNeurons() {
        return new Lape(List.of("en", "ja"), new long[] {100, 100}, new long[][][] {{EN}, {JA}});
    }

    @Test
    void probabilityAndEntropyByHand() {
        // en: 5 of 10 tokens and 0 of 10; ja: 10 of 20 and 4 of 20
        Lape lape = new Lape(List.of("en", "ja"), new long[] {10, 20}, new long[][][] {{{5, 0}}, {{10, 4}}});
        assertEquals(0.5, lape.probability(0, 0, 0));
        assertEquals(0.0, lape.probability(0, 0, 1));
        assertEquals(0.5, lape.probability(1, 0, 0));
        assertEquals(0.2, lape.probability(1, 0, 1));
        assertEquals(Math.log(2), lape.entropy(0, 0), 1e-15); // q = (1/2, 1/2)
        assertEquals(0.0, lape.entropy(0, 1)); // q = (0, 1): 0 ln 0 counts 0
        Lape silent = new Lape(List.of("en", "ja"), new long[] {3, 3}, new long[][][] {{{0}}, {{0}}});
        assertEquals(0.0, silent.entropy(0, 0)); // no p at all: q = 0, not NaN
        // three languages: p = (0.2, 0.2, 0.4), q = (1/4, 1/4, 1/2), H = 1.5 ln 2
        Lape three = new Lape(List.of("a", "b", "c"), new long[] {5, 10, 5}, new long[][][] {{{1}}, {{2}}, {{2}}});
        assertEquals(1.5 * Math.log(2), three.entropy(0, 0), 1e-15);
    }

    @Test
    void kthValueAndRoundingAreTorchsAndPythons() {
        assertEquals(2, Lape.pythonRound(2.5));
        assertEquals(4, Lape.pythonRound(3.5));
        assertEquals(10, Lape.pythonRound(10 * 0.95)); // 9.5 to the even 10
        assertEquals(19, Lape.pythonRound(20 * 0.95));
        assertEquals(0, Lape.pythonRound(20 * 0.01)); // 0.2: no neuron selected
        double[] v = {0.3, 0.1, 0.2, 0.1};
        assertEquals(0.1, Lape.kthSmallest(v, 1));
        assertEquals(0.1, Lape.kthSmallest(v, 2));
        assertEquals(0.2, Lape.kthSmallest(v, 3));
        assertEquals(0.3, Lape.kthSmallest(v, 4));
        assertArrayEquals(new double[] {0.3, 0.1, 0.2, 0.1}, v); // left in place
        assertThrows(InvalidValueException.class, () -> Lape.kthSmallest(v, 0));
        assertThrows(InvalidValueException.class, () -> Lape.kthSmallest(v, 5));
        // 2 values x 0.2 rounds to 0: torch.kthvalue(0) fails, so do we
        Lape two = new Lape(List.of("a", "b"), new long[] {1, 1}, new long[][][] {{{1}}, {{0}}});
        assertThrows(InvalidValueException.class, () -> two.select(new Lape.Thresholds(0.2, 1, 0.5)));
    }

    @Test
    void selectionStepByStep() {
        // The 20 p values sorted: 0 0 0 .05 .05 .1 .2 .2 .3 .3 .4 .4 .5 .5 .5 .6 .7 .8 .9 .95.
        // Paper's rates: filter and bar = 19th smallest = .90; only neuron 3 (ja .95) exceeds it.
        // round(10 x 0.2) = 2 neurons are taken: 3, then the dismissed (+inf) neuron of lowest index, 0,
        // as torch.topk does. Only ja's .95 clears the bar; en's .90 at neuron 0 does not (strictly greater).
        Lape.Selection s = tenNeurons().select(new Lape.Thresholds(0.95, 0.2, 0.95));
        assertEquals(0.90, s.filterValue());
        assertEquals(0.90, s.activationBar());
        assertEquals(2, s.selected());
        assertEquals(List.of(List.of(), List.of(new Neuron(0, 3))), s.byLanguage());

        // Rates 0.75: 15th smallest = .5; candidates (some p > .5): 0 (H 0), 1 (p .1/.8, H 0.349),
        // 3 (.5/.95, H 0.645), 9 (.6/.7, H 0.690). The two lowest: 0 for en (.9 > .5), 1 for ja (.8).
        s = tenNeurons().select(new Lape.Thresholds(0.75, 0.2, 0.75));
        assertEquals(0.5, s.filterValue());
        assertEquals(List.of(List.of(new Neuron(0, 0)), List.of(new Neuron(0, 1))), s.byLanguage());

        // A lower bar (0.6: 12th smallest = .4) gives neuron 3 to both languages when it is selected
        s = tenNeurons().select(new Lape.Thresholds(0.75, 0.3, 0.6));
        assertEquals(0.4, s.activationBar());
        assertEquals(List.of(List.of(new Neuron(0, 0), new Neuron(0, 3)), List.of(new Neuron(0, 1), new Neuron(0, 3))),
                s.byLanguage());
    }

    @Test
    void thresholdsAreChecked() {
        assertThrows(InvalidValueException.class, () -> new Lape.Thresholds(0, 0.01, 0.95));
        assertThrows(InvalidValueException.class, () -> new Lape.Thresholds(0.95, 1.5, 0.95));
        assertThrows(InvalidValueException.class, () -> new Lape.Thresholds(0.95, 0.01, Double.NaN));
        assertEquals(new Lape.Thresholds(0.95, 0.01, 0.95), Lape.Thresholds.PAPER);
    }

    @Test
    void badCountsAreRefused() {
        assertThrows(InputException.class,
                () -> new Lape(List.of("en", "ja"), new long[] {0, 5}, new long[][][] {{{0}}, {{1}}}));
        assertThrows(IllegalArgumentException.class,
                () -> new Lape(List.of("en", "ja"), new long[] {5, 5}, new long[][][] {{{6}}, {{1}}}));
        assertThrows(IllegalArgumentException.class,
                () -> new Lape(List.of("en", "ja"), new long[] {5, 5}, new long[][][] {{{1, 2}}, {{1}}}));
        assertThrows(IllegalArgumentException.class,
                () -> new Lape(List.of("en"), new long[] {5, 5}, new long[][][] {{{1}}}));
    }

    /**
     * 3 languages (with different token counts), 4 layers of 600 neurons. 8 neurons per language
     * fire for about 90% of that language's tokens and about 1% of the others'; every other neuron
     * fires for 5-50% of every language's tokens. With the paper's rates, 1% of the 2400 neurons,
     * 24, are selected: exactly the planted ones, each for its own language only.
     */
    @Test
    void findsPlantedLanguageSpecificNeurons() {
        List<String> languages = List.of("ja", "nl", "ko");
        long[] tokens = {1000, 1500, 800};
        int nLayer = 4, nFf = 600;
        SplittableRandom random = new SplittableRandom(7);
        long[][][] positive = new long[3][nLayer][nFf];
        for (int g = 0; g < 3; g++) {
            for (int l = 0; l < nLayer; l++) {
                for (int i = 0; i < nFf; i++)
                    positive[g][l][i] = Math.round(tokens[g] * (0.05 + 0.45 * random.nextDouble()));
            }
        }
        List<List<Neuron>> planted = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        while (planted.stream().mapToInt(List::size).sum() < 24) {
            Neuron n = new Neuron(random.nextInt(nLayer), random.nextInt(nFf));
            if (planted.stream().anyMatch(p -> p.contains(n))) continue;
            int owner = planted.stream().mapToInt(List::size).sum() % 3;
            planted.get(owner).add(n);
            for (int g = 0; g < 3; g++) {
                double p = g == owner ? 0.88 + 0.04 * random.nextDouble() : 0.005 + 0.01 * random.nextDouble();
                positive[g][n.layer()][n.index()] = Math.round(tokens[g] * p);
            }
        }
        planted.forEach(p -> p.sort(null));
        Lape.Selection s = new Lape(languages, tokens, positive).select(Lape.Thresholds.PAPER);
        assertEquals(24, s.selected());
        assertEquals(planted, s.byLanguage());
        assertTrue(s.filterValue() > 0.4 && s.filterValue() < 0.5, "the 95th percentile lies among the common neurons");
    }

    @Test
    void filesRoundTrip(@TempDir Path dir) throws IOException {
        Lape lape = tenNeurons();
        Lape.Selection s = lape.select(new Lape.Thresholds(0.75, 0.3, 0.6));
        lape.writeProbabilities(dir.resolve("activation_probability.npy"));
        lape.writeEntropy(dir.resolve("entropy.npy"));
        LanguageSpecificTsv.write(dir.resolve("language_specific.tsv"), lape, s);

        Npy.Array p = Npy.readFloat32(dir.resolve("activation_probability.npy"));
        assertArrayEquals(new int[] {2, 1, 10}, p.shape());
        assertEquals(0.95f, p.data()[10 + 3]); // ja, layer 0, neuron 3
        Npy.Array h = Npy.readFloat32(dir.resolve("entropy.npy"));
        assertArrayEquals(new int[] {1, 10}, h.shape());
        assertEquals((float) Math.log(2), h.data()[2]); // neuron 2: .5 and .5

        List<String> lines = Files.readAllLines(dir.resolve("language_specific.tsv"));
        assertEquals(LanguageSpecificTsv.HEADER, lines.get(0));
        assertEquals(5, lines.size());
        assertEquals("en\t0\t0\t0.0\t0.9\t1.0", lines.get(1));
        String[] ja3 = lines.get(4).split("\t");
        assertEquals(List.of("ja", "0", "3"), List.of(ja3).subList(0, 3));
        assertEquals(0.95 / 1.45, Double.parseDouble(ja3[5]), 1e-12);
        assertEquals(Map.of("en", List.of(new Neuron(0, 0), new Neuron(0, 3)), "ja",
                             List.of(new Neuron(0, 1), new Neuron(0, 3))),
                LanguageSpecificTsv.read(dir.resolve("language_specific.tsv")));
    }

    @Test
    void readErrorsNameFileAndLine(@TempDir Path dir) throws IOException {
        String header = LanguageSpecificTsv.HEADER + "\n";
        assertReadError(dir, "rank\tlayer\tneuron\tscore\n1\t0\t0\t1\n", "bad.tsv:1: not a language_specific.tsv");
        assertReadError(dir, header + "ja\t0\t1\t0\t0\t0\nja\tx\t1\t0\t0\t0\n", "bad.tsv:3: For input string: \"x\"");
        assertReadError(dir, header + "ja\t0\n", "bad.tsv:2: expected language, layer, neuron");
        assertReadError(dir, header + "ja\t0\t-1\n", "bad.tsv:2: negative layer or neuron index");
        assertReadError(dir, header + "ja\t0\t1\nnl\t0\t1\n\nja\t0\t1\n", "bad.tsv:5: ja (0, 1) is listed twice");
        Path missing = dir.resolve("missing.tsv");
        assertTrue(assertThrows(InputException.class, () -> LanguageSpecificTsv.read(missing))
                        .getMessage()
                        .contains("missing.tsv: no such file"));
    }

    private static void assertReadError(Path dir, String text, String expected) throws IOException {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, text);
        String message = assertThrows(InputException.class, () -> LanguageSpecificTsv.read(f)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
