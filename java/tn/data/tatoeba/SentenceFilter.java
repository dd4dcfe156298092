package tn.data.tatoeba;

import tn.io.InvalidValueException;

/**
 * Which sentences are usable: after stripping leading and trailing white space, not empty,
 * without control characters (a tab or line break inside a sentence would break the .tsv and
 * .txt outputs), and between minChars and maxChars characters, counted as Unicode code points.
 */
public record SentenceFilter(int minChars, int maxChars) {
    /** Why a sentence was dropped, or KEPT. */
    public enum Verdict { KEPT, EMPTY, CONTROL, TOO_SHORT, TOO_LONG }

    public SentenceFilter {
        if (minChars < 1) throw new InvalidValueException("{min_chars} must be at least 1, got {}", minChars);
        if (maxChars < minChars) {
            throw new InvalidValueException("{max_chars} ({}) must not be below {min_chars} ({})", maxChars, minChars);
        }
    }

    public static String normalize(String text) {
        return text.strip();
    }

    /** The verdict on a normalized text. */
    public Verdict verdict(String text) {
        if (text.isEmpty()) return Verdict.EMPTY;
        if (text.chars().anyMatch(Character::isISOControl)) return Verdict.CONTROL;
        int chars = text.codePointCount(0, text.length());
        if (chars < minChars) return Verdict.TOO_SHORT;
        if (chars > maxChars) return Verdict.TOO_LONG;
        return Verdict.KEPT;
    }
}
