package tn.qa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.data.QuestionFile;
import tn.io.InvalidValueException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's question-answering protocol as the original implementation's qa.py has it: its prompt
 * per language byte for byte (written out here from qa.py by hand), MKQA's questions in file order
 * less those whose first English answer is long_answer or unanswerable, the gold answers (texts and
 * aliases, empty ones dropped, each once), and the whole continuation scored.
 */
class PaperProtocolTest {
    static final Path SAMPLE =
            Path.of(System.getProperty("tn.repo", "."), "tests", "data", "mkqa", "release-sample.jsonl");

    /** qa.py's f'{q}? 答え: ' and its siblings, for MKQA's first question of the sample. */
    static final Map<String, String> PROMPTS = Map.of("ja", "日本の首都はどこ? 答え: ", "nl",
            "wat is de hoofdstad van japan? Antwoord: ", "ko", "일본의 수도는 어디? 답변: ", "it",
            "qual è la capitale del giappone? Risposta: ", "en", "what is the capital of japan? Answer: ");

    @Test
    void theOriginalsPromptsByteForByte() {
        byte[] ja = {(byte) 0xe6, (byte) 0x97, (byte) 0xa5, '?', ' ', (byte) 0xe7, (byte) 0xad, (byte) 0x94,
                (byte) 0xe3, (byte) 0x81, (byte) 0x88, ':', ' '}; // 日? 答え: in UTF-8, its last byte a space
        assertArrayEquals(ja, PromptTemplate.original("ja").apply("日").getBytes(StandardCharsets.UTF_8));
        for (String lang : PROMPTS.keySet()) {
            QuestionFile.Questions q = QuestionFile.read(SAMPLE, lang, PromptTemplate.original(lang), true);
            assertEquals(PROMPTS.get(lang), q.prompts().monolingual().get(0), lang);
        }
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> PromptTemplate.original("de"));
        assertTrue(e.getMessage().contains("en, it, ja, ko, nl only, not 'de'"), e.getMessage());
    }

    @Test
    void mkqaIsFilteredAndReadAsTheOriginalDoes() throws IOException {
        QuestionFile.Questions ja = QuestionFile.read(SAMPLE, "ja", PromptTemplate.original("ja"), true);
        // 102 (long_answer), 103 (unanswerable) and 106 (its first English answer long_answer) are left out
        assertEquals(List.of(101L, 104L, 105L), ja.questions().stream().map(QuestionFile.Question::id).toList());
        assertEquals(List.of(0, 3, 4), ja.questions().stream().map(QuestionFile.Question::index).toList());
        assertEquals(3, ja.leftOut());
        assertEquals(List.of("東京", "東京都"), ja.questions().get(0).answers(), "the alias repeating the text once");
        assertEquals(List.of("3776.0 メートル", "3776メートル"), ja.questions().get(1).answers(),
                "the unanswerable answer beside adds nothing");
        assertEquals(List.of("富士山の高さは何メートル? 答え: ", "東京は大阪より大きいですか? 答え: "),
                ja.prompts().monolingual().subList(1, 3));
        assertEquals(List.of(101L, 104L, 105L),
                QuestionFile.read(SAMPLE, "nl", PromptTemplate.original("nl"), true)
                        .questions()
                        .stream()
                        .map(QuestionFile.Question::id)
                        .toList());

        QuestionFile.Questions all = QuestionFile.read(SAMPLE, "ja", PromptTemplate.original("ja"), false);
        assertEquals(6, all.questions().size());
        assertEquals(List.of(), all.questions().get(2).answers(), "an unanswerable question has no gold text");
        assertEquals(List.of("寿司", "すし", "鮨"), all.questions().get(5).answers());

        // the Hugging Face dataset's class numbers (1 long_answer, 2 unanswerable), gzipped as MKQA ships
        Path gz = dir.resolve("mkqa.jsonl.gz");
        String lines = Files.readString(SAMPLE)
                               .replace("\"type\": \"long_answer\"", "\"type\": 1")
                               .replace("\"type\": \"unanswerable\"", "\"type\": 2");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        QuestionFile.Questions numbered = QuestionFile.read(gz, "ja", PromptTemplate.original("ja"), true);
        assertEquals(ja.questions(), numbered.questions());
        assertEquals(ja.prompts().monolingual(), numbered.prompts().monolingual());
    }

    @TempDir
    Path dir;

    /**
     * The whole continuation is the answer: F1 worked by hand with MKQA's rules for ja (characters
     * as tokens, punctuation gone): "東京\n東京タワー" has 7 tokens, 2 in common with 東京, so precision 2/7,
     * recall 1 and F1 4/9; its first line alone scores 1.
     */
    @Test
    void theWholeContinuationIsScored() {
        String generated = "東京\n東京タワー";
        assertEquals(generated, AnswerMode.ALL.of(generated));
        assertEquals(4.0 / 9, MkqaF1.score(AnswerMode.ALL.of(generated), List.of("東京", "東京都"), "ja"), 1e-12);
        assertEquals(1.0, MkqaF1.score(AnswerMode.FIRST_LINE.of(generated), List.of("東京", "東京都"), "ja"), 1e-12);
        // the best over the golds: 東京都 shares 東 京 with 3 tokens, F1 2 * (2/7) * (2/3) / (2/7 + 2/3) = 0.4
        assertEquals(4.0 / 9, Math.max(MkqaF1.f1(generated, "東京", "ja"), MkqaF1.f1(generated, "東京都", "ja")), 1e-12);
        assertEquals(0.4, MkqaF1.f1(generated, "東京都", "ja"), 1e-12);
        // en: " Tokyo, the capital" against Tokyo: tokyo capital (the comma and the article go), 1 in common:
        // precision 1/2, recall 1, F1 2/3
        assertEquals(2.0 / 3, MkqaF1.score(" Tokyo, the capital", List.of("Tokyo", "Tōkyō"), "en"), 1e-12);
        // no gold text (an unanswerable question): only an empty continuation scores
        assertEquals(1.0, MkqaF1.score(" \n", List.of(), "ja"), 1e-12);
        assertEquals(0.0, MkqaF1.score("東京", List.of(), "ja"), 1e-12);
    }
}
