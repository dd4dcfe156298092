package tn.data;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * The code a user probably meant when a language code is not one tn knows: the language of a
 * country code typed instead of a language code (jp for ja, kr for ko, cn for zh). Only those: a
 * code one letter from a known one is as likely a real language the source lacks (nl, Dutch, is
 * not in MMLU-ProX, and ne is Nepali), so such a code gets the list of known codes instead. Each
 * command keeps its own list of known codes (Tatoeba's, MMLU-ProX's, MKQA's); this only words the
 * refusal.
 */
public final class LanguageCodes {
    /**
     * Country codes that differ from the code of the language spoken there and are no language's
     * code themselves (not se, Northern Sami; not br, Breton; not my, Burmese), for which they are
     * typed.
     */
    private static final Map<String, String> COUNTRY = Map.ofEntries(Map.entry("jp", "ja"), Map.entry("kr", "ko"),
            Map.entry("cn", "zh"), Map.entry("gr", "el"), Map.entry("dk", "da"), Map.entry("cz", "cs"),
            Map.entry("ua", "uk"), Map.entry("il", "he"), Map.entry("ir", "fa"), Map.entry("vn", "vi"),
            Map.entry("at", "de"), Map.entry("us", "en"), Map.entry("gb", "en"), Map.entry("rs", "sr"),
            Map.entry("by", "be"), Map.entry("kz", "kk"), Map.entry("pk", "ur"), Map.entry("bd", "bn"),
            Map.entry("np", "ne"), Map.entry("kh", "km"));

    private LanguageCodes() {}

    /** The known code that code was probably meant to be, or null when there is no likely one. */
    public static String suggestion(String code, Collection<String> known) {
        String meant = COUNTRY.get(code);
        return meant != null && known.contains(meant) ? meant : null;
    }

    /**
     * Why code is refused, in one line: "'jp' is not one of MKQA's languages; did you mean 'ja'?",
     * or where no code is likely, the list: "'xx' is not one of MKQA's languages: ar, da, ...".
     */
    public static String notKnown(String code, Collection<String> known, String whose) {
        String s = suggestion(code, known);
        return "'" + code + "' is not one of " + whose
                + (s != null ? "; did you mean '" + s + "'?" : ": " + String.join(", ", new TreeSet<>(known)));
    }
}
