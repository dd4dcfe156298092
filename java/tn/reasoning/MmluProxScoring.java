package tn.reasoning;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How lm-evaluation-harness scores an MMLU-ProX generation: the text is cut at the first stop
 * string, the answer is the first match of the language's pattern (else "[invalid]"), and it is
 * right when it equals the gold letter after both are lower-cased and stripped of ASCII
 * punctuation (exact_match with ignore_case and ignore_punctuation).
 */
public final class MmluProxScoring {
    /** What a generation without an answer extracts to. */
    public static final String INVALID = "[invalid]";
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private MmluProxScoring() {}

    /** The text before the first occurrence of any stop string. */
    public static String cut(String generation, List<String> until) {
        String s = generation;
        for (String stop : until) {
            int at = stop.isEmpty() ? -1 : s.indexOf(stop);
            if (at >= 0) s = s.substring(0, at);
        }
        return s;
    }

    /** The first match's first non-empty group (the whole match for a pattern without groups), stripped; else INVALID. */
    public static String extract(Pattern answer, String text) {
        Matcher m = answer.matcher(text);
        if (!m.find()) return INVALID;
        if (m.groupCount() == 0) return m.group().strip();
        for (int g = 1; g <= m.groupCount(); g++) {
            String s = m.group(g);
            if (s != null && !s.isEmpty()) return s.strip();
        }
        return INVALID;
    }

    public static boolean correct(String extracted, String gold) {
        return normalise(extracted).equals(normalise(gold));
    }

    private static String normalise(String s) {
        StringBuilder b = new StringBuilder();
        String lower = s.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (PUNCTUATION.indexOf(c) < 0) b.append(c);
        }
        return b.toString();
    }
}
