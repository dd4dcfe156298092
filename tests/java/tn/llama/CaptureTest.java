package tn.llama;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.TestModels;
import tn.model.SyntheticModel;
import tn.reference.ReferenceForward;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captured tensors equal an independent float64 forward pass of the same F32 model, for every
 * layer and kind, on English, Japanese and Korean sentences, with two real tokenizers.
 */
class CaptureTest {
    /** The exact path (F32 KV cache) keeps float32 rounding only: about 3e-6 here. */
    static final double TOLERANCE = 1e-4;
    /** llama.cpp's default F16 KV cache rounds K and V: about 1.6e-3 here. */
    static final double F16_TOLERANCE = 2e-3;

    static SyntheticModel spec(String vocab) {
        return vocab.equals("qwen2") ? TestModels.QWEN2 : TestModels.SPM;
    }

    static CaptureSpec everything(int nLayer, CaptureSpec.Builder b) {
        return b.add(Kind.EMBEDDING)
                .allLayers(Kind.FFN_INP, nLayer)
                .allLayers(Kind.ACTIVATION, nLayer)
                .allLayers(Kind.L_OUT, nLayer)
                .add(Kind.RESULT_NORM)
                .build();
    }

    /** Largest |captured - reference| over a kind at one layer, all positions of all sentences. */
    static double maxError(Capture c, Kind kind, int layer, List<ReferenceForward.Result> refs) {
        double max = 0;
        for (int s = 0; s < refs.size(); s++) {
            double[][] expected = states(refs.get(s), kind, layer);
            for (int p = 0; p < expected.length; p++) {
                float[] got = c.spec().positions() == Positions.ALL_TOKENS ? c.token(kind, layer, s, p)
                        : p == expected.length - 1                         ? c.lastToken(kind, layer, s)
                                                                           : null;
                if (got == null) continue;
                assertEquals(expected[p].length, got.length);
                for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - expected[p][i]));
            }
        }
        return max;
    }

    static double[][] states(ReferenceForward.Result r, Kind kind, int layer) {
        return switch (kind) {
            case EMBEDDING -> r.embd();
            case FFN_INP -> r.x()[layer];
            case ACTIVATION -> r.act()[layer];
            case L_OUT -> r.lOut()[layer];
            case RESULT_NORM -> r.resultNorm();
            case ACTIVATION_POSITIVE, GATE_POSITIVE -> throw new IllegalArgumentException(kind + " holds counts");
        };
    }

    static List<ReferenceForward.Result> forward(ReferenceForward reference, List<int[]> tokens) {
        return tokens.stream().map(t -> reference.forward(t, ReferenceForward.Deactivation.none())).toList();
    }

    /** Checks every kind at every layer within tol; returns the largest difference. */
    static double assertMatchesReference(
            Capture c, int nLayer, List<ReferenceForward.Result> refs, double tol, String what) {
        double worst = 0;
        for (Kind kind : Kind.values()) {
            if (kind.counts()) continue;
            for (int l = 0; l < (kind.perLayer() ? nLayer : 1); l++) {
                double err = maxError(c, kind, kind.perLayer() ? l : -1, refs);
                assertTrue(err <= tol,
                        what + ": " + kind + " at layer " + l + " differs from the float64 forward by " + err);
                worst = Math.max(worst, err);
            }
        }
        System.out.printf("%s: largest difference from the float64 forward %.2e (bound %.0e)%n", what, worst, tol);
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "qwen2"})
    void everyLayerAndKindEqualsTheFloat64ForwardPass(String vocab) {
        var file = TestModels.file(spec(vocab));
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file);
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true))) {
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            List<ReferenceForward.Result> refs = forward(reference, tokens);
            assertMatchesReference(session.run(tokens, everything(nLayer, CaptureSpec.allTokens())), nLayer, refs,
                    TOLERANCE, vocab + ", all tokens");
            assertMatchesReference(session.run(tokens, everything(nLayer, CaptureSpec.lastToken())), nLayer, refs,
                    TOLERANCE, vocab + ", last token");
        }
    }

    /**
     * llama.cpp's default F16 KV cache rounds K and V: the last-token states stay close, yet beyond
     * the exact path's bound, so a session that fell back to F16 would fail the tests above.
     */
    @Test
    void f16KvCacheIsCloseButBeyondTheExactBound() {
        var file = TestModels.file(TestModels.SPM);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file); Session session = model.newSession(SessionOptions.defaults())) {
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            List<ReferenceForward.Result> refs = forward(reference, tokens);
            double worst = assertMatchesReference(session.run(tokens, everything(nLayer, CaptureSpec.lastToken())),
                    nLayer, refs, F16_TOLERANCE, "F16 KV cache");
            assertTrue(worst > TOLERANCE, "the F16 KV cache is within the exact bound: " + worst);
        }
    }

    /**
     * The counting kinds equal a count, over the float64 states, of activations and gate
     * projections above zero; entries within 1e-3 of zero may go either way in float32.
     */
    @Test
    void positiveCountsEqualTheFloat64ForwardPass() {
        var file = TestModels.file(TestModels.SPM);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file);
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true).withMaxSentences(4))) {
            int nLayer = model.info().nLayer(), nFf = model.info().nFf();
            List<int[]> tokens = TestModels.tokens(model);
            List<ReferenceForward.Result> refs = forward(reference, tokens);
            for (CaptureSpec.Builder b :
                    List.of(CaptureSpec.lastToken(), CaptureSpec.allTokens(), CaptureSpec.afterFirstToken())) {
                CaptureSpec spec =
                        b.allLayers(Kind.ACTIVATION_POSITIVE, nLayer).allLayers(Kind.GATE_POSITIVE, nLayer).build();
                Positions at = spec.positions();
                Capture c = session.run(tokens, spec);
                int checked = 0;
                long positives = 0, positions = 0;
                for (int l = 0; l < nLayer; l++) {
                    float[] act = c.matrix(Kind.ACTIVATION_POSITIVE, l), gate = c.matrix(Kind.GATE_POSITIVE, l);
                    assertEquals(tokens.size() * nFf, act.length);
                    for (int s = 0; s < tokens.size(); s++) {
                        double[][] a = refs.get(s).act()[l], g = refs.get(s).gate()[l];
                        for (int i = 0; i < nFf; i++) {
                            int[] actBounds = bounds(a, i, at), gateBounds = bounds(g, i, at);
                            float gotAct = act[s * nFf + i], gotGate = gate[s * nFf + i];
                            assertTrue(gotAct >= actBounds[0] && gotAct <= actBounds[1],
                                    "activation count of sentence " + s + ", layer " + l + ", neuron " + i + ": "
                                            + gotAct);
                            assertTrue(gotGate >= gateBounds[0] && gotGate <= gateBounds[1],
                                    "gate count of sentence " + s + ", layer " + l + ", neuron " + i + ": " + gotGate);
                            boolean exact = actBounds[0] == actBounds[1] && gateBounds[0] == gateBounds[1];
                            checked += exact ? 1 : 0;
                            positives += gotGate;
                            positions += at.rows(tokens.get(s).length);
                        }
                    }
                }
                // most counts admit one value only, and gates are positive about half the time
                assertTrue(checked > tokens.size() * nLayer * nFf / 2, "too few exact counts: " + checked);
                assertTrue(positives > positions / 4 && positives < positions * 3 / 4, positives + " of " + positions);
            }
        }
    }

    /** The fewest and most positives a float32 run may count for neuron i: near-zero values count either way. */
    private static int[] bounds(double[][] rows, int i, Positions at) {
        int sure = 0, unsure = 0;
        for (int p = rows.length - at.rows(rows.length); p < rows.length; p++) {
            if (Math.abs(rows[p][i]) <= 1e-3)
                unsure++;
            else if (rows[p][i] > 0)
                sure++;
        }
        return new int[] {sure, sure + unsure};
    }

    @Test
    void capturesAfterTheFirstTokenAreAllTokensButTheFirst() {
        var file = TestModels.file(TestModels.SPM);
        try (Model model = Model.open(file);
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true).withMaxSentences(4))) {
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            Capture all = session.run(tokens, everything(nLayer, CaptureSpec.allTokens()));
            Capture after = session.run(tokens, everything(nLayer, CaptureSpec.afterFirstToken()));
            assertEquals(all.rows() - tokens.size(), after.rows());
            for (int s = 0; s < tokens.size(); s++) {
                for (int p = 1; p < tokens.get(s).length; p++) {
                    for (CaptureSpec.Slot slot : after.spec().slots()) {
                        float[] a = all.token(slot.kind(), slot.layer(), s, p),
                                b = after.token(slot.kind(), slot.layer(), s, p);
                        for (int i = 0; i < a.length; i++) {
                            assertEquals(
                                    a[i], b[i], 1e-4 + 1e-4 * Math.abs(a[i]), slot + " of sentence " + s + " at " + p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBatchGivesTheSameCapturesAsOneSentenceAtATime() {
        var file = TestModels.file(TestModels.SPM);
        try (Model model = Model.open(file);
                Session batched = model.newSession(SessionOptions.defaults().withKvF32(true).withMaxSentences(4));
                Session single = model.newSession(SessionOptions.defaults().withKvF32(true).withMaxSentences(1))) {
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            for (CaptureSpec.Builder b : List.of(CaptureSpec.lastToken(), CaptureSpec.allTokens())) {
                CaptureSpec spec = everything(nLayer, b);
                // six sentences, four per decode: two decode calls, the second one partly filled
                Capture together = batched.run(tokens, spec);
                for (int s = 0; s < tokens.size(); s++) {
                    Capture alone = single.run(List.of(tokens.get(s)), spec);
                    for (CaptureSpec.Slot slot : spec.slots()) {
                        float[] a = alone.matrix(slot.kind(), slot.layer());
                        int w = alone.width(slot.kind(), slot.layer());
                        float[] t = together.matrix(slot.kind(), slot.layer());
                        int first = spec.positions() == Positions.ALL_TOKENS ? rowOf(together, s) : s;
                        for (int i = 0; i < a.length; i++) {
                            assertEquals(a[i], t[first * w + i], 1e-4 + 1e-4 * Math.abs(a[i]),
                                    slot + " of sentence " + s + ", element " + i);
                        }
                    }
                }
            }
        }
    }

    private static int rowOf(Capture c, int sentence) {
        int row = 0;
        for (int s = 0; s < sentence; s++) row += c.tokens(s);
        return row;
    }
}
