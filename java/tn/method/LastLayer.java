package tn.method;

import tn.io.InvalidValueException;
import java.util.Locale;

/**
 * What the hidden state of the last layer is. transformers' {@code output_hidden_states} gives
 * the last layer's output after the final norm, and the original implementation uses that
 * ({@link #NORMED}, the default); the authors' ablation uses the raw output ({@link #RAW}).
 */
public enum LastLayer {
    NORMED,
    RAW;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LastLayer parse(String s) {
        for (LastLayer l : values()) {
            if (l.id().equalsIgnoreCase(s.trim())) return l;
        }
        throw new InvalidValueException("unknown last-layer rule '{}': expected normed or raw", s);
    }
}
