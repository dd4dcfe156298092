package tn.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.LanguageSpecificTsv;
import tn.data.SentenceFiles;
import tn.io.Npy;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.reference.ReferenceForward;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn lape on a synthetic model: the activation probabilities equal counts over the float64
 * forward pass's gate projections (every token but the BOS), the selection's files agree, and
 * usage errors.
 */
class LapeCommandTest {
    static final String[] LANGS = {"ja", "nl", "ko", "it", "en"};

    @TempDir
    static Path dir;
    static Path out;

    static TnCli.Result lape(Path outDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "lape", "--model", RunCommandsTest.model(), "--sentences", sentences(), "--out", outDir.toString()));
        args.addAll(List.of(more));
        return RunCommandsTest.tn(args.toArray(String[] ::new));
    }

    static String sentences() {
        List<String> entries = new ArrayList<>();
        for (String l : LANGS) entries.add(l + "=data/demo/" + l + ".txt");
        return String.join(",", entries);
    }

    @BeforeAll
    static void run() {
        out = dir.resolve("lape");
        TnCli.Result r = lape(out, "--top-rate", "0.05");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void probabilitiesAreGateCountsOfTheFloat64ForwardPass() throws IOException {
        double[] p = float64Npy(out.resolve("activation_probability.npy"));
        Path file = TestModels.file(TestModels.SPM);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file)) {
            int nLayer = model.info().nLayer(), nFf = model.info().nFf();
            assertEquals(LANGS.length * nLayer * nFf, p.length);
            int exact = 0;
            for (int g = 0; g < LANGS.length; g++) {
                int[][] sure = new int[nLayer][nFf], unsure = new int[nLayer][nFf];
                long tokens = 0;
                for (String s : SentenceFiles.read(Path.of("data/demo/" + LANGS[g] + ".txt"), LANGS[g]).monolingual()) {
                    int[] t = model.tokenize(s);
                    double[][][] gate = reference.forward(t, ReferenceForward.Deactivation.none()).gate();
                    for (int pos = 1; pos < t.length; pos++) { // position 0 is the BOS
                        tokens++;
                        for (int l = 0; l < nLayer; l++) {
                            for (int i = 0; i < nFf; i++) {
                                double v = gate[l][pos][i];
                                if (Math.abs(v) <= 1e-3)
                                    unsure[l][i]++;
                                else if (v > 0)
                                    sure[l][i]++;
                            }
                        }
                    }
                }
                for (int l = 0; l < nLayer; l++) {
                    for (int i = 0; i < nFf; i++) {
                        double got = p[(g * nLayer + l) * nFf + i] * tokens;
                        assertTrue(got >= sure[l][i] - 1e-6 && got <= sure[l][i] + unsure[l][i] + 1e-6,
                                LANGS[g] + " layer " + l + " neuron " + i + ": " + got + " positive of " + tokens);
                        exact += unsure[l][i] == 0 ? 1 : 0;
                    }
                }
            }
            assertTrue(exact > LANGS.length * nLayer * nFf / 2, "too few exactly determined counts: " + exact);
        }
    }

    @Test
    void selectionFilesAgree() throws IOException {
        Map<String, List<Neuron>> specific = LanguageSpecificTsv.read(out.resolve("language_specific.tsv"));
        String json = Files.readString(out.resolve("lape.json"), StandardCharsets.UTF_8);
        int total = 0;
        for (Map.Entry<String, List<Neuron>> e : specific.entrySet()) {
            assertTrue(json.contains("\"" + e.getKey() + "\": " + e.getValue().size()), e.getKey() + " in " + json);
            total += e.getValue().size();
        }
        // 5% of 4 x 96 neurons, rounded as Python rounds
        assertTrue(json.contains("\"selected\": 19"), json);
        assertTrue(total > 0, "no language-specific neuron at all");
        BufferedImage png = ImageIO.read(out.resolve("lape_layers.png").toFile());
        assertEquals(1000, png.getWidth());
    }

    /**
     * entropy.npy and language_specific.tsv re-derived from activation_probability.npy as
     * identify.py derives them, here from its formulas alone: q = p / sum_g p, entropy -sum q ln q;
     * the filter value and the activation bar are the round(N * rate)-th smallest of all N p values;
     * a neuron no language's p exceeds the filter value is dismissed; the round(L * F * top rate)
     * lowest entropies (ties to the lower index) are selected, and each belongs to every language
     * whose p exceeds the bar.
     */
    @Test
    void selectionIsIdentifyPysFromTheWrittenProbabilities() throws IOException {
        double[] p = float64Npy(out.resolve("activation_probability.npy")),
                 entropy = float64Npy(out.resolve("entropy.npy"));
        int languages = LANGS.length, neurons = entropy.length;
        double[] expectedEntropy = new double[neurons];
        for (int n = 0; n < neurons; n++) {
            double sum = 0, h = 0;
            for (int g = 0; g < languages; g++) sum += p[g * neurons + n];
            for (int g = 0; g < languages; g++) {
                double q = sum == 0 ? 0 : p[g * neurons + n] / sum;
                if (q > 0) h -= q * Math.log(q);
            }
            expectedEntropy[n] = h;
        }
        assertArrayEquals(expectedEntropy, entropy, 1e-12);

        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double filter = sorted[(int) Math.rint(p.length * 0.95) - 1],
               bar = sorted[(int) Math.rint(p.length * 0.95) - 1];
        Integer[] order = new Integer[neurons];
        double[] key = new double[neurons];
        for (int n = 0; n < neurons; n++) {
            order[n] = n;
            boolean fires = false;
            for (int g = 0; g < languages; g++) fires |= p[g * neurons + n] > filter;
            key[n] = fires ? expectedEntropy[n] : Double.POSITIVE_INFINITY;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(n -> key[n]).thenComparingInt(n -> n));
        int selected = (int) Math.rint(neurons * 0.05);
        int nFf = TestModels.SPM.ff();
        Map<String, List<Neuron>> expected = new TreeMap<>();
        for (int g = 0; g < languages; g++) {
            List<Neuron> own = new ArrayList<>();
            for (int n : Arrays.stream(order, 0, selected).sorted().toList()) {
                if (p[g * neurons + n] > bar) own.add(new Neuron(n / nFf, n % nFf));
            }
            if (!own.isEmpty()) expected.put(LANGS[g], own);
        }
        assertEquals(expected, LanguageSpecificTsv.read(out.resolve("language_specific.tsv")));
        assertTrue(expected.values().stream().mapToInt(List::size).sum() > 0, "nothing selected: a vacuous comparison");
    }

    @Test
    void usageErrors() {
        assertEquals(2, lape(dir.resolve("e1"), "--signal", "up").code());
        List<String> args = List.of("lape", "--model", RunCommandsTest.model(), "--sentences", "ja=data/demo/ja.txt",
                "--out", dir.resolve("e2").toString());
        assertEquals(2, RunCommandsTest.tn(args.toArray(String[] ::new)).code());
        assertEquals(2, lape(dir.resolve("e3"), "--top-rate", "0").code());
        assertEquals(3,
                RunCommandsTest
                        .tn("lape", "--model", RunCommandsTest.model(), "--sentences",
                                "ja=data/demo/ja.txt,en=missing.txt", "--out", dir.resolve("e4").toString())
                        .code());
    }

    /** A float64 .npy as one flat array, at full precision (Npy.readFloat32 rounds to float). */
    static double[] float64Npy(Path file) throws IOException {
        Npy.Header h = Npy.header(file);
        assertEquals("<f8", h.descr());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(h.dataOffset());
        double[] d = new double[(int) h.count()];
        b.asDoubleBuffer().get(d);
        return d;
    }
}
