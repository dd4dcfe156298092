package tn.qa;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.TestModels;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.reference.ReferenceForward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greedy generation with neurons off at the prompt's positions, checked against the float64
 * forward pass (which recomputes the whole sequence at every step, so it shares nothing with
 * the KV-cache path) and against java-llama.cpp's own greedy completion.
 */
class GenerationTest {
    static final double TIE = 1e-3;
    static final int NEW_TOKENS = 12;
    static final String[] PROMPTS = {"Question: Where is the station?\nAnswer:", "東京の人口は？", "The capital of Italy is"};
    static final List<Neuron> OFF = List.of(new Neuron(0, 3), new Neuron(1, 17), new Neuron(1, 40), new Neuron(2, 5),
            new Neuron(3, 90));

    static Path file;
    static Model model;
    static Session session;
    static ReferenceForward reference;

    @BeforeAll
    static void open() {
        file = TestModels.file(TestModels.SPM);
        model = Model.open(file);
        session = model.newSession(SessionOptions.defaults().withThreads(2).withKvF32(true));
        reference = TestModels.reference(file);
    }

    @AfterAll
    static void close() {
        session.close();
        model.close();
    }

    @Test
    void emptyDeactivationIsPlainGeneration() {
        for (String prompt : PROMPTS) {
            GreedyGenerator.Generation plain = generate(prompt, Deactivation.none());
            GreedyGenerator.Generation empty = generate(prompt, Deactivation.zero(List.of(), Positions.ALL_TOKENS));
            assertArrayEquals(plain.tokens(), empty.tokens(), prompt);
            assertArrayEquals(plain.margins(), empty.margins(), prompt);
        }
    }

    @Test
    void plainGenerationFollowsTheFloat64ForwardPass() {
        for (String prompt : PROMPTS) {
            assertFollowsReference(prompt, Deactivation.none(), ReferenceForward.Deactivation.none());
        }
    }

    @Test
    void neuronsOffAtThePromptFollowTheFloat64ForwardPass() {
        Map<Integer, Map<Integer, Double>> off = new HashMap<>();
        for (Neuron n : OFF) off.computeIfAbsent(n.layer(), l -> new HashMap<>()).put(n.index(), 0.0);
        boolean changed = false;
        for (String prompt : PROMPTS) {
            int promptLength = model.tokenize(prompt).length;
            Deactivation ours = Deactivation.zero(OFF, Positions.ALL_TOKENS);
            assertFollowsReference(prompt, ours, new ReferenceForward.Deactivation(off, true, promptLength));
            changed |= !Arrays.equals(generate(prompt, ours).margins(), generate(prompt, Deactivation.none()).margins());
        }
        assertTrue(changed, "switching 5 neurons off at the prompt changed nothing");
    }

    /**
     * The original's prompt_last mode: the neurons off at the prompt's last position only, for the
     * whole generation (its KV cache keeps that position's states); the float64 pass recomputes
     * every step with them off at exactly that position.
     */
    @Test
    void neuronsOffAtThePromptsLastTokenFollowTheFloat64ForwardPass() {
        Map<Integer, Map<Integer, Double>> off = new HashMap<>();
        for (Neuron n : OFF) off.computeIfAbsent(n.layer(), l -> new HashMap<>()).put(n.index(), 0.0);
        boolean differs = false;
        for (String prompt : PROMPTS) {
            int promptLength = model.tokenize(prompt).length;
            Deactivation last = Deactivation.zero(OFF, Positions.LAST_TOKEN);
            ReferenceForward.Deactivation theirs = new ReferenceForward.Deactivation(off, true, promptLength - 1, promptLength);
            assertFollowsReference(prompt, last, theirs);
            // the first step's top-2 margin, a number: ours against float64's, and unlike plain generation's
            double[] logits = reference.logits(last(reference.forward(model.tokenize(prompt), theirs).resultNorm()));
            double margin = logits[argmax(logits)] - secondLargest(logits);
            float ours = generate(prompt, last).margins()[0], plain = generate(prompt, Deactivation.none()).margins()[0];
            System.out.printf("prompt_last '%s': first margin %.5f, float64 %.5f, plain %.5f%n", prompt, ours, margin, plain);
            assertEquals(margin, ours, 1e-3, prompt);
            differs |= Math.abs(plain - margin) > 1e-2;
        }
        assertTrue(differs, "switching 5 neurons off at the prompt's last token changed no first margin");
    }

    /** Same tokens as the reference's greedy choice wherever our top-2 margin is above TIE. */
    private void assertFollowsReference(String prompt, Deactivation ours, ReferenceForward.Deactivation theirs) {
        int[] promptTokens = model.tokenize(prompt);
        GreedyGenerator.Generation g = generate(prompt, ours);
        List<Integer> sequence = new ArrayList<>();
        for (int t : promptTokens) sequence.add(t);
        for (int step = 0; step < g.margins().length; step++) {
            double[] logits = reference.logits(last(reference.forward(toArray(sequence), theirs).resultNorm()));
            int best = argmax(logits);
            boolean stopped = step == g.tokens().length;
            int mine = stopped ? -1 : g.tokens()[step];
            if (stopped ? !model.endsGeneration(best) : best != mine) {
                assertTrue(g.margins()[step] <= TIE, "'" + prompt + "' step " + step + ": ours " + mine + ", float64 "
                        + best + ", with our top-2 margin " + g.margins()[step]);
                System.out.printf("generation parts from float64 at a near tie: '%s' step %d, margin %.2e%n",
                        prompt, step, g.margins()[step]);
                return;
            }
            if (stopped) break;
            sequence.add(mine);
        }
        float smallest = Float.POSITIVE_INFINITY;
        for (float m : g.margins()) smallest = Math.min(smallest, m);
        System.out.printf("float64 forward chose the same %d tokens for '%s' (%s); smallest top-2 margin %.3g%n",
                g.tokens().length, prompt, ours.isEmpty() ? "plain" : ours.values().size() + " neurons off at the prompt", smallest);
    }

    /**
     * Both tokenizers; the test sentences and the prompts. Where the texts part, our top-2 margin
     * at that token must be a near tie; the margins are printed either way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "qwen2"})
    void javaLlamaCppGreedyCompletionGivesTheSameText(String vocab) {
        Path oracleFile = TestModels.file(vocab.equals("qwen2") ? TestModels.QWEN2 : TestModels.SPM);
        ModelParameters params = new ModelParameters().setModel(oracleFile.toString()).setCtxSize(256).setThreads(2)
                .setCacheTypeK(CacheType.F32).setCacheTypeV(CacheType.F32).disableLog();
        List<String> prompts = new ArrayList<>(List.of(PROMPTS));
        prompts.addAll(List.of(TestModels.SENTENCES));
        int compared = 0;
        double smallest = Double.POSITIVE_INFINITY;
        try (Model ours = Model.open(oracleFile);
             Session s = ours.newSession(SessionOptions.defaults().withThreads(2).withKvF32(true));
             LlamaModel oracle = new LlamaModel(params)) {
            for (String prompt : prompts) {
                int[] promptTokens = ours.tokenize(prompt);
                GreedyGenerator.Generation g = new GreedyGenerator(s).generate(promptTokens, NEW_TOKENS, Deactivation.none());
                String theirs = oracle.complete(new InferenceParameters(prompt).setTemperature(0f).setNPredict(NEW_TOKENS)
                        .setRepeatPenalty(1f).setCachePrompt(false));
                // the longest prefix of our tokens whose text the oracle also produced
                int agree = 0;
                while (agree < g.tokens().length && theirs.startsWith(pieces(ours, promptTokens, g.tokens(), agree + 1))) agree++;
                for (int t = 0; t < agree; t++) smallest = Math.min(smallest, g.margins()[t]);
                if (agree < g.tokens().length) {
                    System.out.printf("%s: java-llama.cpp parts from us on '%s' at token %d of %d, where our top-2 margin is %.2e%n",
                            vocab, prompt, agree, g.tokens().length, g.margins()[agree]);
                    assertTrue(g.margins()[agree] <= TIE, vocab + ", '" + prompt + "': java-llama.cpp wrote '" + theirs
                            + "', we wrote '" + pieces(ours, promptTokens, g.tokens(), g.tokens().length) + "'; they part at token "
                            + agree + " where our top-2 margin is " + g.margins()[agree]);
                } else {
                    assertEquals(pieces(ours, promptTokens, g.tokens(), g.tokens().length), theirs, prompt);
                }
                compared += agree;
            }
        }
        System.out.printf("%s: java-llama.cpp wrote the same text for %d generated tokens of %d prompts; the smallest "
                + "top-2 margin among them %.3g%n", vocab, compared, prompts.size(), smallest);
        assertTrue(compared >= prompts.size() * NEW_TOKENS / 2, "too few tokens compared with java-llama.cpp: " + compared);
    }

    private static GreedyGenerator.Generation generate(String prompt, Deactivation d) {
        return new GreedyGenerator(session).generate(model.tokenize(prompt), NEW_TOKENS, d);
    }

    /**
     * The text the first n generated tokens add after the prompt: what a streaming server
     * returns, including the word-initial space a tokenizer drops at the start of a text.
     */
    private static String pieces(Model model, int[] prompt, int[] generated, int n) {
        int[] all = Arrays.copyOf(prompt, prompt.length + n);
        System.arraycopy(generated, 0, all, prompt.length, n);
        String before = model.detokenize(prompt, true), after = model.detokenize(all, true);
        assertTrue(after.startsWith(before), "'" + after + "' does not start with the prompt '" + before + "'");
        return after.substring(before.length());
    }

    private static double[] last(double[][] rows) {
        return rows[rows.length - 1];
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double secondLargest(double[] x) {
        int best = argmax(x);
        double second = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) if (i != best && x[i] > second) second = x[i];
        return second;
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
