package tn.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.NeuronSet;
import tn.data.Dataset;
import tn.data.SentenceFiles;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopStrings;
import tn.io.InvalidValueException;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.method.LastLayer;
import tn.reasoning.MmluProxLanguage;
import tn.reasoning.MmluProxScoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reasoning's prompt budget, as lm-evaluation-harness's generate_until has it: on a model trained for
 * budget + MAX_NEW tokens every question is answered, a prompt longer than the budget losing its first
 * tokens (BOS included) so that its last budget tokens are fed; prompts.jsonl's truncated_tokens is
 * exactly the prompt's tokens less the budget, the generation is what those tokens give alone,
 * whatever --parallel, and the accuracy counts every question. The budget is the sample's median
 * prompt, so that some prompts fit and some do not; a 512-token budget cuts them all. tn's protocol
 * skips the long prompts and counts only the others.
 */
class ReasoningTruncationTest {
    static final Path DATA = ReasoningResumeTest.DATA;
    static final int MAX_NEW = 8, QUESTIONS = 9;

    @TempDir
    static Path dir;
    static int budget;
    static Path model;

    /** The budget: the median of the prompts' lengths, measured on the test model (trained for 4096 tokens). */
    @BeforeAll
    static void model() throws IOException {
        Path whole = dir.resolve("whole");
        run(TestModels.file(TestModels.SPM), whole, 4096, 2, Protocol.PAPER).execute();
        int[] lengths = jsonl(whole.resolve("prompts.jsonl"))
                                .stream()
                                .peek(p -> assertEquals(0, p.get("truncated_tokens").getAsInt()))
                                .mapToInt(p -> p.get("prompt_tokens").getAsInt())
                                .sorted()
                                .toArray();
        assertTrue(lengths[0] < lengths[QUESTIONS - 1], Arrays.toString(lengths));
        budget = lengths[QUESTIONS / 2] < lengths[QUESTIONS - 1] ? lengths[QUESTIONS / 2] : lengths[0];
        model = TestModels.withContextLength(dir, budget + MAX_NEW);
        System.out.println("prompt tokens " + Arrays.toString(lengths) + "; budget " + budget);
    }

    static ReasoningRun run(Path out, int ctx, int parallel, Protocol protocol) {
        return run(model, out, ctx, parallel, protocol);
    }

    static ReasoningRun run(Path model, Path out, int ctx, int parallel, Protocol protocol) {
        return new ReasoningRun(
                new RunContext(model, new RunInput.Questions(DATA.resolve("test.jsonl"), "ko"), out,
                        new RunSettings(1, 2, ctx, -1, LastLayer.NORMED, false, true, false, 60, null),
                        ResumeTest.SILENT),
                new ReasoningRun.Params(DATA.resolve("validation.jsonl"), Set.of(), 0, NeuronSet.Choice.none(), 42,
                        MAX_NEW, parallel, protocol));
    }

    static List<JsonObject> jsonl(Path file) throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8))
            lines.add(JsonParser.parseString(l).getAsJsonObject());
        return lines;
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void everyQuestionIsAnsweredFromItsLastBudgetTokens() throws IOException {
        Path one = dir.resolve("parallel-1"), three = dir.resolve("parallel-3");
        run(one, budget + MAX_NEW, 1, Protocol.PAPER).execute();
        run(three, budget + MAX_NEW, 3, Protocol.PAPER).execute();
        assertEquals(Files.readString(one.resolve("generations.jsonl")),
                Files.readString(three.resolve("generations.jsonl")));
        assertEquals(Files.readString(one.resolve("prompts.jsonl")), Files.readString(three.resolve("prompts.jsonl")));

        List<JsonObject> prompts = jsonl(three.resolve("prompts.jsonl"));
        List<JsonObject> generations = jsonl(three.resolve("generations.jsonl"));
        assertEquals(QUESTIONS, prompts.size(), "every question kept");
        MmluProxLanguage ko = MmluProxLanguage.of("ko");
        int cut = 0, fit = 0;
        try (Model m = Model.open(model);
                BatchedGenerator alone = new BatchedGenerator(m, 1, budget + MAX_NEW, 1, true)) {
            for (int k = 0; k < QUESTIONS; k++) {
                JsonObject p = prompts.get(k);
                int[] tokens = m.tokenize(p.get("prompt").getAsString());
                assertEquals(tokens.length, p.get("prompt_tokens").getAsInt(), "prompt " + k);
                int truncated = p.get("truncated_tokens").getAsInt();
                if (tokens.length > budget) {
                    assertEquals(tokens.length - budget, truncated, "prompt " + k);
                    cut++;
                } else {
                    assertEquals(0, truncated, "prompt " + k);
                    fit++;
                }
                // the harness's encoding[-budget:], written out: the last budget tokens, the BOS gone with the rest
                int[] fed = new int[Math.min(tokens.length, budget)];
                for (int i = 0; i < fed.length; i++) fed[i] = tokens[tokens.length - fed.length + i];
                Generation g = alone.generateAll(List.of(new Request(fed, MAX_NEW, new StopStrings(m, ko.until()),
                                                          Deactivation.none())))
                                       .get(0);
                String text = MmluProxScoring.cut(m.detokenize(g.tokens(), true), ko.until());
                assertEquals(text, generations.get(k).get("generation").getAsString(), "generation " + k);
            }
        }
        assertTrue(cut > 0 && fit > 0, cut + " cut, " + fit + " fit: the sample must have both");
        JsonObject accuracy = json(three.resolve("accuracy.json"));
        assertEquals(QUESTIONS, accuracy.getAsJsonObject("total").get("n").getAsInt(), "every question counted");
        assertEquals(QUESTIONS, accuracy.get("questions").getAsInt());
        assertEquals(cut, accuracy.get("truncated").getAsInt());
        assertEquals(budget, accuracy.get("prompt_budget").getAsInt());
        JsonObject params = json(three.resolve("run.json")).getAsJsonObject("parameters");
        assertEquals(cut, params.get("prompts_truncated").getAsInt());
        assertEquals(budget + MAX_NEW, params.get("max_length").getAsInt());
        assertEquals("paper", params.get("protocol").getAsString());
        long correct = generations.stream().filter(g -> g.get("correct").getAsBoolean()).count();
        assertEquals(correct, accuracy.getAsJsonObject("total").get("correct").getAsLong());
        System.out.printf("budget %d: %d of %d prompts cut from the left%n", budget, cut, QUESTIONS);
    }

    /** A model trained for 512 + MAX_NEW tokens: a budget of 512, shorter than every prompt here; all kept, all cut. */
    @Test
    void a512TokenBudgetKeepsAndCutsEveryPrompt() throws IOException {
        Path small = TestModels.withContextLength(dir, 512 + MAX_NEW), out = dir.resolve("budget-512");
        run(small, out, 512 + MAX_NEW, 4, Protocol.PAPER).execute();
        List<JsonObject> prompts = jsonl(out.resolve("prompts.jsonl"));
        assertEquals(QUESTIONS, prompts.size());
        try (Model m = Model.open(small)) {
            for (JsonObject p : prompts) {
                int tokens = m.tokenize(p.get("prompt").getAsString()).length;
                assertTrue(tokens > 512, tokens + " tokens");
                assertEquals(tokens, p.get("prompt_tokens").getAsInt());
                assertEquals(tokens - 512, p.get("truncated_tokens").getAsInt());
            }
        }
        JsonObject accuracy = json(out.resolve("accuracy.json"));
        assertEquals(QUESTIONS, accuracy.getAsJsonObject("total").get("n").getAsInt());
        assertEquals(QUESTIONS, accuracy.get("truncated").getAsInt());
    }

    /** tn's protocol: the prompts over the budget are skipped and the accuracy is over the others only. */
    @Test
    void tnsProtocolSkipsTheLongPrompts() throws IOException {
        Path paper = dir.resolve("paper-for-tn"), tn = dir.resolve("tn");
        run(paper, budget + MAX_NEW, 2, Protocol.PAPER).execute();
        run(tn, budget + MAX_NEW, 2, Protocol.TN).execute();
        List<JsonObject> all = jsonl(paper.resolve("prompts.jsonl"));
        List<JsonObject> kept = jsonl(tn.resolve("prompts.jsonl"));
        List<Long> fitting = all.stream()
                                     .filter(p -> p.get("truncated_tokens").getAsInt() == 0)
                                     .map(p -> p.get("question_id").getAsLong())
                                     .toList();
        assertEquals(fitting, kept.stream().map(p -> p.get("question_id").getAsLong()).toList());
        JsonObject accuracy = json(tn.resolve("accuracy.json"));
        assertEquals(fitting.size(), accuracy.getAsJsonObject("total").get("n").getAsInt());
        assertEquals(QUESTIONS - fitting.size(), accuracy.get("skipped_too_long").getAsInt());
        assertEquals("tn", accuracy.get("protocol").getAsString());
    }

    /** A --ctx below the trained context is the harness's max_length: the budget is it less MAX_NEW. */
    @Test
    void aSmallerCtxIsTheMaxLength() throws IOException {
        Path out = dir.resolve("ctx-300");
        run(out, 300, 2, Protocol.PAPER).execute();
        for (JsonObject p : jsonl(out.resolve("prompts.jsonl"))) {
            assertEquals(Math.max(0, p.get("prompt_tokens").getAsInt() - (300 - MAX_NEW)),
                    p.get("truncated_tokens").getAsInt());
        }
        assertEquals(300 - MAX_NEW, json(out.resolve("accuracy.json")).get("prompt_budget").getAsInt());
        // beyond the trained context: refused before anything is written
        Path over = dir.resolve("ctx-over");
        assertThrows(InvalidValueException.class, () -> run(over, budget + MAX_NEW + 1, 2, Protocol.PAPER).execute());
        assertTrue(!Files.exists(over.resolve("run.json")));
    }

    /** Items.leftTruncated against the harness's slice written out by hand. */
    @Test
    void leftTruncationKeepsTheLastTokens() throws IOException {
        try (Model m = Model.open(model)) {
            String[] texts = {TestModels.SENTENCES[3], TestModels.SENTENCES[0], TestModels.SENTENCES[1]};
            Dataset data = SentenceFiles.read(Files.write(dir.resolve("s.txt"), List.of(texts)), "xx");
            int budget = m.tokenize(texts[1]).length; // the second just fits; the first is longer
            Items items = Items.leftTruncated(m, List.of(data), budget);
            assertEquals(3, items.size());
            for (int k = 0; k < 3; k++) {
                int[] all = m.tokenize(texts[k]);
                int over = Math.max(0, all.length - budget);
                assertEquals(over, items.cut(k));
                assertArrayEquals(Arrays.copyOfRange(all, over, all.length), items.first(k, k + 1).get(0));
            }
            assertTrue(items.cut(0) > 0 && items.cut(1) == 0, "the first cut, the second whole");
            assertEquals(1 + (items.cut(2) > 0 ? 1 : 0), items.cutItems());
        }
    }
}
