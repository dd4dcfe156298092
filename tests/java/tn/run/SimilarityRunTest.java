package tn.run;

import tn.record.RunJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.Cosine;
import tn.TestModels;
import tn.analysis.NeuronSet;
import tn.analysis.PairSimilarity;
import tn.cli.Tn;
import tn.data.SentenceFiles;
import tn.data.SentencePair;
import tn.data.Shuffle;
import tn.hostile.Hostile;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Session;
import tn.method.HiddenStates;
import tn.method.LastLayer;
import tn.reference.ReferenceForward;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn similarity's statistics against direct computations from captured states and the float64 forward pass. */
class SimilarityRunTest {
    static final tn.io.Console SILENT = tn.io.Console.silent();
    static final Path PAIRS = Path.of("data/demo/en-ja.tsv");
    static final long SEED = 7;

    @TempDir
    static Path dir;
    static List<SentencePair> pairs;

    @BeforeAll
    static void read() {
        pairs = SentenceFiles.read(PAIRS, "ja").parallel();
    }

    static SimilarityRun run(NeuronSet.Choice choice, String name) {
        SimilarityRun r =
                new SimilarityRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Pairs(PAIRS, "ja"),
                                          dir.resolve(name), RunSettings.defaults().withBatch(7), SILENT),
                        new SimilarityRun.Params(null, choice, SEED));
        r.execute();
        return r;
    }

    @Test
    void statisticsEqualCosinesComputedDirectlyFromCapturedStates() throws IOException {
        PairSimilarity.Result r = run(NeuronSet.Choice.none(), "plain").result();
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                Session session = model.newSession(RunSettings.defaults().sessionOptions())) {
            int nLayer = model.info().nLayer();
            HiddenStates states = new HiddenStates(nLayer, LastLayer.NORMED);
            var spec = states.captureSpecBuilder().allLayers(Kind.ACTIVATION, nLayer).build();
            List<float[][]> en = new ArrayList<>(), l2 = new ArrayList<>(); // [pair][channel]
            for (SentencePair p : pairs) {
                en.add(SimilarityRun.channels(session.run(List.of(model.tokenize(p.en())), spec), states));
                l2.add(SimilarityRun.channels(session.run(List.of(model.tokenize(p.l2())), spec), states));
            }
            int n = pairs.size();
            int[] order = Shuffle.order(n, SEED);
            // the run decodes 7 sentences per call and this one at a time: float sums differ in the last bits

            for (int c = 0; c < 2 * nLayer; c++) {
                double[] par = new double[n], non = new double[n];
                for (int k = 0; k < n; k++) {
                    par[k] = Cosine.of(en.get(k)[c], l2.get(k)[c]);
                    // the English side of each pair (in the seeded order) with the next pair's L2 side
                    non[k] = Cosine.of(en.get(order[k])[c], l2.get(order[(k + 1) % n])[c]);
                }
                assertEquals(mean(par), r.parallelMean()[c], 1e-6, "parallel mean, channel " + c);
                assertEquals(std(par), r.parallelStd()[c], 1e-6, "parallel std, channel " + c);
                assertEquals(mean(non), r.nonParallelMean()[c], 1e-6, "non-parallel mean, channel " + c);
                assertEquals(std(non), r.nonParallelStd()[c], 1e-6, "non-parallel std, channel " + c);
            }
        }
        assertEquals(1 + 2 * 4, Files.readAllLines(dir.resolve("plain/similarity.csv")).size());
        for (String png : List.of("hidden_similarity.png", "activation_similarity.png")) {
            BufferedImage img = ImageIO.read(dir.resolve("plain").resolve(png).toFile());
            assertEquals(1000, img.getWidth(), png);
            assertEquals(560, img.getHeight(), png);
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 4)
                for (int x = 0; x < img.getWidth(); x += 4) colours.add(img.getRGB(x, y));
            assertTrue(colours.size() > 5, png + " looks blank");
        }
    }

    /**
     * The run's cosines with the neurons zeroed on the L2 side only, against the float64 forward.
     * The same forward also gives the cosines a run would report had it deactivated neither side
     * or both: each must differ from the expected ones by far more than the tolerance, so that
     * the test fails on either.
     */
    @Test
    void deactivationEqualsTheFloat64ForwardWithTheSameNeuronsZeroed() {
        List<Neuron> off =
                List.of(new Neuron(0, 3), new Neuron(0, 50), new Neuron(1, 7), new Neuron(2, 90), new Neuron(3, 11));
        PairSimilarity.Result r = run((nLayer, nFf) -> new NeuronSet(off, "test"), "off").result();
        ReferenceForward reference = TestModels.reference(TestModels.file(TestModels.SPM));
        Map<Integer, Map<Integer, Double>> zeroed = new HashMap<>();
        for (Neuron n : off) zeroed.computeIfAbsent(n.layer(), k -> new HashMap<>()).put(n.index(), 0.0);
        var lastToken = new ReferenceForward.Deactivation(zeroed, false);
        double tolerance = 2e-4;
        try (Model model = Model.open(TestModels.file(TestModels.SPM))) {
            int nLayer = model.info().nLayer();
            // [0]: the L2 side deactivated (what the run does), [1]: neither side, [2]: both sides
            double[][][] par = new double[3][2 * nLayer][pairs.size()];
            for (int k = 0; k < pairs.size(); k++) {
                int[] enTokens = model.tokenize(pairs.get(k).en()), l2Tokens = model.tokenize(pairs.get(k).l2());
                ReferenceForward.Result en = reference.forward(enTokens, ReferenceForward.Deactivation.none());
                ReferenceForward.Result enOff = reference.forward(enTokens, lastToken);
                ReferenceForward.Result l2 = reference.forward(l2Tokens, ReferenceForward.Deactivation.none());
                ReferenceForward.Result l2Off = reference.forward(l2Tokens, lastToken);
                ReferenceForward.Result[][] sides = {{en, l2Off}, {en, l2}, {enOff, l2Off}};
                for (int v = 0; v < 3; v++) {
                    for (int l = 0; l < nLayer; l++) {
                        par[v][l][k] = Cosine.of(
                                last(hidden(sides[v][0], l, nLayer)), last(hidden(sides[v][1], l, nLayer)));
                        par[v][nLayer + l][k] = Cosine.of(last(sides[v][0].act()[l]), last(sides[v][1].act()[l]));
                    }
                }
            }
            double fromNeither = 0, fromBoth = 0;
            for (int c = 0; c < 2 * nLayer; c++) {
                assertEquals(mean(par[0][c]), r.parallelMean()[c], tolerance, "channel " + c);
                fromNeither = Math.max(fromNeither, Math.abs(mean(par[1][c]) - mean(par[0][c])));
                fromBoth = Math.max(fromBoth, Math.abs(mean(par[2][c]) - mean(par[0][c])));
            }
            assertTrue(fromNeither > 20 * tolerance,
                    "deactivating no side would change the cosines by " + fromNeither + " at most");
            assertTrue(fromBoth > 20 * tolerance,
                    "deactivating both sides would change the cosines by " + fromBoth + " at most");
        }
    }

    @Test
    void givenNonParallelPairsEqualTheShufflesPairsWhenTheyAreTheSame() throws IOException {
        PairSimilarity.Result shuffled = run(NeuronSet.Choice.none(), "shuffled").result();
        int n = pairs.size();
        int[] order = Shuffle.order(n, SEED);
        StringBuilder tsv = new StringBuilder();
        for (int k = 0; k < n; k++)
            tsv.append(pairs.get(order[k]).en()).append('\t').append(pairs.get(order[(k + 1) % n]).l2()).append('\n');
        Path given = dir.resolve("nonparallel.tsv");
        Files.writeString(given, tsv);
        SimilarityRun r =
                new SimilarityRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Pairs(PAIRS, "ja"),
                                          dir.resolve("given"), RunSettings.defaults().withBatch(7), SILENT),
                        new SimilarityRun.Params(given, NeuronSet.Choice.none(), SEED));
        r.execute();
        PairSimilarity.Result g = r.result();
        assertEquals(n, g.nonParallelPairs());
        assertEquals(n, shuffled.nonParallelPairs());
        for (int c = 0; c < g.parallelMean().length; c++) {
            assertEquals(shuffled.parallelMean()[c], g.parallelMean()[c], 1e-6, "channel " + c);
            assertEquals(shuffled.nonParallelMean()[c], g.nonParallelMean()[c], 1e-6, "channel " + c);
            assertEquals(shuffled.nonParallelStd()[c], g.nonParallelStd()[c], 1e-6, "channel " + c);
        }
        assertTrue(Files.readString(dir.resolve("given/run.json")).contains(given.toAbsolutePath().toString()));
    }

    @Test
    void aRunKilledMidwayResumesToTheUninterruptedResult() throws Exception {
        // the carried vectors of the shuffle's cycle live in the checkpoint: a resumed run must pair them up again
        Path pairsFile = dir.resolve("en-ja-300.tsv");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 300; k++) {
            SentencePair p = pairs.get(k % pairs.size());
            sb.append(p.en()).append(' ').append(k).append('\t').append(p.l2()).append(' ').append(k).append('\n');
        }
        Files.writeString(pairsFile, sb);
        Path whole = dir.resolve("whole");
        new SimilarityRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Pairs(pairsFile, "ja"), whole,
                                  RunSettings.defaults().withBatch(1), SILENT),
                new SimilarityRun.Params(null, NeuronSet.Choice.none(), SEED))
                .execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-similarity.bin");
        Process p = new ProcessBuilder(
                Hostile.javaCommand(Tn.class, "similarity", "--model", TestModels.file(TestModels.SPM).toString(),
                        "--pairs", pairsFile.toString(), "--lang", "ja", "--seed", String.valueOf(SEED), "--out",
                        killed.toString(), "--batch", "1", "--checkpoint-every", "0", "--quiet"))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("child.log").toFile())
                            .start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(30);
        p.destroyForcibly().waitFor();
        assertTrue(Files.exists(checkpoint), "no checkpoint appeared: " + Files.readString(dir.resolve("child.log")));
        assertTrue(Files.notExists(killed.resolve("similarity.csv")), "the run finished before it was killed");

        int done = Checkpoint.peek(checkpoint).next();
        new SimilarityRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Pairs(pairsFile, "ja"), killed,
                                  RunSettings.defaults().withBatch(1).withResume(true), SILENT),
                new SimilarityRun.Params(null, NeuronSet.Choice.none(), SEED))
                .execute();
        assertEquals(
                Files.readString(whole.resolve("similarity.csv")), Files.readString(killed.resolve("similarity.csv")));
        ResumeTest.assertResumed(killed, done, RunJson.of(whole).integer("dataset.items_used"));
    }

    @Test
    void anEmptyDeactivationSetEqualsThePlainRun() throws IOException {
        run(NeuronSet.Choice.none(), "plain2");
        run((nLayer, nFf) -> new NeuronSet(List.of(), "empty"), "empty");
        assertEquals(Files.readString(dir.resolve("plain2/similarity.csv")),
                Files.readString(dir.resolve("empty/similarity.csv")));
        assertEquals("layer\tneuron\n", Files.readString(dir.resolve("empty/deactivated.tsv")));
    }

    private static double[][] hidden(ReferenceForward.Result r, int l, int nLayer) {
        return l == nLayer - 1 ? r.resultNorm() : r.lOut()[l];
    }

    private static double[] last(double[][] rows) {
        return rows[rows.length - 1];
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    private static double std(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / x.length);
    }
}
