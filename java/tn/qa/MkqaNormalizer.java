package tn.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MKQA's answer normalisation, as its official evaluation does it (apple/ml-mkqa,
 * mkqa_eval_util.py, normalize_answer_by_language), which is also what the transfer-neuron paper's
 * question answering used: lower-case; remove ASCII punctuation (Python's string.punctuation, and
 * only that: 「」、。¿ and other non-ASCII punctuation stay); replace the language's articles by a
 * space; split into tokens and join them with single spaces.
 *
 * <p>Tokens: for zh_cn, zh_hk, zh_tw, ja, th and km every character that is not white space is a
 * token of its own (MKQA's mixed_segmentation, which despite its name splits Latin letters and
 * digits into characters too: "2015年" is five tokens); every other language is split at white
 * space. We also accept plain "zh" for Chinese (MKQA's own codes are zh_cn, zh_hk and zh_tw).
 * Korean is split at white space, as in MKQA.
 *
 * <p>The article patterns are MKQA's, quirks included: the French and Italian ones have no
 * closing word boundary, so they also strip the start of words ("lequel" becomes " quel",
 * "isola" becomes " sola"); the Arabic one removes "ال" wherever it occurs. Python's regular
 * expressions, lower() and split() are Unicode-aware, hence UNICODE_CHARACTER_CLASS,
 * toLowerCase(Locale.ROOT) and Python's own set of white-space characters below. Other language
 * codes get no article removal and white-space tokens, as in MKQA; {@link #isKnown} tells a
 * caller whether a code is one MKQA evaluates.
 */
public final class MkqaNormalizer {
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static final Set<String> CHARACTER_TOKENS = Set.of("zh", "zh_cn", "zh_hk", "zh_tw", "ja", "th", "km");

    private static final Map<String, Pattern> ARTICLES = Map.ofEntries(article("en", "\\b(a|an|the)\\b"),
            article("es", "\\b(un|una|unos|unas|el|la|los|las)\\b"), article("vi", "\\b(của|là|cái|chiếc|những)\\b"),
            article("de", "\\b(ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des)\\b"),
            article("ar", "\\sال^|ال"), article("nl", "\\b(de|het|een|des|der|den)\\b"),
            article("sv", "\\b(en|ett)\\b"), article("da", "\\b(en|et)\\b"), article("no", "\\b(en|et|ei)\\b"),
            article("fr", "\\b(le|la|l'|les|du|de|d'|des|un|une|des)"),
            article("pt", "\\b(o|a|os|as|um|uma|uns|umas)\\b"),
            article("it", "\\b(il|lo|la|l'|i|gli|le|del|dello|della|dell'|dei|degli|degl'|delle|un'|uno|una|un)"),
            article("fi", "\\b(se|yks|yksi)\\b"), article("hu", "\\b(a|az|egy)\\b"));

    /** MKQA's 26 language codes, and "zh". */
    private static final Set<String> KNOWN = Set.of("ar", "da", "de", "en", "es", "fi", "fr", "he", "hu", "it", "ja",
            "km", "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "th", "tr", "vi", "zh", "zh_cn", "zh_hk", "zh_tw");

    private MkqaNormalizer() {}

    private static Map.Entry<String, Pattern> article(String lang, String regex) {
        return Map.entry(lang, Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
    }

    /** Whether lang is one of MKQA's languages (or "zh"); others are normalised without language rules. */
    public static boolean isKnown(String lang) {
        return KNOWN.contains(lang);
    }

    /** The normalised answer: its tokens joined by single spaces. */
    public static String normalize(String text, String lang) {
        return String.join(" ", tokens(text, lang));
    }

    /** The tokens that token F1 counts. */
    public static List<String> tokens(String text, String lang) {
        String s = removePunctuation(text.toLowerCase(Locale.ROOT));
        Pattern articles = ARTICLES.get(lang);
        if (articles != null) s = articles.matcher(s).replaceAll(" ");
        return CHARACTER_TOKENS.contains(lang) ? characters(s) : words(s);
    }

    private static String removePunctuation(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> ASCII_PUNCTUATION.indexOf(c) < 0).forEach(b::appendCodePoint);
        return b.toString();
    }

    private static List<String> characters(String s) {
        return s.codePoints().filter(c -> !isPythonSpace(c)).mapToObj(Character::toString).toList();
    }

    /** Python's str.split(): runs of non-white-space characters. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length();) {
            int c = s.codePointAt(i);
            if (isPythonSpace(c)) {
                if (start >= 0) out.add(s.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(c);
        }
        if (start >= 0) out.add(s.substring(start));
        return out;
    }

    /**
     * Python's str.isspace(): category Zs, or bidirectional class WS, B or S. Java's isWhitespace
     * leaves out the no-break spaces (U+00A0, U+2007, U+202F) and U+0085, which Python splits at.
     */
    static boolean isPythonSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }
}
