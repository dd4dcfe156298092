package tn.generate;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tn.TestModels;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Neuron;
import tn.llama.Positions;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched generation gives every request what it gives alone, token for token and margin for
 * margin (bit for bit), whatever P, whatever runs beside it, with and without neurons off.
 */
class BatchedGeneratorTest {
    static final List<Neuron> OFF =
            List.of(new Neuron(0, 3), new Neuron(1, 17), new Neuron(1, 40), new Neuron(2, 5), new Neuron(3, 90));
    static final int CONTEXT = 160;

    static Model model;

    @BeforeAll
    static void open() {
        model = Model.open(TestModels.file(TestModels.SPM));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Prompts of many lengths (one longer than a prompt piece would be at PROMPT_ROWS 512 is not needed here). */
    static List<Request> requests(Deactivation off) {
        List<Request> r = new ArrayList<>();
        int k = 0;
        for (String s : TestModels.SENTENCES) {
            r.add(new Request(
                    model.tokenize(s), 6 + 7 * (k % 4), StopRule.NONE, k % 2 == 0 ? off : Deactivation.none()));
            k++;
        }
        r.add(new Request(model.tokenize("Question: Where is the station?\nAnswer:"), 40, StopRule.NONE, off));
        r.add(new Request(model.tokenize("東京の人口は？"), 1, StopRule.NONE, off));
        return r;
    }

    static List<Generation> generate(int parallel, List<Request> requests) {
        try (BatchedGenerator g = new BatchedGenerator(model, parallel, CONTEXT, 1, true)) {
            return g.generateAll(requests);
        }
    }

    /**
     * A stop string ends a continuation at the token that completes it; cut there, the text equals
     * the text of a longer continuation cut at the same string.
     */
    @Test
    void aStopStringEndsAtTheTokenThatCompletesIt() {
        int[] prompt = model.tokenize("The capital of Italy is");
        Generation free = generate(1, List.of(new Request(prompt, 40, StopRule.NONE, Deactivation.none()))).get(0);
        String text = model.detokenize(free.tokens(), true);
        String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
        int first = text.indexOf(stop);
        StopStrings rule = new StopStrings(model, List.of("never there \u2603", stop));
        Generation stopped = generate(2, List.of(new Request(prompt, 40, rule, Deactivation.none()))).get(0);
        assertEquals(StopReason.STOP_STRING, stopped.reason());
        int n = stopped.tokens().length;
        assertArrayEquals(Arrays.copyOf(free.tokens(), n), stopped.tokens());
        assertTrue(model.detokenize(stopped.tokens(), true).contains(stop));
        assertFalse(model.detokenize(Arrays.copyOf(stopped.tokens(), n - 1), true).contains(stop));
        String cut = model.detokenize(stopped.tokens(), true);
        assertEquals(text.substring(0, first), cut.substring(0, cut.indexOf(stop)));
        assertEquals(StopReason.MAX_NEW_TOKENS, free.reason());
    }

    @Test
    void aPromptThatDoesNotFitIsRefused() {
        try (BatchedGenerator g = new BatchedGenerator(model, 2, 16, 1, true)) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    ()
                            -> g.submit(0,
                                    new Request(model.tokenize("The capital of Italy is"), 12, StopRule.NONE,
                                            Deactivation.none())));
            assertTrue(e.getMessage().contains("do not fit the context of 16 tokens"), e.getMessage());
        }
    }

    /** Q8_0 weights, whose lone-row and batched kernels may sum alike (then a lone row runs alone). */
    static final SyntheticModel SPM_Q8_0 = new SyntheticModel(4, 64, 96, 4, 2, Vocabulary.LLAMA_SPM, 7, FileType.Q8_0);

    @Test
    void everyRequestGetsWhatItGetsAloneWhateverP() {
        assertAloneEqualsBatched();
    }

    /**
     * The same on Q8_0 weights; whether the probe pairs a lone row or not, every P gives the
     * tokens and margins of a request run alone, bit for bit.
     */
    @Test
    void everyRequestGetsWhatItGetsAloneWhateverPOnQuantizedWeights() {
        Model f32 = model;
        try (Model q8 = Model.open(TestModels.file(SPM_Q8_0))) {
            model = q8;
            try (BatchedGenerator g = new BatchedGenerator(model, 1, CONTEXT, 1, true)) {
                System.out.println("Q8_0: a lone row is " + (g.pairsLoneRow() ? "paired" : "decoded alone"));
            }
            assertAloneEqualsBatched();
        } finally {
            model = f32;
        }
    }

    static void assertAloneEqualsBatched() {
        Deactivation off = Deactivation.zero(OFF, Positions.ALL_TOKENS);
        List<Request> requests = requests(off);
        List<Generation> alone = new ArrayList<>();
        for (Request r : requests) alone.add(generate(1, List.of(r)).get(0));
        for (int p : new int[] {1, 3, 8}) {
            List<Generation> batched = generate(p, requests);
            for (int i = 0; i < requests.size(); i++) {
                assertArrayEquals(alone.get(i).tokens(), batched.get(i).tokens(), "P=" + p + ", request " + i);
                assertArrayEquals(alone.get(i).margins(), batched.get(i).margins(), "P=" + p + ", request " + i);
                assertEquals(alone.get(i).reason(), batched.get(i).reason(), "P=" + p + ", request " + i);
            }
        }
    }
}
