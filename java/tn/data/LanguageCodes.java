package tn.data;

import tn.io.InvalidValueException;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The language codes tn knows: ISO 639-1 (ja, nl) and the three-letter codes Tatoeba names its
 * exports by (jpn, nld, and its varieties cmn and pes). A code tn does not know is a usage error
 * that suggests the language meant where the code is a country's (jp, kr, cn are Japan, Korea and
 * China: ja, ko, zh), so that a mistyped code never reaches run.json and file names. A source
 * with a list of its own (Tatoeba's, MMLU-ProX's, MKQA's) words its refusal with notKnown.
 */
public final class LanguageCodes {
    private static final Set<String> TWO_LETTER = Set.of(Locale.getISOLanguages());
    private static final Set<String> THREE_LETTER = threeLetter();
    /**
     * Country codes that differ from the code of the language spoken there and are no language's
     * code themselves (not se, Northern Sami; not br, Breton; not my, Burmese), for which they are
     * typed; countries Java's locales give one language for are found there too.
     */
    private static final Map<String, String> COUNTRY = Map.ofEntries(Map.entry("jp", "ja"), Map.entry("kr", "ko"),
            Map.entry("cn", "zh"), Map.entry("gr", "el"), Map.entry("dk", "da"), Map.entry("cz", "cs"),
            Map.entry("ua", "uk"), Map.entry("il", "he"), Map.entry("ir", "fa"), Map.entry("vn", "vi"),
            Map.entry("at", "de"), Map.entry("us", "en"), Map.entry("gb", "en"), Map.entry("rs", "sr"),
            Map.entry("by", "be"), Map.entry("kz", "kk"), Map.entry("pk", "ur"), Map.entry("bd", "bn"),
            Map.entry("np", "ne"), Map.entry("kh", "km"));
    /** en-XX at the start of a pairs file's name (en-ja.tsv, en-ja.train.tsv). */
    private static final Pattern EN_L2 = Pattern.compile("en-([A-Za-z]{2,3})\\b.*");

    private LanguageCodes() {}

    /** code in lower case if tn knows it; otherwise a usage error with the nearest known code. */
    public static String check(String code) {
        String c = code.strip().toLowerCase(Locale.ROOT);
        if (known(c)) return c;
        String meant = suggestion(c);
        if (meant != null)
            throw new InvalidValueException("unknown language code '{}'; did you mean '{}'?", code, meant);
        throw new InvalidValueException("unknown language code '{}': tn knows ISO 639-1 codes (ja, nl, ko, it, ...) "
                        + "and Tatoeba's three-letter codes (jpn, nld, ...)",
                code);
    }

    public static boolean known(String code) {
        return TWO_LETTER.contains(code) || THREE_LETTER.contains(code);
    }

    /**
     * The language a country code stands for where the country has one language in Java's
     * locales (jp: ja, kr: ko, se: sv), or null.
     */
    static String suggestion(String code) {
        if (COUNTRY.containsKey(code)) return COUNTRY.get(code);
        if (!code.matches("[a-z]{2}")) return null;
        Set<String> languages = Arrays.stream(Locale.getAvailableLocales())
                                        .filter(l -> l.getCountry().equalsIgnoreCase(code) && l.getScript().isEmpty())
                                        .map(Locale::getLanguage)
                                        .filter(TWO_LETTER::contains)
                                        .collect(Collectors.toCollection(TreeSet::new));
        return languages.size() == 1 ? languages.iterator().next() : null;
    }

    /**
     * The code of known that code was probably meant to be (a country's language), or null: a code
     * one letter from a known one is as likely a real language the source lacks (nl, Dutch, is not
     * in MMLU-ProX, and ne is Nepali).
     */
    public static String suggestion(String code, Collection<String> known) {
        String meant = suggestion(code);
        return meant != null && known.contains(meant) ? meant : null;
    }

    /**
     * Why a source refuses code, in one line: "'jp' is not one of MKQA's languages; did you mean
     * 'ja'?", or where no code is likely, the list: "'xx' is not one of MKQA's languages: ar, da, ...".
     */
    public static String notKnown(String code, Collection<String> known, String whose) {
        String s = suggestion(code, known);
        return "'" + code + "' is not one of " + whose
                + (s != null ? "; did you mean '" + s + "'?" : ": " + String.join(", ", new TreeSet<>(known)));
    }

    /** The L2 a pairs file's name gives (en-ja.tsv: ja), or null where the name is not en-XX.... */
    public static String ofPairsFileName(String fileName) {
        Matcher m = EN_L2.matcher(fileName);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Refuses pairs whose file is named for another language than lang (en-ko.tsv given for ja):
     * centroids of the wrong pairs would otherwise be written under the right name.
     */
    public static void checkPairsFileName(String fileName, String lang) {
        String named = ofPairsFileName(fileName);
        if (named == null || !known(named) || same(named, lang)) return;
        throw new InvalidValueException(
                "the pairs file {} is named for '{}', not {lang} '{}': give the {} pairs, or {lang} {} if these are "
                        + "the pairs you meant",
                fileName, named, lang, lang, named);
    }

    /** Whether two known codes name one language (ja and jpn). */
    static boolean same(String a, String b) {
        return threeLetterOf(a).equals(threeLetterOf(b));
    }

    private static String threeLetterOf(String code) {
        if (code.length() != 2) return code;
        String tatoeba = tatoebaVariety(code);
        return tatoeba != null ? tatoeba : new Locale(code).getISO3Language();
    }

    /** The varieties Tatoeba collects under a macrolanguage's two-letter code. */
    private static String tatoebaVariety(String code) {
        return switch (code) {
            case "zh" -> "cmn";
            case "fa" -> "pes";
            default -> null;
        };
    }

    private static Set<String> threeLetter() {
        Set<String> s = new TreeSet<>();
        for (String two : Locale.getISOLanguages()) {
            s.add(new Locale(two).getISO3Language());
            String tatoeba = tatoebaVariety(two);
            if (tatoeba != null) s.add(tatoeba);
        }
        s.remove("");
        return s;
    }
}
