package tn.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The code a refusal suggests: the language of a country code typed for it, and nothing else. */
class LanguageCodesTest {
    static final Set<String> KNOWN = Set.of("ja", "ko", "zh", "el", "da", "de", "nl", "it", "en", "he", "hi", "hu");

    @Test
    void countryCodesSuggestTheirLanguage() {
        assertEquals("ja", LanguageCodes.suggestion("jp", KNOWN));
        assertEquals("ko", LanguageCodes.suggestion("kr", KNOWN));
        assertEquals("zh", LanguageCodes.suggestion("cn", KNOWN));
        assertEquals("el", LanguageCodes.suggestion("gr", KNOWN));
        assertEquals("da", LanguageCodes.suggestion("dk", KNOWN));
        assertNull(LanguageCodes.suggestion("ua", KNOWN), "uk is not known here");
        assertNull(LanguageCodes.suggestion("se", List.of("sv")), "se is Northern Sami, not a typo of Sweden's sv");
        assertEquals("'jp' is not one of Tatoeba's languages; did you mean 'ja'?",
                LanguageCodes.notKnown("jp", KNOWN, "Tatoeba's languages"));
    }

    @Test
    void aRealLanguageALetterAwayIsNotSuggested() {
        assertNull(LanguageCodes.suggestion("nl", List.of("ne", "ja")), "Dutch is not Nepali");
        assertNull(LanguageCodes.suggestion("xx", KNOWN));
        assertNull(LanguageCodes.suggestion("jpn", KNOWN));
        assertEquals("'nl' is not one of these: ja, ne", LanguageCodes.notKnown("nl", List.of("ne", "ja"), "these"));
    }
}
