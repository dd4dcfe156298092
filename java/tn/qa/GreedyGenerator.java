package tn.qa;

import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Positions;
import tn.llama.Session;

import java.util.Arrays;

/**
 * Greedy decoding with neurons switched off at the prompt's positions and left alone on the
 * generated tokens, as the paper's question-answering experiment did: the prompt is decoded
 * once with the deactivation, then each new token without it, on the prompt's KV cache. A
 * deactivation at {@link Positions#LAST_TOKEN} is the original's prompt_last mode: the prompt's
 * last position only, its other tokens decoded first without it (causal attention: the same
 * states as one pass that switches the neurons off at the last position).
 */
public final class GreedyGenerator {
    private final Session session;
    private final Model model;

    public GreedyGenerator(Session session) {
        this.session = session;
        this.model = session.model();
    }

    /**
     * One greedy continuation of at most maxNewTokens. margins[t] is the top-1 minus top-2
     * logit at step t: where it is tiny, another implementation's rounding may pick the
     * other token. A token that ends generation stops it and is not part of the answer.
     */
    public record Generation(int[] tokens, float[] margins, boolean endedByModel) {}

    public Generation generate(int[] prompt, int maxNewTokens, Deactivation promptDeactivation) {
        if (maxNewTokens < 1) throw new IllegalArgumentException("--max-new-tokens must be at least 1, is " + maxNewTokens);
        int[] tokens = new int[maxNewTokens];
        float[] margins = new float[maxNewTokens];
        float[] logits = decodePrompt(prompt, promptDeactivation);
        int pos = prompt.length;
        for (int t = 0; t < maxNewTokens; t++) {
            int best = argmax(logits);
            margins[t] = logits[best] - secondLargest(logits, best);
            if (model.endsGeneration(best)) {
                return new Generation(Arrays.copyOf(tokens, t), Arrays.copyOf(margins, t + 1), true);
            }
            tokens[t] = best;
            if (t + 1 == maxNewTokens) break;
            logits = session.decodeNext(new int[] {best}, pos++, Deactivation.none());
        }
        return new Generation(tokens, margins, false);
    }

    private float[] decodePrompt(int[] prompt, Deactivation off) {
        if (off.positions() != Positions.LAST_TOKEN || off.isEmpty() || prompt.length == 1) {
            return session.decodeNext(prompt, 0, off);
        }
        session.decodeNext(Arrays.copyOf(prompt, prompt.length - 1), 0, Deactivation.none());
        return session.decodeNext(new int[] {prompt[prompt.length - 1]}, prompt.length - 1, off);
    }

    /** The token of the largest logit; the lowest id among equals, as llama.cpp's greedy sampler. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static float secondLargest(float[] logits, int best) {
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) if (i != best && logits[i] > second) second = logits[i];
        return second;
    }
}
