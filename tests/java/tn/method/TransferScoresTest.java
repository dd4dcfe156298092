package tn.method;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tn.Cosine;
import tn.TestModels;
import tn.llama.Capture;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.llama.ValueVectors;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed-form, batched scores equal the paper's formula computed naively (x + a v built for
 * every neuron, cosines taken directly, in double) from the same captures; and batching does not
 * change them.
 */
class TransferScoresTest {
    static Model model;
    static List<int[]> sentences;
    static Centroids centroids;

    @BeforeAll
    static void setUp() {
        model = Model.open(TestModels.file(TestModels.SPM));
        sentences = new ArrayList<>();
        // 18 sentences: enough for several decode groups at every batch size tested
        for (String suffix : new String[] {"", " Really.", " 本当に。"}) {
            for (String s : TestModels.SENTENCES) sentences.add(model.tokenize(s + suffix));
        }
        HiddenStates states = new HiddenStates(model.info().nLayer(), LastLayer.NORMED);
        CentroidSums sums = new CentroidSums(states, model.info().nEmbd());
        try (Session session = model.newSession(options(32))) {
            sums.addStates(session.run(sentences.subList(0, 6), states.captureSpec()));
        }
        centroids = sums.centroids();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    static SessionOptions options(int batch) {
        return SessionOptions.defaults().withThreads(2).withMaxSentences(batch).withKvF32(true);
    }

    static LayerRange allLayers() {
        return new LayerRange(0, model.info().nLayer());
    }

    /** Mean scores of all layers with the given sentences per decode. */
    static float[] scores(int batch) {
        try (TransferScores scores = new TransferScores(model, centroids, allLayers(), 2);
                Session session = model.newSession(options(batch))) {
            scores.add(session.run(sentences, scores.captureSpec()));
            return scores.meanScores();
        }
    }

    @Test
    void closedFormEqualsTheNaiveFormula() {
        int nLayer = model.info().nLayer(), d = model.info().nEmbd(), f = model.info().nFf();
        Capture capture;
        double[] fast = new double[nLayer * f];
        try (TransferScores scores = new TransferScores(model, centroids, allLayers(), 2);
                Session session = model.newSession(options(32))) {
            capture = session.run(sentences, scores.captureSpec());
            scores.add(capture);
            for (int l = 0; l < nLayer; l++) {
                for (int i = 0; i < f; i++) fast[l * f + i] = scores.mean(l, i);
            }
        }
        for (int l = 0; l < nLayer; l++) {
            ValueVectors vectors = model.valueVectors(l);
            double[] c = centroids.layer(l);
            double[] naive = new double[f];
            for (int s = 0; s < sentences.size(); s++) {
                float[] xf = capture.lastToken(Kind.FFN_INP, l, s);
                float[] a = capture.lastToken(Kind.ACTIVATION, l, s);
                double[] x = new double[d];
                for (int j = 0; j < d; j++) x[j] = xf[j];
                double before = Cosine.of(x, c);
                for (int i = 0; i < f; i++) {
                    float[] v = vectors.of(i);
                    double[] moved = new double[d];
                    for (int j = 0; j < d; j++) moved[j] = x[j] + (double) a[i] * v[j];
                    naive[i] += (Cosine.of(moved, c) - before) / sentences.size();
                }
            }
            double maxNaive = 0, maxError = 0;
            for (int i = 0; i < f; i++) {
                maxNaive = Math.max(maxNaive, Math.abs(naive[i]));
                maxError = Math.max(maxError, Math.abs(fast[l * f + i] - naive[i]));
            }
            assertTrue(maxNaive > 1e-4, "layer " + l + ": scores are not all ~0 (" + maxNaive + ")");
            assertTrue(maxError <= 1e-5 * maxNaive,
                    "layer " + l + ": closed form differs from the naive formula by " + maxError + " (max |score| "
                            + maxNaive + ")");
        }
    }

    @Test
    void batchingDoesNotChangeScores() {
        float[] one = scores(1);
        double max = 0;
        for (float v : one) max = Math.max(max, Math.abs(v));
        for (int batch : new int[] {4, 16}) {
            float[] many = scores(batch);
            assertEquals(one.length, many.length);
            double err = 0;
            for (int i = 0; i < one.length; i++) err = Math.max(err, Math.abs(one[i] - many[i]));
            assertTrue(err <= 1e-4 * max,
                    batch + " sentences per decode: scores differ from one at a time by " + err + " (max |score| " + max
                            + ")");
        }
    }

    @Test
    void candidateLayersFollowThePaperSplit() {
        assertEquals(new LayerRange(0, 20), TransferType.TYPE1.candidateLayers(32));
        assertEquals(new LayerRange(20, 32), TransferType.TYPE2.candidateLayers(32));
        assertEquals(new LayerRange(0, 15), TransferType.TYPE1.candidateLayers(24)); // 24 * 20 / 32 = 15
        assertEquals(new LayerRange(15, 24), TransferType.TYPE2.candidateLayers(24));
        assertEquals(new LayerRange(0, 18), TransferType.TYPE1.candidateLayers(28)); // 17.5 rounds up
        assertEquals(new LayerRange(0, 3), TransferType.TYPE1.candidateLayers(4)); // 2.5 rounds up
        assertEquals(new LayerRange(2, 7), LayerRange.parse(" 2:7 "));
    }

    @Test
    void scoresOutsideTheCandidateLayersAreNaN() {
        try (TransferScores scores = new TransferScores(model, centroids, new LayerRange(1, 3), 1);
                Session session = model.newSession(options(8))) {
            scores.add(session.run(sentences.subList(0, 3), scores.captureSpec()));
            float[] m = scores.meanScores();
            int f = model.info().nFf();
            for (int l = 0; l < model.info().nLayer(); l++) {
                for (int i = 0; i < f; i++) assertEquals(l < 1 || l >= 3, Float.isNaN(m[l * f + i]), "layer " + l);
            }
            assertEquals("1-2: CPU", scores.placement());
            Ranking top = scores.ranking(10);
            for (int k = 0; k < top.size(); k++) {
                assertTrue(top.neurons().get(k).layer() >= 1 && top.neurons().get(k).layer() < 3);
                if (k > 0) assertTrue(top.scores()[k] <= top.scores()[k - 1]);
                assertEquals(scores.mean(top.neurons().get(k).layer(), top.neurons().get(k).index()), top.scores()[k]);
            }
        }
    }
}
