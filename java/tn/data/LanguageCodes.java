package tn.data;

import java.util.Collection;
import java.util.Map;

/**
 * The code a user probably meant when a language code is not one tn knows: the language of a
 * country code typed instead of a language code (jp for ja, kr for ko), else the only known code
 * one letter away. Each command keeps its own list of known codes (Tatoeba's, MMLU-ProX's,
 * MKQA's); this only words the refusal.
 */
public final class LanguageCodes {
    /** Country codes that are not the language code of the language spoken there, for which they are typed. */
    private static final Map<String, String> COUNTRY = Map.ofEntries(Map.entry("jp", "ja"), Map.entry("kr", "ko"),
            Map.entry("cn", "zh"), Map.entry("tw", "zh"), Map.entry("gr", "el"), Map.entry("dk", "da"),
            Map.entry("se", "sv"), Map.entry("cz", "cs"), Map.entry("ua", "uk"), Map.entry("br", "pt"),
            Map.entry("il", "he"), Map.entry("ir", "fa"), Map.entry("vn", "vi"), Map.entry("in", "hi"),
            Map.entry("at", "de"), Map.entry("us", "en"), Map.entry("gb", "en"), Map.entry("rs", "sr"),
            Map.entry("ee", "et"), Map.entry("si", "sl"), Map.entry("by", "be"), Map.entry("kz", "kk"),
            Map.entry("pk", "ur"), Map.entry("bd", "bn"), Map.entry("np", "ne"), Map.entry("za", "zu"),
            Map.entry("ke", "sw"), Map.entry("sn", "wo"), Map.entry("ng", "yo"), Map.entry("my", "ms"),
            Map.entry("kh", "km"));

    private LanguageCodes() {}

    /** The known code that code was probably meant to be, or null when there is no single likely one. */
    public static String suggestion(String code, Collection<String> known) {
        String meant = COUNTRY.get(code);
        if (meant != null && known.contains(meant)) return meant;
        String only = null;
        for (String k : known) {
            if (oneLetterApart(code, k)) {
                if (only != null) return null;
                only = k;
            }
        }
        return only;
    }

    /** "; did you mean 'ja'?" for a likely code, or "" where there is none. */
    public static String didYouMean(String code, Collection<String> known) {
        String s = suggestion(code, known);
        return s == null ? "" : "; did you mean '" + s + "'?";
    }

    /** Same length, one letter different. */
    private static boolean oneLetterApart(String a, String b) {
        if (a.length() != b.length()) return false;
        int differ = 0;
        for (int i = 0; i < a.length(); i++)
            if (a.charAt(i) != b.charAt(i)) differ++;
        return differ == 1;
    }
}
