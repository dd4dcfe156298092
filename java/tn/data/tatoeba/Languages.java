package tn.data.tatoeba;

import tn.data.LanguageCodes;
import tn.io.InvalidValueException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Language codes as Tatoeba spells them: its exports are named by ISO 639-3 codes, and for a few
 * languages by the code of the variety it actually collects (zh is Mandarin, cmn; fa is Iranian
 * Persian, pes), which is why this is a table and not a general ISO 639-1 mapping.
 */
public final class Languages {
    public static final String ENGLISH = "eng";

    private static final Map<String, String> TWO_LETTER = new TreeMap<>(Map.ofEntries(Map.entry("ar", "ara"),
            Map.entry("bg", "bul"), Map.entry("bn", "ben"), Map.entry("ca", "cat"), Map.entry("cs", "ces"),
            Map.entry("da", "dan"), Map.entry("de", "deu"), Map.entry("el", "ell"), Map.entry("en", "eng"),
            Map.entry("eo", "epo"), Map.entry("es", "spa"), Map.entry("fa", "pes"), Map.entry("fi", "fin"),
            Map.entry("fr", "fra"), Map.entry("he", "heb"), Map.entry("hi", "hin"), Map.entry("hu", "hun"),
            Map.entry("id", "ind"), Map.entry("it", "ita"), Map.entry("ja", "jpn"), Map.entry("ko", "kor"),
            Map.entry("lt", "lit"), Map.entry("nb", "nob"), Map.entry("nl", "nld"), Map.entry("pl", "pol"),
            Map.entry("pt", "por"), Map.entry("ro", "ron"), Map.entry("ru", "rus"), Map.entry("sk", "slk"),
            Map.entry("sr", "srp"), Map.entry("sv", "swe"), Map.entry("th", "tha"), Map.entry("tr", "tur"),
            Map.entry("uk", "ukr"), Map.entry("vi", "vie"), Map.entry("zh", "cmn")));

    private Languages() {}

    /**
     * Tatoeba's code for code: a two-letter code from the table, or any three-letter code as is
     * (Tatoeba has hundreds; a wrong one shows up as a missing export file). Anything else is a
     * usage error that names the code probably meant (ja for jp), or else lists the two-letter codes known.
     */
    public static String tatoebaCode(String code) {
        String c = code.strip().toLowerCase(Locale.ROOT);
        if (c.matches("[a-z]{3}")) return c;
        String iso3 = TWO_LETTER.get(c);
        if (iso3 == null) {
            String meant = LanguageCodes.suggestion(c, TWO_LETTER.keySet());
            if (meant != null)
                throw new InvalidValueException("unknown language code '{}'; did you mean '{}'?", code, meant);
            throw new InvalidValueException("unknown language code '{}': give one of the two-letter codes {}, or a "
                            + "three-letter ISO 639-3 code as Tatoeba uses it (e.g. jpn)",
                    code, known());
        }
        return iso3;
    }

    /** The two-letter codes known, with their Tatoeba codes: "ar (ara), bg (bul), ...". */
    public static String known() {
        StringBuilder s = new StringBuilder();
        TWO_LETTER.forEach(
                (two, three) -> s.append(s.isEmpty() ? "" : ", ").append(two).append(" (").append(three).append(')'));
        return s.toString();
    }
}
