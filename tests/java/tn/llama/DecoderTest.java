package tn.llama;

import tn.bridge.LlamaException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tn.TestModels;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A decode call whose rows llama.cpp would split into several ubatches, or that does not
 * continue what a sequence holds, is refused by name; the decoder goes on working.
 */
class DecoderTest {
    static Model model;
    static Decoder decoder;

    @BeforeAll
    static void open() {
        model = Model.open(TestModels.file(TestModels.SPM));
        decoder = model.newDecoder(new GenerationOptions(1, 64, 4, 16, true));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static void refused(String expected, Consumer<Decoder.Rows> fill) {
        Decoder.Rows rows = new Decoder.Rows(16);
        fill.accept(rows);
        LlamaException e = assertThrows(LlamaException.class, () -> decoder.decode(rows, Deactivation.none()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.isInputError(), e.getMessage());
    }

    @Test
    void badRowsAreRefusedByName() {
        refused("must be consecutive and ascending", r -> {
            r.add(1, 0, 0, false, true);
            r.add(1, 2, 0, false, true);
        });
        refused("as many", r -> {
            r.add(1, 0, 0, false, false);
            r.add(1, 0, 1, false, true);
            r.add(1, 1, 0, false, true);
        });
        refused("does not follow position", r -> {
            r.add(1, 0, 0, false, false);
            r.add(1, 0, 2, false, true);
        });
        refused("outside 0..3", r -> r.add(1, 4, 0, false, true));
        refused("holds 0 tokens", r -> r.add(1, 3, 5, false, true));
        refused("do not fit its context", r -> r.add(1, 1, 64, false, true));
        refused("outside the vocabulary", r -> r.add(-1, 0, 0, false, true));
        refused("no output row", r -> r.add(1, 0, 0, false, false));
        Deactivation outside = Deactivation.zero(List.of(new Neuron(0, model.info().nFf())), Positions.ALL_TOKENS);
        Decoder.Rows rows = new Decoder.Rows(4);
        rows.add(1, 0, 0, true, true);
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(rows, outside));
        // still decodes, and a sequence continues where it left off
        Decoder.Rows ok = new Decoder.Rows(4);
        int[] prompt = model.tokenize("still alive");
        for (int i = 0; i < prompt.length; i++) ok.add(prompt[i], 2, i, false, i == prompt.length - 1);
        assertEquals(1, decoder.decode(ok, Deactivation.none()).tokens().length);
        ok.clear();
        ok.add(1, 2, prompt.length, false, true);
        ok.add(1, 3, 0, false, true);
        assertEquals(2, decoder.decode(ok, Deactivation.none()).tokens().length);
    }
}
