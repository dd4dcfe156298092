package tn.cli;

import tn.TestRankings;
import tn.llama.Neuron;
import tn.run.RunContext;
import tn.run.RunInput;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.MutualKnn;
import tn.analysis.NeuronSet;
import tn.data.SentenceFiles;
import tn.data.SentencePair;
import tn.llama.Capture;
import tn.llama.Model;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.method.HiddenStates;
import tn.method.LastLayer;
import tn.reference.LastTokenStates;
import tn.reference.ReferenceForward;
import tn.run.MknnRun;
import tn.run.RunSettings;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn mknn on a synthetic model and the demo pairs: the scores are the statistic of the states a
 * session captures, an empty deactivation changes nothing, switching neurons off changes the L2
 * side from their layer on, and the plot and errors.
 */
class MknnCommandTest {
    static final Path PAIRS = Path.of("data/demo/en-ja.tsv");
    static final int K = 5;

    @TempDir
    static Path dir;
    static Path plain;

    @BeforeAll
    static void plainRun() {
        plain = dir.resolve("plain");
        TnCli.Result r = mknn(plain, K);
        assertEquals(0, r.code(), r.err());
    }

    static TnCli.Result mknn(Path out, int k, String... more) {
        List<String> args = new ArrayList<>(List.of("mknn", "--model", TestModels.file(TestModels.SPM).toString(),
                "--lang", "ja", "--pairs", PAIRS.toString(), "--k", String.valueOf(k), "--out", out.toString()));
        args.addAll(List.of(more));
        return RunCommandsTest.tn(args.toArray(String[] ::new));
    }

    @Test
    void scoresAreTheStatisticOfCapturedStates() throws IOException {
        double[] written = scores(plain);
        List<SentencePair> pairs = SentenceFiles.read(PAIRS, "ja").parallel();
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                Session session = model.newSession(new SessionOptions(
                        0, SessionOptions.DEFAULT_CONTEXT, SessionOptions.DEFAULT_SENTENCES, true))) {
            int nLayer = model.info().nLayer(), width = model.info().nEmbd();
            assertEquals(nLayer, written.length);
            HiddenStates states = new HiddenStates(nLayer, LastLayer.NORMED);
            float[][] en = new float[nLayer][pairs.size() * width], l2 = new float[nLayer][pairs.size() * width];
            // the run's batches, so that each sentence is computed alongside the same others
            for (int from = 0; from < pairs.size(); from += SessionOptions.DEFAULT_SENTENCES) {
                int to = Math.min(from + SessionOptions.DEFAULT_SENTENCES, pairs.size());
                List<int[]> enTokens = new ArrayList<>(), l2Tokens = new ArrayList<>();
                for (SentencePair p : pairs.subList(from, to)) {
                    enTokens.add(model.tokenize(p.en()));
                    l2Tokens.add(model.tokenize(p.l2()));
                }
                Capture ce = session.run(enTokens, states.captureSpec()),
                        cl = session.run(l2Tokens, states.captureSpec());
                for (int l = 0; l < nLayer; l++) {
                    System.arraycopy(states.at(ce, l), 0, en[l], from * width, (to - from) * width);
                    System.arraycopy(states.at(cl, l), 0, l2[l], from * width, (to - from) * width);
                }
            }
            for (int l = 0; l < nLayer; l++) {
                assertEquals(MutualKnn.score(en[l], l2[l], width, K), written[l], 1e-6, "layer " + l);
            }
        }
        assertTrue(written[0] > 0 && written[0] < 1, "a statistic with something to show: " + written[0]);
        JsonObject params = JsonParser.parseString(Files.readString(plain.resolve("run.json")))
                                    .getAsJsonObject()
                                    .getAsJsonObject("parameters");
        assertEquals(K, params.get("k").getAsInt());
        assertEquals("none", params.get("deactivated").getAsString());
        assertEquals(0, params.get("deactivated_count").getAsInt());
        assertEquals(42, params.get("seed").getAsLong());
        assertEquals(List.of("layer\tneuron"), Files.readAllLines(plain.resolve("deactivated.tsv")));
    }

    @Test
    void anEmptyDeactivationChangesNothing() throws IOException {
        Path out = dir.resolve("empty");
        new MknnRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Pairs(PAIRS, "ja"), out,
                            RunSettings.defaults(), tn.io.Console.silent()),
                new MknnRun.Params(K, (nLayer, nFf) -> new NeuronSet(List.of(), "empty"), 42))
                .execute();
        assertArrayEquals(scores(plain), scores(out));
        assertEquals(List.of("layer\tneuron"), Files.readAllLines(out.resolve("deactivated.tsv")));
    }

    @Test
    void neuronsOffChangeTheL2SideFromTheirLayerOn() throws IOException {
        Path ranking = dir.resolve("ranking.tsv");
        Files.writeString(ranking, """
                rank\tlayer\tneuron\tscore
                1\t1\t3\t0.9
                2\t1\t17\t0.8
                3\t1\t40\t0.7
                4\t1\t41\t0.6
                5\t1\t58\t0.5
                6\t1\t72\t0.4
                7\t1\t80\t0.3
                8\t1\t95\t0.2
                9\t2\t0\t0.1
                """);
        Path out = dir.resolve("off");
        TnCli.Result r = mknn(out, K, "--deactivate", ranking.toString(), "--top-n", "8");
        assertEquals(0, r.code(), r.err());
        double[] before = scores(plain), after = scores(out);
        assertEquals(before[0], after[0], "layer 0 runs before any neuron is off");
        boolean changed = false;
        for (int l = 1; l < after.length; l++) changed |= after[l] != before[l];
        assertTrue(changed, "no layer from 1 on changed");
        assertEquals(9, Files.readAllLines(out.resolve("deactivated.tsv")).size());
        JsonObject params = JsonParser.parseString(Files.readString(out.resolve("run.json")))
                                    .getAsJsonObject()
                                    .getAsJsonObject("parameters");
        assertEquals(8, params.get("deactivated_count").getAsInt());
        assertEquals("top 8 of " + ranking, params.get("deactivated").getAsString());
    }

    /**
     * The deactivated run's scores are those of float64 forward passes with the neurons off on the
     * L2 side only, at its last token only. The same neurons off on both sides, or at every token,
     * give other scores: the test tells those apart.
     */
    @Test
    void deactivationIsTheFloat64ForwardWithTheNeuronsOffOnTheL2SideAtTheLastToken() throws IOException {
        Set<Integer> neurons = new TreeSet<>();
        List<Neuron> off = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            neurons.add(2 * i);
            off.add(new Neuron(1, 2 * i));
        }
        Path ranking = TestRankings.write(dir.resolve("half-of-layer-1.tsv"), off);
        Path out = dir.resolve("off-float64");
        var r = mknn(out, K, "--deactivate", ranking.toString(), "--top-n", "48");
        assertEquals(0, r.code(), r.err());
        double[] written = scores(out);

        List<SentencePair> pairs = SentenceFiles.read(PAIRS, "ja").parallel();
        ReferenceForward reference = TestModels.reference(TestModels.file(TestModels.SPM));
        var lastToken = new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), false);
        var everyToken = new ReferenceForward.Deactivation(LastTokenStates.zeroed(1, neurons), true);
        float[][] en, enOff, l2Off, l2EveryToken;
        int width;
        try (Model model = Model.open(TestModels.file(TestModels.SPM))) {
            width = model.info().nEmbd();
            List<int[]> enTokens = pairs.stream().map(p -> model.tokenize(p.en())).toList();
            List<int[]> l2Tokens = pairs.stream().map(p -> model.tokenize(p.l2())).toList();
            en = LastTokenStates.of(reference, enTokens, ReferenceForward.Deactivation.none(), false);
            enOff = LastTokenStates.of(reference, enTokens, lastToken, false);
            l2Off = LastTokenStates.of(reference, l2Tokens, lastToken, false);
            l2EveryToken = LastTokenStates.of(reference, l2Tokens, everyToken, false);
        }
        boolean bothSidesDiffer = false, everyTokenDiffers = false;
        for (int l = 0; l < written.length; l++) {
            assertEquals(MutualKnn.score(en[l], l2Off[l], width, K), written[l], 1e-12, "layer " + l);
            bothSidesDiffer |= MutualKnn.score(enOff[l], l2Off[l], width, K) != written[l];
            everyTokenDiffers |= MutualKnn.score(en[l], l2EveryToken[l], width, K) != written[l];
        }
        assertTrue(bothSidesDiffer, "the neurons off on the English side too would give the same scores");
        assertTrue(everyTokenDiffers, "the neurons off at every token would give the same scores");
    }

    @Test
    void thePlotIsDrawn() throws IOException {
        BufferedImage img = ImageIO.read(plain.resolve("mknn.png").toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(560, img.getHeight());
        assertTrue(CompareCommandTest.distinctColours(img) > 5, "mknn.png looks blank");
    }

    @Test
    void kMustBeLessThanThePairs() {
        TnCli.Result r = mknn(dir.resolve("bad-k"), 60);
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--k 60 must be less than the number of pairs: " + PAIRS + " has 60"), r.err());
        r = mknn(dir.resolve("zero-k"), 0);
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--k must be at least 1, is 0"), r.err());
    }

    /** mknn.csv's scores by layer; checks the header and that the layers run 0.. in order. */
    static double[] scores(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("mknn.csv"), StandardCharsets.UTF_8);
        assertEquals("layer,score", lines.get(0));
        double[] s = new double[lines.size() - 1];
        for (int l = 0; l < s.length; l++) {
            String[] f = lines.get(l + 1).split(",");
            assertEquals(String.valueOf(l), f[0]);
            s[l] = Double.parseDouble(f[1]);
        }
        return s;
    }
}
