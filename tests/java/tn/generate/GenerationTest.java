package tn.generate;

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
import tn.reference.ReferenceForward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched greedy generation with neurons off at the prompt's positions, checked against the
 * float64 forward pass (which recomputes the whole sequence at every step, so it shares nothing
 * with the KV-cache path) and against java-llama.cpp's own greedy completion.
 */
class GenerationTest {
    /** Below this top-2 logit margin, float32 and float64 may rightly choose differently. */
    static final double TIE = 1e-3;
    static final int NEW_TOKENS = 12;
    /** Tokens each prompt must have verified against float64 before a near tie may end the check. */
    static final int MIN_VERIFIED = 6;
    static final String[] PROMPTS = {
            "Question: Where is the station?\nAnswer:", "東京の人口は？", "The capital of Italy is"};
    static final List<Neuron> OFF =
            List.of(new Neuron(0, 3), new Neuron(1, 17), new Neuron(1, 40), new Neuron(2, 5), new Neuron(3, 90));

    static Path file;
    static Model model;
    static ReferenceForward reference;

    @BeforeAll
    static void open() {
        file = TestModels.file(TestModels.SPM);
        model = Model.open(file);
        reference = TestModels.reference(file);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The prompts with a long one that is decoded in several pieces, generated 3 at a time. */
    static List<String> prompts() {
        List<String> p = new ArrayList<>(List.of(PROMPTS));
        p.add("The quick brown fox jumps over the lazy dog. ".repeat(60) + "And then the fox");
        return p;
    }

    static List<Generation> generate(List<String> prompts, Deactivation d) {
        List<Request> requests = new ArrayList<>();
        for (String p : prompts) requests.add(new Request(model.tokenize(p), NEW_TOKENS, StopRule.NONE, d));
        try (BatchedGenerator g = new BatchedGenerator(model, 3, 1024, 1, true)) {
            return g.generateAll(requests);
        }
    }

    @Test
    void theLongPromptIsDecodedInPieces() {
        assertTrue(model.tokenize(prompts().get(PROMPTS.length)).length > BatchedGenerator.PROMPT_ROWS);
    }

    @Test
    void emptyDeactivationIsPlainGeneration() {
        List<Generation> plain = generate(prompts(), Deactivation.none());
        List<Generation> empty = generate(prompts(), Deactivation.zero(List.of(), Positions.ALL_TOKENS));
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i).tokens(), empty.get(i).tokens(), prompts().get(i));
            assertArrayEquals(plain.get(i).margins(), empty.get(i).margins(), prompts().get(i));
        }
    }

    @Test
    void plainGenerationFollowsTheFloat64ForwardPass() {
        List<Generation> g = generate(prompts(), Deactivation.none());
        for (int i = 0; i < g.size(); i++)
            assertFollowsReference(prompts().get(i), g.get(i), ReferenceForward.Deactivation.none());
    }

    @Test
    void neuronsOffAtThePromptFollowTheFloat64ForwardPass() {
        Map<Integer, Map<Integer, Double>> off = new HashMap<>();
        for (Neuron n : OFF) off.computeIfAbsent(n.layer(), l -> new HashMap<>()).put(n.index(), 0.0);
        List<Generation> ours = generate(prompts(), Deactivation.zero(OFF, Positions.ALL_TOKENS));
        List<Generation> plain = generate(prompts(), Deactivation.none());
        boolean changed = false;
        for (int i = 0; i < ours.size(); i++) {
            String prompt = prompts().get(i);
            int promptLength = model.tokenize(prompt).length;
            assertFollowsReference(prompt, ours.get(i), new ReferenceForward.Deactivation(off, true, promptLength));
            changed |= !Arrays.equals(ours.get(i).margins(), plain.get(i).margins());
        }
        assertTrue(changed, "switching 5 neurons off at the prompt changed nothing");
    }

    /**
     * The original's prompt_last mode: the neurons off at the prompt's last position only, for the
     * whole generation (the KV cache keeps that position's states); the float64 pass recomputes
     * every step with them off at exactly that position.
     */
    @Test
    void neuronsOffAtThePromptsLastTokenFollowTheFloat64ForwardPass() {
        Map<Integer, Map<Integer, Double>> off = new HashMap<>();
        for (Neuron n : OFF) off.computeIfAbsent(n.layer(), l -> new HashMap<>()).put(n.index(), 0.0);
        List<Generation> ours = generate(prompts(), Deactivation.zero(OFF, Positions.LAST_TOKEN));
        List<Generation> plain = generate(prompts(), Deactivation.none());
        boolean differs = false;
        for (int i = 0; i < ours.size(); i++) {
            String prompt = prompts().get(i);
            int promptLength = model.tokenize(prompt).length;
            ReferenceForward.Deactivation theirs =
                    new ReferenceForward.Deactivation(off, true, promptLength - 1, promptLength);
            assertFollowsReference(prompt, ours.get(i), theirs);
            // the first step's top-2 margin, a number: ours against float64's, and unlike plain generation's
            double margin = topTwoMargin(
                    reference.logits(last(reference.forward(model.tokenize(prompt), theirs).resultNorm())));
            float first = ours.get(i).margins()[0], plainFirst = plain.get(i).margins()[0];
            System.out.printf("prompt_last '%s': first margin %.5f, float64 %.5f, plain %.5f%n", abbreviate(prompt),
                    first, margin, plainFirst);
            assertEquals(margin, first, 1e-3, prompt);
            differs |= Math.abs(plainFirst - margin) > 1e-2;
        }
        assertTrue(differs, "switching 5 neurons off at the prompt's last token changed no first margin");
    }

    /**
     * Our tokens are the float64 pass's greedy choices; a step where they differ ends the check
     * only where the float64 pass's own top-2 margin is a near tie, and after MIN_VERIFIED tokens.
     */
    private void assertFollowsReference(String prompt, Generation g, ReferenceForward.Deactivation theirs) {
        List<Integer> sequence = new ArrayList<>();
        for (int t : model.tokenize(prompt)) sequence.add(t);
        String label = "'" + abbreviate(prompt) + "'";
        for (int step = 0; step < g.margins().length; step++) {
            double[] logits = reference.logits(last(reference.forward(toArray(sequence), theirs).resultNorm()));
            int best = argmax(logits);
            boolean stopped = step == g.tokens().length;
            int mine = stopped ? -1 : g.tokens()[step];
            if (stopped ? !model.endsGeneration(best) : best != mine) {
                double margin = topTwoMargin(logits);
                assertTrue(margin <= TIE,
                        label + " step " + step + ": ours " + mine + ", float64 " + best
                                + ", with the float64 top-2 margin " + margin);
                assertTrue(step >= MIN_VERIFIED,
                        label + ": a near tie at step " + step + " leaves too few tokens verified");
                System.out.printf("generation parts from float64 at a near tie: %s step %d, float64 margin %.2e%n",
                        label, step, margin);
                return;
            }
            if (stopped) break;
            sequence.add(mine);
        }
        System.out.printf("float64 forward chose the same %d tokens for %s; smallest top-2 margin of ours %.3g%n",
                g.tokens().length, label, g.minMargin());
    }

    /**
     * Both tokenizers; the test sentences and the prompts. Where the texts part, our top-2 margin
     * at that token must be a near tie; the margins are printed either way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "qwen2"})
    void javaLlamaCppGreedyCompletionGivesTheSameText(String vocab) {
        Path oracleFile = TestModels.file(vocab.equals("qwen2") ? TestModels.QWEN2 : TestModels.SPM);
        ModelParameters params = new ModelParameters()
                                         .setModel(oracleFile.toString())
                                         .setCtxSize(256)
                                         .setThreads(2)
                                         .setCacheTypeK(CacheType.F32)
                                         .setCacheTypeV(CacheType.F32)
                                         .disableLog();
        List<String> prompts = new ArrayList<>(List.of(PROMPTS));
        prompts.addAll(List.of(TestModels.SENTENCES));
        int compared = 0;
        double smallest = Double.POSITIVE_INFINITY;
        try (Model ours = Model.open(oracleFile);
                BatchedGenerator generator = new BatchedGenerator(ours, 4, 256, 1, true);
                LlamaModel oracle = new LlamaModel(params)) {
            List<Request> requests = new ArrayList<>();
            for (String prompt : prompts)
                requests.add(new Request(ours.tokenize(prompt), NEW_TOKENS, StopRule.NONE, Deactivation.none()));
            List<Generation> generations = generator.generateAll(requests);
            for (int i = 0; i < prompts.size(); i++) {
                String prompt = prompts.get(i);
                int[] promptTokens = requests.get(i).prompt();
                Generation g = generations.get(i);
                String theirs = oracle.complete(new InferenceParameters(prompt)
                                .setTemperature(0f)
                                .setNPredict(NEW_TOKENS)
                                .setRepeatPenalty(1f)
                                .setCachePrompt(false));
                // the longest prefix of our tokens whose text the oracle also produced
                int agree = 0;
                while (agree < g.tokens().length
                        && theirs.startsWith(pieces(ours, promptTokens, g.tokens(), agree + 1)))
                    agree++;
                for (int t = 0; t < agree; t++) smallest = Math.min(smallest, g.margins()[t]);
                if (agree < g.tokens().length) {
                    System.out.printf(
                            "%s: java-llama.cpp parts from us on '%s' at token %d of %d, where our top-2 margin is %.2e%n",
                            vocab, prompt, agree, g.tokens().length, g.margins()[agree]);
                    assertTrue(g.margins()[agree] <= TIE,
                            vocab + ", '" + prompt + "': java-llama.cpp wrote '" + theirs + "', we wrote '"
                                    + pieces(ours, promptTokens, g.tokens(), g.tokens().length)
                                    + "'; they part at token " + agree + " where our top-2 margin is "
                                    + g.margins()[agree]);
                } else {
                    assertEquals(pieces(ours, promptTokens, g.tokens(), g.tokens().length), theirs, prompt);
                }
                compared += agree;
            }
        }
        System.out.printf("%s: java-llama.cpp wrote the same text for %d generated tokens of %d prompts; the smallest "
                        + "top-2 margin among them %.3g%n",
                vocab, compared, prompts.size(), smallest);
        assertTrue(compared >= prompts.size() * NEW_TOKENS / 2,
                "too few tokens compared with java-llama.cpp: " + compared);
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

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 30) + "..." + s.substring(s.length() - 20);
    }

    private static double topTwoMargin(double[] x) {
        int best = argmax(x);
        double second = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++)
            if (i != best) second = Math.max(second, x[i]);
        return x[best] - second;
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
        for (int i = 0; i < x.length; i++)
            if (i != best && x[i] > second) second = x[i];
        return second;
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++)
            if (x[i] > x[best]) best = i;
        return best;
    }
}
