package tn.cli;

import net.razorvine.pickle.Pickler;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestRankings;
import tn.TestModels;
import tn.analysis.SpecificityTest;
import tn.data.ReferencePickles;
import tn.data.SentenceFiles;
import tn.io.Npy;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.llama.SessionOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original implementation's own files through tn: its 5 x 1000 Tatoeba sentences (the default
 * input of its language-specificity analysis) and its MKQA sentence dict (tests/data/seed), ranking
 * pickles in its format and name, and its centroid pickle; every figure against a direct
 * computation on activations and states captured here.
 */
class SeedFilesTest {
    static final Path SEED = Path.of("tests/data/seed");
    static final List<String> LANGS = List.of("ja", "nl", "ko", "it", "en");
    static final int TOP = 120;

    @TempDir
    static Path dir;
    static Path model;
    static Path jaType1, koType2;
    static List<Neuron> jaNeurons = new ArrayList<>(), koNeurons = new ArrayList<>();

    @BeforeAll
    static void rankings() throws IOException {
        model = TestModels.file(TestModels.SPM);
        // layer 0 whole and 24 of layer 1 for ja's Type-1; layers 2 and 3 likewise for ko's Type-2
        for (int i = 0; i < TOP; i++) {
            jaNeurons.add(new Neuron(i / 96, (7 * i) % 96));
            koNeurons.add(new Neuron(2 + i / 96, (5 * i + 3) % 96));
        }
        jaType1 = pickle(dir.resolve(ReferencePickles.topFileName("ja", "type1", TOP)), jaNeurons);
        koType2 = pickle(dir.resolve(ReferencePickles.topFileName("ko", "type2", TOP)), koNeurons);
    }

    /** A list of (layer, neuron) tuples, as the original's detect_tn.py pickles its top n. */
    static Path pickle(Path file, List<Neuron> neurons) throws IOException {
        List<Object[]> tuples = neurons.stream().map(n -> new Object[] {n.layer(), n.index()}).toList();
        Files.write(file, new Pickler().dumps(tuples));
        return file;
    }

    static String seedSentences() {
        return String.join(",", LANGS.stream().map(l -> l + "=" + SEED.resolve(l + "_mono_test.pkl")).toList());
    }

    /**
     * Per language, the last-token activation of every neuron of every layer: [lang][layer] -> rows x n_ff. The five
     * files' sentences run in the run's own batches (64 sentences in file order, the same session settings), so the
     * activations are the run's, bit for bit; everything computed from them here is the tests' own.
     */
    static float[][][] activations() {
        List<String> all = new ArrayList<>();
        int[] sizes = new int[LANGS.size()];
        for (int g = 0; g < LANGS.size(); g++) {
            List<String> text =
                    SentenceFiles.read(SEED.resolve(LANGS.get(g) + "_mono_test.pkl"), LANGS.get(g)).monolingual();
            sizes[g] = text.size();
            all.addAll(text);
        }
        try (Model m = Model.open(model);
                Session session = m.newSession(new SessionOptions(1, SessionOptions.DEFAULT_CONTEXT, 64, true))) {
            int nLayer = m.info().nLayer(), f = m.info().nFf();
            CaptureSpec spec = CaptureSpec.lastToken().allLayers(Kind.ACTIVATION, nLayer).build();
            float[][] rows = new float[nLayer][all.size() * f];
            for (int from = 0; from < all.size(); from += 64) {
                List<int[]> tokens =
                        all.subList(from, Math.min(from + 64, all.size())).stream().map(m::tokenize).toList();
                Capture c = session.run(tokens, spec);
                for (int l = 0; l < nLayer; l++) {
                    float[] a = c.matrix(Kind.ACTIVATION, l);
                    System.arraycopy(a, 0, rows[l], from * f, a.length);
                }
            }
            float[][][] out = new float[LANGS.size()][nLayer][];
            for (int g = 0, start = 0; g < LANGS.size(); start += sizes[g++]) {
                for (int l = 0; l < nLayer; l++)
                    out[g][l] = java.util.Arrays.copyOfRange(rows[l], start * f, (start + sizes[g]) * f);
            }
            return out;
        }
    }

    /**
     * tn specificity --labels both on the original's five sentence files and two rankings in its format, named as it
     * names them (the target and type come from the names): per neuron, eta^2 and the ANOVA's p by the two-pass
     * formula and Welch's t and p by Commons Math's TTest, over the directly captured activations split by the
     * language label and by the original's family label (ja+ko against nl+it+en); per ranking the shares at eta^2 >=
     * 0.1 and 0.25 (p < 0.05) and the mean eta^2 of the top 10 and 100.
     */
    @Test
    void specificityOnTheOriginalsSentencesWithBothLabels() throws IOException {
        Path out = dir.resolve("specificity");
        TnCli.Result r = RunCommandsTest.tn("specificity", "--model", model.toString(), "--ranking", jaType1.toString(),
                "--ranking", koType2.toString(), "--sentences", seedSentences(), "--labels", "both", "--batch", "64",
                "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        float[][][] acts = activations();
        int nFf = TestModels.SPM.ff();
        TTest tTest = new TTest();
        Map<String, double[]> expectedSummary =
                new HashMap<>(); // labels/target -> {share 0.1, share 0.25, top10, top100}
        Map<String, List<Double>> eta2s = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("specificity.tsv"));
        assertEquals(1 + 2 * 2 * TOP, lines.size(), "two label settings of two rankings of " + TOP);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            String labels = f[0], target = f[3];
            assertEquals(target.equals("ja") ? "type1" : "type2", f[4], "the type from the original's file name");
            int layer = Integer.parseInt(f[6]), neuron = Integer.parseInt(f[7]);
            List<Double> one = new ArrayList<>(), zero = new ArrayList<>();
            for (int g = 0; g < LANGS.size(); g++) {
                String lang = LANGS.get(g);
                boolean labelled = labels.equals("language")
                        ? lang.equals(target)
                        : (lang.equals("ja") || lang.equals("ko")) == (target.equals("ja") || target.equals("ko"));
                for (int s = 0; s < acts[g][layer].length / nFf; s++)
                    (labelled ? one : zero).add((double) acts[g][layer][s * nFf + neuron]);
            }
            double[] a1 = one.stream().mapToDouble(Double::doubleValue).toArray(),
                     a0 = zero.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(labels.equals("language") ? 1000 : 2000, a1.length);
            assertEquals(String.valueOf(a1.length), f[13]);
            double[] expected = SpecificityTest.twoPass(new double[][] {a1, a0}, 0);
            String where = labels + " " + f[2] + " rank " + f[5];
            assertEquals(expected[0], Double.parseDouble(f[8]), 1e-6 * expected[0] + 1e-12, where);
            assertEquals(expected[1], Double.parseDouble(f[9]), Math.max(1e-5 * expected[1], 1e-14), where);
            double t = tTest.t(a0, a1), p = tTest.tTest(a0, a1);
            assertEquals(t, Double.parseDouble(f[10]), 1e-6 * Math.abs(t) + 1e-9, where);
            assertEquals(p, Double.parseDouble(f[12]), Math.max(1e-5 * p, 1e-14), where);
            String key = labels + "/" + target;
            double[] s = expectedSummary.computeIfAbsent(key, k -> new double[2]);
            if (expected[1] < 0.05 && expected[0] >= 0.1) s[0]++;
            if (expected[1] < 0.05 && expected[0] >= 0.25) s[1]++;
            eta2s.computeIfAbsent(key, k -> new ArrayList<>()).add(expected[0]);
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.tsv"));
        assertEquals(5, summary.size());
        int specific = 0;
        for (String line : summary.subList(1, 5)) {
            String[] f = line.split("\t");
            String key = f[0] + "/" + f[3];
            assertEquals(expectedSummary.get(key)[0] / TOP, Double.parseDouble(f[7]), 1e-12, line);
            assertEquals(expectedSummary.get(key)[1] / TOP, Double.parseDouble(f[8]), 1e-12, line);
            List<Double> eta2 = eta2s.get(key);
            assertEquals(eta2.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    Double.parseDouble(f[9]), 1e-6, line);
            assertEquals(eta2.subList(0, 100).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    Double.parseDouble(f[10]), 1e-6, line);
            assertEquals("nan", f[11], "120 neurons have no top 1000");
            specific += (int) expectedSummary.get(key)[0];
        }
        assertTrue(specific > 0, "some neuron of a random model tells the languages apart: the shares are not all 0");
    }

    /**
     * tn latent on the original's MKQA dict (its latent-space input), ja with its own (pickled) neurons off and en
     * never: the centroid similarities and the effective dimensionality against states captured directly.
     */
    @Test
    void latentOnTheOriginalsMkqaDict() throws IOException {
        Path mkqa = SEED.resolve("mkqa_example_sentences.pkl");
        Path out = dir.resolve("latent");
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences",
                "ja=" + mkqa + ",en=" + mkqa, "--deactivate", "ja=" + jaType1, "--top-n", String.valueOf(TOP),
                "--batch", "64", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> langs = List.of("ja", "en");
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (String l : langs) texts.put(l, SentenceFiles.read(mkqa, l).monolingual());
        float[][][] states = LatentCommandTest.directStates(model, langs, texts, Map.of("ja", jaNeurons));
        LatentCommandTest.assertSimilarities(
                LatentCommandTest.readSimilarity(out), langs, states, TestModels.SPM.embd());
        LatentCommandTest.assertDimensionality(out, langs, states, TestModels.SPM.embd());
        assertTrue(Files.readAllLines(out.resolve("svd.csv")).get(1).startsWith("0,ja,1000,"));
    }

    /** tn detect with the original's centroid pickle gives exactly what it gives with the same centroids as .npy. */
    @Test
    void detectTakesTheOriginalsCentroidPickle() throws IOException {
        Map<String, Path> runs = new LinkedHashMap<>();
        for (String c : List.of("tests/data/npy/c_for_type1_ja.npy", "tests/data/pkl/c_for_type1_ja.pkl")) {
            Path out = dir.resolve("detect-" + c.substring(c.lastIndexOf('.') + 1));
            TnCli.Result r = RunCommandsTest.tn("detect", "--model", model.toString(), "--type", "type1", "--lang",
                    "ja", "--top-n", "50", "--centroids", c, "--sentences", "data/demo/ja.txt", "--threads", "1",
                    "--out", out.toString(), "--export-pickle");
            assertEquals(0, r.code(), r.err());
            runs.put(c, out);
        }
        List<Path> outs = List.copyOf(runs.values());
        assertEquals(Files.readString(outs.get(0).resolve("ranking.tsv")),
                Files.readString(outs.get(1).resolve("ranking.tsv")));
        assertArrayEquals(Npy.readFloat32(outs.get(0).resolve("scores.npy")).data(),
                Npy.readFloat32(outs.get(1).resolve("scores.npy")).data());
        // its export, read back as the original's ranking: the dict ranks like ranking.tsv
        List<Neuron> fromDict = ReferencePickles.readRanking(outs.get(1).resolve("ja_type1_top50_score_dict.pkl"));
        assertEquals(3 * 96, fromDict.size(), "every Type-1 candidate of 4 layers (0..2)");
        assertEquals(
                ReferencePickles.readTopNeurons(outs.get(1).resolve("ja_type1_top50.pkl")), fromDict.subList(0, 50));
    }

    /** --deactivate and overlap take the original's pickles as they take the same neurons in tn's ranking.tsv. */
    @Test
    void deactivateAndOverlapTakeTheOriginalsPickles() throws IOException {
        Path tsv = TestRankings.write(
                Files.createDirectories(dir.resolve("as-tsv")).resolve("ranking.tsv"), jaNeurons.subList(0, TOP));
        Map<Path, Path> similarity = new LinkedHashMap<>();
        for (Path ranking : List.of(tsv, jaType1)) {
            Path out = dir.resolve("sim-" + ranking.getFileName());
            TnCli.Result r = RunCommandsTest.tn("similarity", "--model", model.toString(), "--pairs",
                    "data/demo/en-ja.tsv", "--deactivate", ranking.toString(), "--top-n", "60", "--threads", "1",
                    "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            similarity.put(ranking, out);
        }
        List<Path> outs = List.copyOf(similarity.values());
        assertEquals(Files.readString(outs.get(0).resolve("similarity.csv")),
                Files.readString(outs.get(1).resolve("similarity.csv")));
        assertEquals(Files.readString(outs.get(0).resolve("deactivated.tsv")),
                Files.readString(outs.get(1).resolve("deactivated.tsv")));

        List<String> tables = new ArrayList<>();
        for (Path a : List.of(tsv, jaType1)) {
            Path out = dir.resolve("overlap-" + a.getFileName());
            TnCli.Result r = TnCli.run("overlap", a.toString(), koType2.toString(), "--top-n", "100", "--n-ff", "96",
                    "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            tables.add(Files.readString(out.resolve("overlap.tsv")));
        }
        assertEquals(tables.get(0), tables.get(1));
    }
}
