package tn.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The code a refusal suggests: the language of a country code, else the only known code a letter away. */
class LanguageCodesTest {
    static final Set<String> KNOWN = Set.of("ja", "ko", "zh", "el", "da", "de", "nl", "it", "en", "he", "hi", "hu");

    @Test
    void countryCodesSuggestTheirLanguage() {
        assertEquals("ja", LanguageCodes.suggestion("jp", KNOWN));
        assertEquals("ko", LanguageCodes.suggestion("kr", KNOWN));
        assertEquals("zh", LanguageCodes.suggestion("cn", KNOWN));
        assertEquals("el", LanguageCodes.suggestion("gr", KNOWN));
        assertEquals("da", LanguageCodes.suggestion("dk", KNOWN));
        assertNull(LanguageCodes.suggestion("se", KNOWN), "sv is not known here, and no code is one letter from se");
        assertEquals("; did you mean 'ja'?", LanguageCodes.didYouMean("jp", KNOWN));
    }

    @Test
    void otherwiseOnlyAnUnambiguousTypo() {
        assertEquals("nl", LanguageCodes.suggestion("nk", KNOWN));
        assertEquals("it", LanguageCodes.suggestion("iy", List.of("it", "ja")));
        assertNull(LanguageCodes.suggestion("hx", KNOWN), "he, hi and hu are all one letter away");
        assertNull(LanguageCodes.suggestion("xx", KNOWN));
        assertNull(LanguageCodes.suggestion("jpn", KNOWN));
        assertEquals("", LanguageCodes.didYouMean("xx", KNOWN));
    }
}
