package tn.llama;

import tn.bridge.LlamaException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tn.TestModels;
import tn.model.SyntheticArchitecture;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopRule;
import tn.reference.ReferenceForward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture tn supports, on a synthetic model of it that llama.cpp runs with that
 * architecture's own graph, against the float64 forward pass written from the architecture's
 * definition: every captured kind at every layer, x_l in particular, deactivation, and greedy
 * generation, in the exact attention mode (F32 KV cache) the runs use.
 */
class ArchitectureTest {
    /** Exact mode: float32 against float64, no F16 rounding anywhere. */
    static final double BOUND = 1e-4;

    static Path file(SyntheticArchitecture arch) {
        return TestModels.file(TestModels.BY_ARCHITECTURE.get(arch));
    }

    static Session exact(Model model) {
        return model.newSession(SessionOptions.defaults().withThreads(2).withKvF32(true).withMaxSentences(4));
    }

    /** What the table calls supported is exactly what these tests run, so nothing is supported unproven. */
    @Test
    void theTableSupportsExactlyTheArchitecturesTestedHere() {
        Set<String> supported = new TreeSet<>(), tested = new TreeSet<>();
        for (Architecture a : Architecture.all()) {
            if (a.fullySupported())
                supported.add(a.name());
            else
                assertTrue(!a.detection().supported() && a.detection().reason() != null, a.name());
        }
        for (SyntheticArchitecture a : SyntheticArchitecture.values()) tested.add(a.id);
        assertEquals(tested, supported);
        assertTrue(Architecture.all()
                           .stream()
                           .map(Architecture::name)
                           .toList()
                           .containsAll(List.of("gemma2", "gemma3", "olmo2")),
                "the post-norm architectures have rows saying why not");
    }

    /**
     * phi3's gate is half of the fused up projection, no node of its own: counting gates is
     * refused before anything runs (an input error, exit 3), counting activations works.
     */
    @Test
    void aGateCountNeedsAGateNode() {
        try (Model model = Model.open(file(SyntheticArchitecture.PHI3)); Session session = exact(model)) {
            List<int[]> tokens = TestModels.tokens(model);
            LlamaException e = assertThrows(LlamaException.class,
                    () -> session.run(tokens, CaptureSpec.allTokens().add(Kind.GATE_POSITIVE, 0).build()));
            assertTrue(e.isInputError() && e.getMessage().contains("phi3 has no gate projection"), e.getMessage());
            Capture c = session.run(tokens, CaptureSpec.allTokens().add(Kind.ACTIVATION_POSITIVE, 0).build());
            assertEquals(tokens.size() * model.info().nFf(), c.matrix(Kind.ACTIVATION_POSITIVE, 0).length);
        }
    }

    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void everyKindAtEveryLayerEqualsTheFloat64ForwardPass(SyntheticArchitecture arch) {
        Path file = file(arch);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file); Session session = exact(model)) {
            assertEquals(arch.id, model.info().architecture());
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            List<ReferenceForward.Result> refs = CaptureTest.forward(reference, tokens);
            for (CaptureSpec.Builder b : List.of(CaptureSpec.allTokens(), CaptureSpec.lastToken())) {
                Capture c = session.run(tokens, CaptureTest.everything(nLayer, b));
                CaptureTest.assertMatchesReference(c, nLayer, refs, BOUND, arch.id + ", " + c.spec().positions());
            }
        }
    }

    /**
     * x_l is h_{l-1} plus the attention output, and nothing near it: the states a wrong node
     * would give (h_{l-1}, h_l, the MLP's input) are far further from it than the bound, so the
     * capture matching x_l within the bound proves it comes from the right place.
     */
    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void xIsTheResidualTheMlpOutputIsAddedTo(SyntheticArchitecture arch) {
        Path file = file(arch);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file); Session session = exact(model)) {
            int nLayer = model.info().nLayer();
            List<int[]> tokens = TestModels.tokens(model);
            Capture c = session.run(tokens, CaptureSpec.lastToken().allLayers(Kind.FFN_INP, nLayer).build());
            double nearestWrong = Double.POSITIVE_INFINITY;
            for (int s = 0; s < tokens.size(); s++) {
                ReferenceForward.Result r = reference.forward(tokens.get(s), ReferenceForward.Deactivation.none());
                int p = tokens.get(s).length - 1;
                for (int l = 0; l < nLayer; l++) {
                    double[] x = r.x()[l][p];
                    float[] got = c.lastToken(Kind.FFN_INP, l, s);
                    assertTrue(maxDiff(x, got) <= BOUND,
                            arch.id + ": x_" + l + " of sentence " + s + " is off by " + maxDiff(x, got));
                    double[] before = l == 0 ? r.embd()[p] : r.lOut()[l - 1][p];
                    nearestWrong = Math.min(nearestWrong, Math.min(maxDiff(x, before), maxDiff(x, r.lOut()[l][p])));
                }
            }
            assertTrue(
                    nearestWrong > 100 * BOUND, arch.id + ": h_{l-1} or h_l comes within " + nearestWrong + " of x_l");
            System.out.printf("%s: x_l within %.0e of h_{l-1} + o_l; h_{l-1} and h_l are at least %.3f away%n", arch.id,
                    BOUND, nearestWrong);
        }
    }

    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void deactivationEqualsTheFloat64ForwardWithTheNeuronsZeroed(SyntheticArchitecture arch) {
        Path file = file(arch);
        ReferenceForward reference = TestModels.reference(file);
        try (Model model = Model.open(file); Session session = exact(model)) {
            int nLayer = model.info().nLayer();
            List<Neuron> neurons = new ArrayList<>();
            for (int l : new int[] {0, nLayer - 1}) {
                for (int i : DeactivationTest.NEURONS) neurons.add(new Neuron(l, i));
            }
            Map<Integer, Map<Integer, Double>> zeroed = new HashMap<>();
            for (Neuron n : neurons) zeroed.computeIfAbsent(n.layer(), k -> new HashMap<>()).put(n.index(), 0.0);
            List<int[]> tokens = TestModels.tokens(model);
            for (Positions at : List.of(Positions.LAST_TOKEN, Positions.ALL_TOKENS)) {
                var theirs = new ReferenceForward.Deactivation(zeroed, at == Positions.ALL_TOKENS);
                List<ReferenceForward.Result> refs = tokens.stream().map(t -> reference.forward(t, theirs)).toList();
                Capture c = session.run(tokens, CaptureTest.everything(nLayer, CaptureSpec.allTokens()),
                        Deactivation.zero(neurons, at));
                CaptureTest.assertMatchesReference(c, nLayer, refs, BOUND, arch.id + ", neurons off at " + at);
            }
            // the layer's output moves by exactly -sum a_i v_i
            CaptureSpec spec = CaptureSpec.lastToken().add(Kind.ACTIVATION, 0).add(Kind.L_OUT, 0).build();
            Capture plain = session.run(tokens, spec);
            Capture off = session.run(tokens, spec, Deactivation.zero(neurons, Positions.LAST_TOKEN));
            ValueVectors v = model.valueVectors(0);
            for (int s = 0; s < tokens.size(); s++) {
                float[] a = plain.lastToken(Kind.ACTIVATION, 0, s), before = plain.lastToken(Kind.L_OUT, 0, s);
                float[] after = off.lastToken(Kind.L_OUT, 0, s);
                for (int j = 0; j < before.length; j++) {
                    double contribution = 0;
                    for (int i : DeactivationTest.NEURONS) contribution += a[i] * v.of(i)[j];
                    assertEquals(-contribution, after[j] - before[j], BOUND,
                            arch.id + ": h_0 of sentence " + s + " at " + j);
                }
            }
        }
    }

    /**
     * Greedy generation (the batched generator qa and reasoning use, two requests at a time),
     * plain and with neurons off at the prompt, chooses the float64 forward pass's token
     * (recomputed over the whole sequence, through the architecture's output head and logit
     * scale) wherever the float64 top-2 margin leaves no doubt.
     */
    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void greedyGenerationFollowsTheFloat64ForwardPass(SyntheticArchitecture arch) {
        final int newTokens = 8;
        final double tie = 1e-3;
        Path file = file(arch);
        ReferenceForward reference = TestModels.reference(file);
        List<Neuron> off = List.of(new Neuron(0, 3), new Neuron(1, 17), new Neuron(1, 40), new Neuron(2, 5));
        Map<Integer, Map<Integer, Double>> zeroed = new HashMap<>();
        for (Neuron n : off) zeroed.computeIfAbsent(n.layer(), k -> new HashMap<>()).put(n.index(), 0.0);
        String[] prompts = {"The capital of Italy is", "東京の人口は？"};
        int verified = 0;
        try (Model model = Model.open(file);
                BatchedGenerator generator = new BatchedGenerator(model, 2, 128, 2, true)) {
            List<Request> requests = new ArrayList<>();
            List<ReferenceForward.Deactivation> theirs = new ArrayList<>();
            for (String prompt : prompts) {
                int[] tokens = model.tokenize(prompt);
                for (boolean withOff : new boolean[] {false, true}) {
                    requests.add(new Request(tokens, newTokens, StopRule.NONE,
                            withOff ? Deactivation.zero(off, Positions.ALL_TOKENS) : Deactivation.none()));
                    theirs.add(withOff ? new ReferenceForward.Deactivation(zeroed, true, tokens.length)
                                       : ReferenceForward.Deactivation.none());
                }
            }
            List<Generation> generations = generator.generateAll(requests);
            for (int q = 0; q < requests.size(); q++) {
                int[] generated = generations.get(q).tokens();
                List<Integer> sequence = new ArrayList<>();
                for (int t : requests.get(q).prompt()) sequence.add(t);
                for (int step = 0; step < generated.length; step++) {
                    double[][] states =
                            reference.forward(sequence.stream().mapToInt(Integer::intValue).toArray(), theirs.get(q))
                                    .resultNorm();
                    double[] logits = reference.logits(states[states.length - 1]);
                    int best = 0, second = -1;
                    for (int i = 1; i < logits.length; i++)
                        if (logits[i] > logits[best]) best = i;
                    for (int i = 0; i < logits.length; i++) {
                        if (i != best && (second < 0 || logits[i] > logits[second])) second = i;
                    }
                    if (logits[best] - logits[second] <= tie) break; // a float64 near tie: float32 may go either way
                    assertEquals(best, generated[step], arch.id + ", request " + q + ", step " + step);
                    verified++;
                    sequence.add(generated[step]);
                }
            }
        }
        System.out.printf("%s: %d generated tokens equal the float64 forward's greedy choice%n", arch.id, verified);
        assertTrue(verified >= prompts.length * 2 * newTokens / 2,
                arch.id + ": only " + verified + " generated tokens verified");
    }

    static double maxDiff(double[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    static double maxDiff(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
