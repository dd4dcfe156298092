package tn.qa;

import tn.io.InvalidValueException;

import java.util.Locale;

/**
 * What of a generated continuation is scored as the answer: all of it, as the original
 * implementation's qa.py scores the whole decoded continuation (the paper's protocol), or its
 * first non-empty line (tn's protocol: models go on past the answer).
 */
public enum AnswerMode {
    FIRST_LINE,
    ALL;

    /** "first-line" or "all". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AnswerMode parse(String s) {
        for (AnswerMode m : values())
            if (m.id().equals(s.strip())) return m;
        throw new InvalidValueException("{answer} '{}': expected first-line or all", s);
    }

    /** The answer in a continuation (special tokens already left out). */
    public String of(String generated) {
        return this == FIRST_LINE ? Prediction.of(generated) : generated;
    }
}
