package tn.generate;

import tn.io.InvalidValueException;

import tn.llama.Deactivation;

/**
 * One greedy continuation to generate: the prompt's tokens (BOS included), at most maxNewTokens
 * new ones, stop as well where stop says, with deactivation's neurons switched off at every
 * prompt position and at none of the generated tokens.
 */
public record Request(int[] prompt, int maxNewTokens, StopRule stop, Deactivation deactivation) {
    public Request {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt");
        if (maxNewTokens < 1)
            throw new InvalidValueException("{max_new_tokens} must be at least 1, is {}", maxNewTokens);
    }
}
