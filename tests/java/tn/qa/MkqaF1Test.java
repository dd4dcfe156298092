package tn.qa;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MKQA normalisation, F1 and exact match against the output of MKQA's own evaluation code
 * (tests/data/mkqa/expected.jsonl, written by running apple/ml-mkqa's mkqa_eval_util.py with
 * make_fixture.py beside it), then rule by rule and F1 worked out by hand.
 */
class MkqaF1Test {
    static final Path UPSTREAM = Path.of("tests/data/mkqa/expected.jsonl");

    @Test
    void everyCaseEqualsTheUpstreamEvaluationCode() throws IOException {
        int normalized = 0, scored = 0;
        for (String line : Files.readAllLines(UPSTREAM, StandardCharsets.UTF_8)) {
            JsonObject c = JsonParser.parseString(line).getAsJsonObject();
            String lang = c.get("lang").getAsString();
            if (c.has("normalized")) {
                norm(c.get("normalized").getAsString(), c.get("text").getAsString(), lang);
                normalized++;
            } else {
                String prediction = c.get("prediction").getAsString();
                List<String> answers =
                        c.getAsJsonArray("answers").asList().stream().map(JsonElement::getAsString).toList();
                String what = lang + ": " + prediction + " against " + answers;
                assertEquals(c.get("f1").getAsDouble(), MkqaF1.score(prediction, answers, lang), 1e-12, what);
                assertEquals(
                        c.get("exact_match").getAsDouble() == 1, MkqaF1.exactMatch(prediction, answers, lang), what);
                scored++;
            }
        }
        assertTrue(normalized >= 40 && scored >= 20, normalized + " normalisations and " + scored + " scores");
    }

    private static void norm(String expected, String text, String lang) {
        assertEquals(expected, MkqaNormalizer.normalize(text, lang), lang + ": " + text);
    }

    @Test
    void everyArticleList() {
        norm("beatles", "The Beatles!", "en");
        norm("apple day", "an apple a day", "en");
        norm("theatre and thea", "Theatre and the thea", "en"); // whole words only
        norm("ángeles y río", "Los Ángeles y el río", "es");
        norm("các người", "Các của là cái chiếc những người", "vi");
        norm("hund katze und haus", "Der Hund, die Katze und das Haus", "de");
        norm("nl kat", "nl De kat", "nl");
        norm("kat en huis", "De kat en het huis", "nl");
        norm("bil och hus", "En bil och ett hus", "sv");
        norm("bil og hus", "En bil og et hus", "da");
        norm("bil jente og hus", "En bil, ei jente og et hus", "no");
        norm("gato e casa cães", "O gato e a casa, os cães", "pt");
        norm("talo", "Se yksi yks talo", "fi");
        norm("kutya ház", "A kutya az egy ház", "hu");
    }

    @Test
    void frenchItalianAndArabicQuirksAreMkqas() {
        // no closing \b: "lequel" loses "le", and "des" matches the earlier alternative "de"
        norm("quel s halles", "Le lequel des Halles", "fr");
        // the apostrophe is punctuation and goes first, so "l'" never matches
        norm("lhomme", "L'homme", "fr");
        // "del" before "della", and "i" strips the start of "isola"
        norm("la casa sola", "Della casa il isola uno", "it");
        // "ال" goes wherever it is
        norm("كتاب في بيت", "الكتاب في البيت", "ar");
    }

    @Test
    void onlyAsciiPunctuationIsRemoved() {
        norm("¿qué", "¿Qué?", "es");
        norm("ab c d", "a-b (c) [d]...", "xx"); // "a-b" becomes one word
        norm("「 東 京 」 、 日 本 。", "「東京」、日本。", "ja");
    }

    @Test
    void characterTokensForJaZhThKmEvenForLatinAndDigits() {
        assertEquals(List.of("東", "京", "タ", "ワ", "ー", "2", "0", "1", "5", "年", "t", "o", "k", "y", "o"),
                MkqaNormalizer.tokens("東京タワー2015年 Tokyo", "ja"));
        norm("ภ า ษ า ไ ท ย o k", "ภาษาไทย ok", "th");
        norm("ភ ា ស ា ខ ្ ម ែ រ", "ភាសាខ្មែរ", "km");
        for (String zh : new String[] {"zh", "zh_cn", "zh_hk", "zh_tw"}) norm("北 京 c i t y", "北京 City", zh);
        norm("𠮷 野", "𠮷野", "ja"); // a character beyond the BMP is one token
        norm("서울 특별시", "서울 특별시", "ko"); // Korean: words
    }

    @Test
    void lowerCaseAndWhiteSpaceAreUnicodeAsInPython() {
        norm("οδος", "ΟΔΟΣ", "el");
        norm("a b c d", "a\u00a0b\u3000c\u2007d", "ru"); // Python splits at no-break spaces too
        assertEquals(List.of(), MkqaNormalizer.tokens(" \t\u3000 ", "en"));
    }

    @Test
    void unknownLanguagesHaveNoRulesAndAreFlagged() {
        norm("the cat", "The cat", "xx");
        assertTrue(MkqaNormalizer.isKnown("ko"));
        assertTrue(MkqaNormalizer.isKnown("zh"));
        assertTrue(MkqaNormalizer.isKnown("he"));
        assertFalse(MkqaNormalizer.isKnown("xx"));
        assertFalse(MkqaNormalizer.isKnown("EN"));
    }

    @Test
    void f1ByHand() {
        // gold: cat on mat (3), prediction: cat sat on mat (4); common 3: P 3/4, R 1, F1 6/7
        assertEquals(6.0 / 7, MkqaF1.f1("the cat sat on the mat", "a cat on a mat", "en"), 1e-12);
        // multisets: gold {cat, dog, dog}, prediction {cat, cat, dog}: common 2, P = R = 2/3
        assertEquals(2.0 / 3, MkqaF1.f1("cat cat dog", "cat dog dog", "en"), 1e-12);
        // 2 0 1 6 年 against 2 0 1 5 年: 4 of 5 characters
        assertEquals(0.8, MkqaF1.f1("2016年", "2015年", "ja"), 1e-12);
        assertEquals(0, MkqaF1.f1("dog", "cat", "en"));
        // the same text scores 0.5 as words: "2016年" and "2015年" are different words
        assertEquals(0, MkqaF1.f1("2016年", "2015年", "ko"));
        assertEquals(0.5, MkqaF1.f1("2016 年", "2015 年", "ko"), 1e-12);
    }

    @Test
    void emptyAnswersAgreeOnlyWithEmptyPredictions() {
        assertEquals(1, MkqaF1.f1("", "", "en"));
        assertEquals(1, MkqaF1.f1("The!", "", "en")); // nothing is left of "The!"
        assertEquals(0, MkqaF1.f1("x", "the", "en"));
        assertEquals(0, MkqaF1.f1("", "x", "en"));
        assertEquals(1, MkqaF1.score("", List.of(), "en"));
        assertEquals(0, MkqaF1.score("Paris", List.of(), "en"));
    }

    @Test
    void bestOverSeveralAnswers() {
        List<String> answers = List.of("New York City", "NYC", "New York");
        assertEquals(1, MkqaF1.score("new york", answers, "en"));
        // against "New York City": 2 common of 3 gold and 4 predicted: P 1/2, R 2/3, F1 4/7;
        // against "New York": P 2/4, R 1, F1 2/3, the best
        assertEquals(2.0 / 3, MkqaF1.score("in New York state", answers, "en"), 1e-12);
        assertTrue(MkqaF1.exactMatch("The NYC.", answers, "en"));
        assertFalse(MkqaF1.exactMatch("NYC!!", List.of("NY"), "en"));
        assertTrue(MkqaF1.exactMatch("", List.of(), "en"));
    }
}
