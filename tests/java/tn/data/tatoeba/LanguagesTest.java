package tn.data.tatoeba;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two-letter codes become Tatoeba's; three-letter ones pass; others are usage errors listing the known. */
class LanguagesTest {
    @Test
    void twoLetterCodesMapToTatoebasAndThreeLetterOnesPassThrough() {
        assertEquals("jpn", Languages.tatoebaCode("ja"));
        assertEquals("nld", Languages.tatoebaCode("nl"));
        assertEquals("kor", Languages.tatoebaCode("KO"));
        assertEquals("ita", Languages.tatoebaCode(" it "));
        assertEquals("eng", Languages.tatoebaCode("en"));
        assertEquals("cmn", Languages.tatoebaCode("zh"));
        assertEquals("jpn", Languages.tatoebaCode("jpn"));
        assertEquals("yue", Languages.tatoebaCode("yue"));
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Languages.tatoebaCode("q"));
        assertTrue(e.getMessage().contains("ar (ara), bg (bul)"), e.getMessage());
        assertThrows(InvalidValueException.class, () -> Languages.tatoebaCode("japanese"));
        e = assertThrows(InvalidValueException.class, () -> Languages.tatoebaCode("jp"));
        assertEquals("unknown language code 'jp'; did you mean 'ja'?", e.getMessage());
    }
}
