package tn.generate;

import tn.llama.Model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Stops a continuation at the first token whose text completes one of the strings (the text is
 * then cut before it). Only the last few tokens are decoded after each step, enough to hold the
 * longest string; a hit there is confirmed on the whole text, so a window that starts inside a
 * character or drops a word's leading space can delay a stop but never make a false one.
 */
public final class StopStrings implements StopRule {
    private final Model model;
    private final List<String> strings;
    private final int window;

    public StopStrings(Model model, List<String> strings) {
        this.model = model;
        this.strings = strings.stream().filter(s -> !s.isEmpty()).toList();
        // every token but a special one decodes to at least one byte
        this.window =
                4 + this.strings.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).max().orElse(0);
    }

    public List<String> strings() {
        return strings;
    }

    @Override
    public boolean stopsAfter(int[] tokens, int n) {
        if (strings.isEmpty()) return false;
        int from = Math.max(0, n - window);
        if (!containsAny(model.detokenize(Arrays.copyOfRange(tokens, from, n), true))) return false;
        return from == 0 || containsAny(model.detokenize(Arrays.copyOf(tokens, n), true));
    }

    private boolean containsAny(String text) {
        for (String s : strings)
            if (text.contains(s)) return true;
        return false;
    }
}
