package tn.cli;

import tn.TestRankings;
import tn.run.RunContext;
import tn.run.RunInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import net.razorvine.pickle.Pickler;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import tn.analysis.NeuronSet;
import tn.data.SentenceFiles;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Deactivation;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.method.HiddenStates;
import tn.method.LastLayer;
import tn.reference.LastTokenStates;
import tn.reference.ReferenceForward;
import tn.run.LatentRun;
import tn.run.RunSettings;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn latent on a synthetic model: its similarities against states captured directly, plots, deactivation, errors. */
class LatentCommandTest {
    static final List<String> LANGS = List.of("ja", "ko", "en");
    // every run uses this batch: other batch sizes agree only to float rounding, and some checks are exact

    @TempDir
    static Path dir;
    static Path model;
    static Path plain;

    @BeforeAll
    static void plainRun() {
        model = TestModels.file(TestModels.SPM);
        plain = dir.resolve("plain");
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                "--batch", "7", "--out", plain.toString());
        assertEquals(0, r.code(), r.err());
    }

    static String sentences() {
        return String.join(",", LANGS.stream().map(l -> l + "=data/demo/" + l + ".txt").toList());
    }

    /**
     * Every language's last-token states at every output layer (0 = embeddings), captured directly 16 sentences at a
     * time with the language's own neurons off (none where off has no entry): [layer][lang] -> rows x n_embd.
     */
    static float[][][] directStates(
            Path model, List<String> langs, Map<String, List<String>> texts, Map<String, List<Neuron>> off) {
        try (Model m = Model.open(model);
                Session session = m.newSession(SessionOptions.defaults().withKvF32(true))) { // as runs do
            int nLayer = m.info().nLayer(), d = m.info().nEmbd();
            HiddenStates states = new HiddenStates(nLayer, LastLayer.NORMED);
            CaptureSpec spec = states.captureSpecBuilder().add(Kind.EMBEDDING).build();
            float[][][] out = new float[nLayer + 1][langs.size()][];
            for (int g = 0; g < langs.size(); g++) {
                List<String> text = texts.get(langs.get(g));
                Deactivation d0 = off.containsKey(langs.get(g))
                        ? Deactivation.zero(off.get(langs.get(g)), Positions.LAST_TOKEN)
                        : Deactivation.none();
                for (int l = 0; l <= nLayer; l++) out[l][g] = new float[text.size() * d];
                for (int from = 0; from < text.size(); from += 16) {
                    List<int[]> tokens =
                            text.subList(from, Math.min(from + 16, text.size())).stream().map(m::tokenize).toList();
                    Capture c = session.run(tokens, spec, d0);
                    for (int l = 0; l <= nLayer; l++) {
                        float[] x = l == 0 ? c.matrix(Kind.EMBEDDING) : states.at(c, l - 1);
                        System.arraycopy(x, 0, out[l][g], from * d, x.length);
                    }
                }
            }
            return out;
        }
    }

    static Map<String, List<String>> demoTexts() {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (String l : LANGS) texts.put(l, SentenceFiles.read(Path.of("data/demo/" + l + ".txt"), l).monolingual());
        return texts;
    }

    /** centroid_similarity.csv against centroids of directly captured states. */
    static void assertSimilarities(Map<String, Double> csv, List<String> langs, float[][][] states, int d) {
        assertEquals(states.length * langs.size() * langs.size(), csv.size());
        for (int l = 0; l < states.length; l++) {
            double[][] centroids = new double[langs.size()][d];
            for (int g = 0; g < langs.size(); g++) {
                int n = states[l][g].length / d;
                for (int i = 0; i < states[l][g].length; i++) centroids[g][i % d] += states[l][g][i] / (double) n;
            }
            for (int a = 0; a < langs.size(); a++) {
                for (int b = 0; b < langs.size(); b++) {
                    double[] x = centroids[a], y = centroids[b];
                    double cos = dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
                    String key = l + "," + langs.get(a) + "," + langs.get(b);
                    assertEquals(cos, csv.get(key), 1e-6, key);
                }
            }
        }
    }

    @Test
    void similaritiesEqualThoseOfDirectlyCapturedStates() throws IOException {
        Map<String, Double> csv = readSimilarity(plain);
        assertSimilarities(csv, LANGS, directStates(model, LANGS, demoTexts(), Map.of()), TestModels.SPM.embd());
        // the languages' centroids are not all parallel: the table says something
        assertTrue(csv.get("2,ja,en") < 0.9999, "ja/en at layer 2: " + csv.get("2,ja,en"));
    }

    /**
     * svd.csv's counts against Commons Math's SVD of each language's directly captured states (uncentred), counted
     * as svd.py does; a count whose cumulative share lies within 1e-6 of the threshold is left out (rounding between
     * batchings could move it), and most are not.
     */
    @Test
    void effectiveDimensionalityAgainstADirectSvd() throws IOException {
        assertDimensionality(plain, LANGS, directStates(model, LANGS, demoTexts(), Map.of()), TestModels.SPM.embd());
        for (int t : new int[] {90, 95, 99}) {
            BufferedImage img = ImageIO.read(plain.resolve("svd-" + t + ".png").toFile());
            assertEquals(800, img.getWidth());
            assertTrue(CompareCommandTest.distinctColours(img) > 5, "svd-" + t + ".png looks blank");
        }
    }

    static void assertDimensionality(Path run, List<String> langs, float[][][] states, int d) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("svd.csv"));
        assertEquals("layer,lang,sentences,components_90,components_95,components_99", lines.get(0));
        assertEquals(1 + states.length * langs.size(), lines.size());
        int checked = 0, total = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int l = Integer.parseInt(f[0]), g = langs.indexOf(f[1]), n = Integer.parseInt(f[2]);
            assertEquals(states[l][g].length / d, n, line);
            double[][] x = new double[n][d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) x[i][j] = states[l][g][i * d + j];
            double[] s = new SingularValueDecomposition(new Array2DRowRealMatrix(x, false)).getSingularValues();
            double sum = 0;
            for (double v : s) sum += v * v;
            double[] t = {0.90, 0.95, 0.99};
            for (int c = 0; c < 3; c++) {
                double cumulative = 0;
                int k = 0;
                boolean near = false;
                while (k < s.length) {
                    cumulative += s[k] * s[k] / sum;
                    near |= Math.abs(cumulative - t[c]) < 1e-6;
                    k++;
                    if (cumulative >= t[c]) break;
                }
                total++;
                if (near) continue;
                assertEquals(k, Integer.parseInt(f[3 + c]), line + " at " + t[c]);
                checked++;
            }
        }
        assertTrue(checked > 0.9 * total, checked + " of " + total + " counts checked");
    }

    @Test
    void plotsAndTablesCoverEveryLayer() throws IOException {
        int layers = TestModels.SPM.layers() + 1;
        for (int l = 0; l < layers; l++) {
            for (String name : List.of("heatmap-layer%02d.png", "pca-layer%02d.png")) {
                Path png = plain.resolve(String.format(name, l));
                BufferedImage img = ImageIO.read(png.toFile());
                assertEquals(800, img.getWidth(), png.toString());
                assertEquals(640, img.getHeight(), png.toString());
                assertTrue(CompareCommandTest.distinctColours(img) > 5, png + " looks blank");
            }
        }
        List<String> pca = Files.readAllLines(plain.resolve("pca.csv"), StandardCharsets.UTF_8);
        assertEquals("layer,lang,sentence,pc1,pc2", pca.get(0));
        assertEquals(1 + layers * 3 * 40, pca.size(), "every sentence of the 40-line files, every layer");
        assertEquals(List.of("lang\tlayer\tneuron"), Files.readAllLines(plain.resolve("deactivated.tsv")));
        String runJson = Files.readString(plain.resolve("run.json"));
        assertTrue(runJson.contains("\"command\": \"latent\""), runJson);
        assertTrue(runJson.contains("ko.txt"), runJson);
        assertTrue(runJson.contains("\"langs\""), runJson);
    }

    @Test
    void theSampleForThePcaIsBoundedAndSeeded() throws IOException {
        Path a = dir.resolve("pca-a"), b = dir.resolve("pca-b");
        for (Path out : List.of(a, b)) {
            TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                    "--pca-sentences", "5", "--batch", "7", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
        }
        List<String> rows = Files.readAllLines(a.resolve("pca.csv"));
        assertEquals(1 + (TestModels.SPM.layers() + 1) * 3 * 5, rows.size());
        assertEquals(rows, Files.readAllLines(b.resolve("pca.csv")));
        assertEquals(Files.readString(plain.resolve("centroid_similarity.csv")),
                Files.readString(a.resolve("centroid_similarity.csv")), "centroids use every sentence");
    }

    @Test
    void anEmptyDeactivationSetEqualsThePlainRun() throws IOException {
        Path out = dir.resolve("empty");
        Map<String, Path> files = new LinkedHashMap<>();
        for (String l : LANGS) files.put(l, Path.of("data/demo/" + l + ".txt"));
        new LatentRun(new RunContext(model, new RunInput.Languages(files), out, RunSettings.defaults().withBatch(7),
                              tn.io.Console.silent()),
                new LatentRun.Params(Map.of("ja", (nLayer, nFf) -> new NeuronSet(List.of(), "an empty set")), 200, 42))
                .execute();
        assertEquals(Files.readString(plain.resolve("centroid_similarity.csv")),
                Files.readString(out.resolve("centroid_similarity.csv")));
        assertEquals(Files.readString(plain.resolve("pca.csv")), Files.readString(out.resolve("pca.csv")));
    }

    /**
     * With neurons off, the similarities are those of float64 forward passes with the neurons off at
     * each sentence's last token (every language's but English, which is never switched off), and
     * differ from those with the neurons off at every token; the layers before them do not change.
     */
    @Test
    void deactivatedNeuronsAreOffAtTheLastTokenFromTheirLayerOn() throws IOException {
        Set<Integer> neurons = new TreeSet<>();
        List<Neuron> halfOfLayer1 = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            halfOfLayer1.add(new Neuron(1, 2 * i));
            neurons.add(2 * i);
        }
        Path ranking = TestRankings.write(dir.resolve("ranking.tsv"), halfOfLayer1);
        Path out = dir.resolve("off");
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                "--deactivate", ranking.toString(), "--top-n", "48", "--batch", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + 2 * 48, Files.readAllLines(out.resolve("deactivated.tsv")).size(), "ja and ko; never en");
        Map<String, Double> on = readSimilarity(plain), off = readSimilarity(out);
        for (String key : on.keySet()) {
            int layer = Integer.parseInt(key.substring(0, key.indexOf(',')));
            boolean diagonal = key.split(",")[1].equals(key.split(",")[2]);
            // model layer 1 is output layer 2: the embeddings and layer 0's output are untouched
            if (layer <= 1)
                assertEquals(on.get(key), off.get(key), 1e-12, key);
            else if (!diagonal)
                assertNotEquals(on.get(key), off.get(key), 1e-9, key);
        }
        ReferenceForward reference = TestModels.reference(model);
        Map<String, Double> lastToken = referenceSimilarity(reference,
                lang
                -> lang.equals("en") ? ReferenceForward.Deactivation.none()
                                     : new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), false));
        Map<String, Double> everyToken = referenceSimilarity(reference,
                lang
                -> lang.equals("en") ? ReferenceForward.Deactivation.none()
                                     : new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), true));
        double apart = 0;
        for (String key : off.keySet()) {
            assertEquals(lastToken.get(key), off.get(key), 1e-5, key);
            apart = Math.max(apart, Math.abs(everyToken.get(key) - off.get(key)));
        }
        assertTrue(apart > 1e-3, "the neurons off at every token would give the same similarities: " + apart);
    }

    /** centroid_similarity.csv's figures from the float64 forward pass of every demo sentence. */
    static Map<String, Double> referenceSimilarity(ReferenceForward reference, ReferenceForward.Deactivation off) {
        return referenceSimilarity(reference, lang -> off);
    }

    /** The same with each language's own neurons off. */
    static Map<String, Double> referenceSimilarity(
            ReferenceForward reference, java.util.function.Function<String, ReferenceForward.Deactivation> offOf) {
        List<double[][]> centroids = new java.util.ArrayList<>(); // per language: [layer][n_embd]
        int width = TestModels.SPM.embd();
        try (Model m = Model.open(model)) {
            for (String lang : LANGS) {
                List<int[]> tokens = SentenceFiles.read(Path.of("data/demo/" + lang + ".txt"), lang)
                                             .monolingual()
                                             .stream()
                                             .map(m::tokenize)
                                             .toList();
                float[][] states = LastTokenStates.of(reference, tokens, offOf.apply(lang), true);
                double[][] c = new double[states.length][width];
                for (int l = 0; l < states.length; l++) {
                    for (int i = 0; i < states[l].length; i++) c[l][i % width] += states[l][i] / tokens.size();
                }
                centroids.add(c);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (int l = 0; l < centroids.get(0).length; l++) {
            for (int a = 0; a < LANGS.size(); a++) {
                for (int b = 0; b < LANGS.size(); b++) {
                    double[] x = centroids.get(a)[l], y = centroids.get(b)[l];
                    m.put(l + "," + LANGS.get(a) + "," + LANGS.get(b), dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y)));
                }
            }
        }
        return m;
    }

    /**
     * Each L2 with its own set, as the original ran it: ja with one ranking, ko with another (an original-format pickle),
     * en never; the similarities and effective dimensionalities against states captured directly that way.
     */
    @Test
    void eachLanguageWithItsOwnNeuronsOffAndEnglishNever() throws IOException {
        List<Neuron> jaOff = new ArrayList<>(), koOff = new ArrayList<>();
        for (int i = 0; i < 30; i++) jaOff.add(new Neuron(1, 3 * i));
        Path jaRanking = TestRankings.write(dir.resolve("ja-ranking.tsv"), jaOff);
        List<Object[]> tuples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            koOff.add(new Neuron(2, 90 - 2 * i));
            tuples.add(new Object[] {2, 90 - 2 * i});
        }
        Path koRanking = dir.resolve("ko_type2_top30.pkl");
        Files.write(koRanking, new Pickler().dumps(tuples));
        Path out = dir.resolve("own");
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                "--deactivate", "ja=" + jaRanking + ",ko=" + koRanking, "--top-n", "30", "--batch", "7", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> off = Files.readAllLines(out.resolve("deactivated.tsv"));
        assertEquals(61, off.size());
        assertTrue(off.contains("ja\t1\t87") && off.contains("ko\t2\t32")
                        && off.stream().noneMatch(x -> x.startsWith("en")),
                off.toString());
        float[][][] states = directStates(model, LANGS, demoTexts(), Map.of("ja", jaOff, "ko", koOff));
        assertSimilarities(readSimilarity(out), LANGS, states, TestModels.SPM.embd());
        assertDimensionality(out, LANGS, states, TestModels.SPM.embd());
        assertNotEquals(Files.readString(plain.resolve("centroid_similarity.csv")),
                Files.readString(out.resolve("centroid_similarity.csv")));

        for (String[] c : new String[][] {{"en=" + jaRanking, "English is never switched off"},
                     {"ja=" + jaRanking + "," + jaRanking, "mix of LANG=RANKING entries"},
                     {"xx=" + jaRanking, "'xx' is not among the --sentences languages"}}) {
            TnCli.Result bad = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                    "--deactivate", c[0], "--top-n", "30", "--out", dir.resolve("bad-off").toString());
            assertEquals(Tn.EXIT_USAGE, bad.code(), c[0] + ": " + bad.err());
            assertTrue(bad.err().contains(c[1]), bad.err());
        }
    }

    @Test
    void malformedSentencesAreUsageErrors() {
        for (String[] c : new String[][] {{"ja=data/demo/ja.txt,en", "entry 'en': expected LANG=FILE"},
                     {"ja=data/demo/ja.txt,=data/demo/en.txt", "entry '=data/demo/en.txt'"},
                     {"ja=data/demo/ja.txt,ja=data/demo/en.txt", "language 'ja' is given twice"},
                     {"ja=data/demo/ja.txt", "at least two languages"},
                     {"ja=data/demo/ja.txt,e n=data/demo/en.txt", "unknown language code 'e n'"}}) {
            TnCli.Result r = RunCommandsTest.tn(
                    "latent", "--model", model.toString(), "--sentences", c[0], "--out", dir.resolve("bad").toString());
            assertEquals(Tn.EXIT_USAGE, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains(c[1]) && r.err().contains("--sentences"), r.err());
        }
    }

    @Test
    void aMissingFileIsAnInputError() {
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences",
                "ja=data/demo/ja.txt,de=data/demo/nowhere.txt", "--out", dir.resolve("missing").toString());
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("nowhere.txt"), r.err());
    }

    @Test
    void helpExplainsEveryOption() {
        java.io.StringWriter help = new java.io.StringWriter();
        Tn.commandLine().getSubcommands().get("latent").usage(new java.io.PrintWriter(help));
        for (String option : List.of("--model", "--sentences", "--pca-sentences", "--out", "--deactivate", "--top-n",
                     "--baseline", "--seed", "--last-layer", "--resume")) {
            assertTrue(help.toString().contains(option), option);
        }
    }

    static Map<String, Double> readSimilarity(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("centroid_similarity.csv"), StandardCharsets.UTF_8);
        assertEquals("layer,lang_a,lang_b,cosine", lines.get(0));
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int cut = line.lastIndexOf(',');
            m.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
