package tn.llama;

import tn.bridge.LlamaException;
import tn.bridge.Status;
import tn.bridge.TnLibrary;

import java.nio.file.Path;

/**
 * A forward pass gave NaN or infinity in a captured state (or in the logits): the model's
 * weights or hyperparameters are broken, or overflow. Carries the sentence's tokens (the very
 * array given to {@link Session#run}; for a {@link Decoder#decode} call, the sequence's tokens there
 * until its caller names the prompt with {@link #forPrompt}), so that a run can find it among its
 * items and name the line of its data file; an input error (exit code 3).
 */
public final class NonFiniteException extends LlamaException {
    /** native/tn.h's TN_ERR_NONFINITE. */

    private final Path model;
    private final String what;
    private final String where;
    private final String text;
    private final int[] tokens;
    private final int sequence;

    /**
     * @param what  what was not finite, where: "NaN in ffn_inp of layer 3"
     * @param where the sentence, as the session knows it: "sentence 5 of the run"
     * @param text  the sentence's text (shortened)
     */
    NonFiniteException(Path model, String what, String where, String text, int[] tokens, int sequence) {
        super(Status.NONFINITE, message(model, what, where, text));
        this.model = model;
        this.what = what;
        this.where = where;
        this.text = text;
        this.tokens = tokens;
        this.sequence = sequence;
    }

    /**
     * What tn_last_error says went non-finite, in a call of model's that just failed with
     * {@link Status#NONFINITE}, for the sentence (or sequence) of these tokens, the sequence-th of the call,
     * named as the context knows it.
     */
    static NonFiniteException of(Model model, int[] tokens, int sequence, String where) {
        String what = TnLibrary.INSTANCE.tn_last_error().replaceFirst(" for sentence \\d+ of the batch$", "");
        String text = model.detokenize(tokens, true).strip().replaceAll("\\s+", " ");
        if (text.length() > 60) text = text.substring(0, 60) + "...";
        return new NonFiniteException(model.info().path(), what, where, text, tokens, sequence);
    }

    /** The same failure, carrying the prompt whose sequence it was (the array a run submitted). */
    public NonFiniteException forPrompt(int[] prompt) {
        return new NonFiniteException(model, what, where, text, prompt, sequence);
    }

    /** Which sentence of the batch, or which sequence of the decode call, went non-finite. */
    public int sequence() {
        return sequence;
    }

    /** The tokens of the sentence, for finding it among a run's items. */
    public int[] tokens() {
        return tokens;
    }

    /** The message, with the sentence named as the caller knows it ("ja.txt line 17"). */
    public String messageFor(String where) {
        return message(model, what, where, text);
    }

    private static String message(Path model, String what, String where, String text) {
        return model + ": the forward pass gave " + what + " for " + where + " ('" + text + "'): the model's weights "
                + "or hyperparameters hold NaN or infinity, or its values overflow; nothing is computed from it";
    }
}
