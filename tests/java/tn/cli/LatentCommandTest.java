package tn.cli;

import tn.run.RunContext;
import tn.run.RunInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.NeuronSet;
import tn.data.SentenceFiles;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
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

    @Test
    void similaritiesEqualThoseOfDirectlyCapturedStates() throws IOException {
        Map<String, Double> csv = readSimilarity(plain);
        try (Model m = Model.open(model); Session session = m.newSession(SessionOptions.defaults().withKvF32(true))) {   // as runs do
            int nLayer = m.info().nLayer();
            HiddenStates states = new HiddenStates(nLayer, LastLayer.NORMED);
            CaptureSpec spec = states.captureSpecBuilder().add(Kind.EMBEDDING).build();
            double[][][] centroids = new double[nLayer + 1][LANGS.size()][m.info().nEmbd()];
            for (int g = 0; g < LANGS.size(); g++) {
                List<String> text = SentenceFiles.read(Path.of("data/demo/" + LANGS.get(g) + ".txt"), LANGS.get(g)).monolingual();
                for (int from = 0; from < text.size(); from += 16) {
                    List<int[]> tokens = text.subList(from, Math.min(from + 16, text.size())).stream().map(m::tokenize).toList();
                    Capture c = session.run(tokens, spec);
                    for (int l = 0; l <= nLayer; l++) {
                        float[] x = l == 0 ? c.matrix(Kind.EMBEDDING) : states.at(c, l - 1);
                        for (int i = 0; i < x.length; i++) centroids[l][g][i % m.info().nEmbd()] += x[i] / text.size();
                    }
                }
            }
            assertEquals((nLayer + 1) * LANGS.size() * LANGS.size(), csv.size());
            for (int l = 0; l <= nLayer; l++) {
                for (int a = 0; a < LANGS.size(); a++) {
                    for (int b = 0; b < LANGS.size(); b++) {
                        double[] x = centroids[l][a], y = centroids[l][b];
                        double cos = dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
                        String key = l + "," + LANGS.get(a) + "," + LANGS.get(b);
                        assertEquals(cos, csv.get(key), 1e-6, key);
                    }
                }
            }
            // the languages' centroids are not all parallel: the table says something
            assertTrue(csv.get("2,ja,en") < 0.9999, "ja/en at layer 2: " + csv.get("2,ja,en"));
        }
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
        assertEquals(List.of("layer\tneuron"), Files.readAllLines(plain.resolve("deactivated.tsv")));
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
                tn.io.Console.silent()), new LatentRun.Params((nLayer, nFf) -> new NeuronSet(List.of(), "an empty set"), 200, 42))
                .execute();
        assertEquals(Files.readString(plain.resolve("centroid_similarity.csv")),
                Files.readString(out.resolve("centroid_similarity.csv")));
        assertEquals(Files.readString(plain.resolve("pca.csv")), Files.readString(out.resolve("pca.csv")));
    }

    /**
     * With neurons off, the similarities are those of float64 forward passes with the neurons off at
     * each sentence's last token (every language's), and differ from those with the neurons off at
     * every token; the layers before them do not change.
     */
    @Test
    void deactivatedNeuronsAreOffAtTheLastTokenFromTheirLayerOn() throws IOException {
        Path ranking = dir.resolve("ranking.tsv");
        StringBuilder b = new StringBuilder("rank\tlayer\tneuron\tscore\n");
        Set<Integer> neurons = new TreeSet<>();
        for (int i = 0; i < 48; i++) {
            b.append(i + 1).append('\t').append(1).append('\t').append(2 * i).append("\t1.0\n");
            neurons.add(2 * i);
        }
        Files.writeString(ranking, b.toString());
        Path out = dir.resolve("off");
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", sentences(),
                "--deactivate", ranking.toString(), "--top-n", "48", "--batch", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(49, Files.readAllLines(out.resolve("deactivated.tsv")).size());
        Map<String, Double> on = readSimilarity(plain), off = readSimilarity(out);
        for (String key : on.keySet()) {
            int layer = Integer.parseInt(key.substring(0, key.indexOf(',')));
            boolean diagonal = key.split(",")[1].equals(key.split(",")[2]);
            // model layer 1 is output layer 2: the embeddings and layer 0's output are untouched
            if (layer <= 1) assertEquals(on.get(key), off.get(key), 1e-12, key);
            else if (!diagonal) assertNotEquals(on.get(key), off.get(key), 1e-9, key);
        }
        ReferenceForward reference = TestModels.reference(model);
        Map<String, Double> lastToken = referenceSimilarity(reference,
                new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), false));
        Map<String, Double> everyToken = referenceSimilarity(reference,
                new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), true));
        double apart = 0;
        for (String key : off.keySet()) {
            assertEquals(lastToken.get(key), off.get(key), 1e-5, key);
            apart = Math.max(apart, Math.abs(everyToken.get(key) - off.get(key)));
        }
        assertTrue(apart > 1e-3, "the neurons off at every token would give the same similarities: " + apart);
    }

    /** centroid_similarity.csv's figures from the float64 forward pass of every demo sentence. */
    static Map<String, Double> referenceSimilarity(ReferenceForward reference, ReferenceForward.Deactivation off) {
        List<double[][]> centroids = new java.util.ArrayList<>();   // per language: [layer][n_embd]
        int width = TestModels.SPM.embd();
        try (Model m = Model.open(model)) {
            for (String lang : LANGS) {
                List<int[]> tokens = SentenceFiles.read(Path.of("data/demo/" + lang + ".txt"), lang).monolingual().stream()
                        .map(m::tokenize).toList();
                float[][] states = LastTokenStates.of(reference, tokens, off, true);
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

    @Test
    void malformedSentencesAreUsageErrors() {
        for (String[] c : new String[][] {
                {"ja=data/demo/ja.txt,en", "entry 'en': expected LANG=FILE"},
                {"ja=data/demo/ja.txt,=data/demo/en.txt", "entry '=data/demo/en.txt'"},
                {"ja=data/demo/ja.txt,ja=data/demo/en.txt", "language 'ja' is given twice"},
                {"ja=data/demo/ja.txt", "at least two languages"},
                {"ja=data/demo/ja.txt,e n=data/demo/en.txt", "--sentences language 'e n'"}}) {
            TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences", c[0],
                    "--out", dir.resolve("bad").toString());
            assertEquals(Tn.EXIT_USAGE, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains(c[1]) && r.err().contains("--sentences"), r.err());
        }
    }

    @Test
    void aMissingFileIsAnInputError() {
        TnCli.Result r = RunCommandsTest.tn("latent", "--model", model.toString(), "--sentences",
                "ja=data/demo/ja.txt,xx=data/demo/nowhere.txt", "--out", dir.resolve("missing").toString());
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
