package tn.llama;

import org.junit.jupiter.api.Test;
import tn.TestModels;
import tn.reference.ReferenceForward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Overwriting activations before the down projection, proved against the algebra and the float64 forward. */
class DeactivationTest {
    static final List<Integer> NEURONS = List.of(3, 17, 40, 77, 95);

    static List<Neuron> at(int layer) {
        return NEURONS.stream().map(i -> new Neuron(layer, i)).toList();
    }

    @Test
    void switchingNeuronsOffChangesTheLayerOutputByMinusTheirContribution() {
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true))) {
            int layer = 1;
            List<int[]> tokens = TestModels.tokens(model);
            CaptureSpec spec = CaptureSpec.lastToken()
                                       .add(Kind.FFN_INP, layer)
                                       .add(Kind.ACTIVATION, layer)
                                       .add(Kind.L_OUT, layer)
                                       .build();
            Capture plain = session.run(tokens, spec);
            Capture off = session.run(tokens, spec, Deactivation.zero(at(layer), Positions.LAST_TOKEN));
            ValueVectors v = model.valueVectors(layer);
            for (int s = 0; s < tokens.size(); s++) {
                float[] a = plain.lastToken(Kind.ACTIVATION, layer, s);
                float[] aOff = off.lastToken(Kind.ACTIVATION, layer, s);
                for (int i : NEURONS) assertEquals(0f, aOff[i], "activation of a switched-off neuron");
                assertArrayClose(plain.lastToken(Kind.FFN_INP, layer, s), off.lastToken(Kind.FFN_INP, layer, s), 0,
                        "the MLP input does not depend on the layer's own deactivation");
                float[] before = plain.lastToken(Kind.L_OUT, layer, s);
                float[] after = off.lastToken(Kind.L_OUT, layer, s);
                for (int j = 0; j < before.length; j++) {
                    double contribution = 0;
                    for (int i : NEURONS) contribution += a[i] * v.of(i)[j];
                    assertEquals(
                            -contribution, after[j] - before[j], 1e-4, "l_out change of sentence " + s + " at " + j);
                }
            }
        }
    }

    @Test
    void deactivationEqualsTheFloat64ForwardWithTheSameNeuronsZeroed() {
        var file = TestModels.file(TestModels.SPM);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file);
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true))) {
            int nLayer = model.info().nLayer();
            List<Neuron> neurons = new ArrayList<>(at(0));
            neurons.addAll(at(2));
            neurons.addAll(at(nLayer - 1)); // the last layer computes output rows only
            List<int[]> tokens = TestModels.tokens(model);
            for (Positions positions : List.of(Positions.LAST_TOKEN, Positions.ALL_TOKENS)) {
                Map<Integer, Map<Integer, Double>> zeroed = new HashMap<>();
                for (Neuron n : neurons) zeroed.computeIfAbsent(n.layer(), k -> new HashMap<>()).put(n.index(), 0.0);
                var refDeact = new ReferenceForward.Deactivation(zeroed, positions == Positions.ALL_TOKENS);
                List<ReferenceForward.Result> refs = tokens.stream().map(t -> reference.forward(t, refDeact)).toList();
                for (CaptureSpec.Builder b : List.of(CaptureSpec.lastToken(), CaptureSpec.allTokens())) {
                    Capture c = session.run(
                            tokens, CaptureTest.everything(nLayer, b), Deactivation.zero(neurons, positions));
                    CaptureTest.assertMatchesReference(c, nLayer, refs, CaptureTest.TOLERANCE,
                            "deactivation at " + positions + ", capture of " + c.spec().positions());
                }
            }
        }
    }

    @Test
    void givenValuesApplyAtTheLastTokenOnly() {
        try (Model model = Model.open(TestModels.file(TestModels.SPM));
                Session session = model.newSession(SessionOptions.defaults().withKvF32(true))) {
            int layer = 2;
            List<int[]> tokens = TestModels.tokens(model);
            Map<Neuron, Float> values = new LinkedHashMap<>();
            for (int i : NEURONS) values.put(new Neuron(layer, i), 2.5f + i);
            CaptureSpec spec = CaptureSpec.allTokens().add(Kind.ACTIVATION, layer).add(Kind.RESULT_NORM).build();
            Capture plain = session.run(tokens, spec);
            Capture set = session.run(tokens, spec, new Deactivation(values, Positions.LAST_TOKEN));
            for (int s = 0; s < tokens.size(); s++) {
                int last = tokens.get(s).length - 1;
                for (int p = 0; p <= last; p++) {
                    float[] a = set.token(Kind.ACTIVATION, layer, s, p);
                    float[] a0 = plain.token(Kind.ACTIVATION, layer, s, p);
                    for (int i = 0; i < a.length; i++) {
                        float expected = p == last && NEURONS.contains(i) ? 2.5f + i : a0[i];
                        assertEquals(expected, a[i], 0f, "sentence " + s + " position " + p + " neuron " + i);
                    }
                }
                float[] out = set.lastToken(Kind.RESULT_NORM, -1, s);
                float[] out0 = plain.lastToken(Kind.RESULT_NORM, -1, s);
                double diff = 0;
                for (int j = 0; j < out.length; j++) diff = Math.max(diff, Math.abs(out[j] - out0[j]));
                assertTrue(diff > 1e-3, "sentence " + s + ": the values set at its last token must change its output");
            }
        }
    }

    static void assertArrayClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, what + " at " + i);
    }
}
