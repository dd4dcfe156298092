package tn.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;
import tn.llama.Neuron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every sentence file format, the counts of skipped lines, and errors that name file and line. */
class SentenceFilesTest {
    static final Path PKL = Path.of("tests/data/pkl");
    static final List<String> JA =
            List.of("猫がソファの上で寝ています。", "駅はどこですか？", "今日は雨が降っています。");

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static String message(Path file) {
        return assertThrows(InputException.class, () -> SentenceFiles.read(file, "ja")).getMessage();
    }

    @Test
    void textLinesWithBomCrAndEmptyLines(@TempDir Path dir) throws IOException {
        Dataset d = SentenceFiles.read(write(dir, "a.txt", "\uFEFFone\r\n\n  \ntwo\nthree"), "ja");
        assertEquals(List.of("one", "two", "three"), d.monolingual());
        assertEquals(2, d.skippedEmpty());
        assertEquals(Dataset.Shape.MONOLINGUAL, d.shape());
        assertTrue(d.where(1).endsWith("a.txt line 4"), d.where(1));
        assertEquals(64, d.sha256().length());
    }

    @Test
    void pairsFromTsvAndJsonl(@TempDir Path dir) throws IOException {
        List<SentencePair> expected = List.of(new SentencePair("Hi.", "やあ。"), new SentencePair("Yes.", "はい。"));
        assertEquals(
                expected, SentenceFiles.read(write(dir, "p.tsv", "Hi.\tやあ。\n\nYes.\tはい。\n"), "ja").parallel());
        Dataset j = SentenceFiles.read(
                write(dir, "p.jsonl",
                        "{\"en\": \"Hi.\", \"l2\": \"やあ。\", \"id\": 1}\n\n{\"en\": \"Yes.\", \"ja\": \"はい。\"}\n"),
                "ja");
        assertEquals(expected, j.parallel());
        assertEquals(1, j.skippedEmpty());
        assertEquals(List.of("a", "b"),
                SentenceFiles
                        .read(write(dir, "m.jsonl", "{\"text\": \"a\"}\n{\"text\": \" \"}\n{\"text\": \"b\"}\n"), "ja")
                        .monolingual());
    }

    @Test
    void picklesMadeByPython() {
        for (String f : new String[] {"ja-p2.pkl", "ja-p4.pkl"}) {
            Dataset d = SentenceFiles.read(PKL.resolve(f), "ja");
            assertEquals(JA, d.monolingual(), f);
            assertEquals(1, d.skippedEmpty(), f);
            assertTrue(d.where(2).endsWith("element 3"), d.where(2));
        }
        List<SentencePair> pairs = SentenceFiles.read(PKL.resolve("en-ja-p5.pkl"), "ja").parallel();
        assertEquals(new SentencePair("Where is the station?", "駅はどこですか？"), pairs.get(1));
        assertTrue(message(PKL.resolve("dict.pkl"))
                        .contains("a dict of sentences per language without 'ja' (it has: not)"));
        InputException e = assertThrows(InputException.class, () -> SentenceFiles.read(PKL.resolve("dict.pkl"), "not"));
        assertTrue(e.getMessage().contains("dict.pkl ['not']: expected a pickled list of str"), e.getMessage());
    }

    @Test
    void errorsNameFileAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(bad + " line 2: invalid UTF-8 (UTF-16 without a byte order mark, or another encoding? save it as "
                        + "UTF-8)",
                message(bad));
        assertTrue(message(write(dir, "b.tsv", "a\tb\nno tab here\n"))
                        .endsWith("b.tsv line 2: expected two columns, en<TAB>L2, found 1"));
        assertTrue(message(write(dir, "c.tsv", "a\t \n")).contains("c.tsv line 1: the L2 side is empty"));
        assertTrue(
                message(write(dir, "d.jsonl", "{\"text\": \"a\"}\n{oops\n")).contains("d.jsonl line 2: invalid JSON"));
        assertTrue(message(write(dir, "e.jsonl", "{\"text\": \"a\"}\n{\"en\": \"a\", \"l2\": \"b\"}\n"))
                        .contains("e.jsonl line 2: mixes"));
        assertTrue(
                message(write(dir, "f.jsonl", "{\"text\": 3}\n")).contains("f.jsonl line 1: \"text\" is not a string"));
        assertTrue(message(write(dir, "g.txt", "\n \n")).endsWith("g.txt has no sentences"));
        assertTrue(message(write(dir, "h.csv", "a,b\n")).contains("expected .txt, .tsv, .jsonl or .pkl"));
        assertTrue(message(dir.resolve("missing.txt")).contains("missing.txt"));
        Dataset mono = SentenceFiles.read(write(dir, "m.txt", "a\n"), "ja");
        assertTrue(assertThrows(InputException.class, mono::parallel).getMessage().contains("needs en/L2 pairs"));
        Dataset pairs = SentenceFiles.read(write(dir, "p.tsv", "a\tb\n"), "ja");
        assertTrue(assertThrows(InputException.class, pairs::monolingual).getMessage().contains("needs monolingual"));
    }

    @Test
    void referencePicklesRoundTripAndReadPythons(@TempDir Path dir) {
        assertEquals(List.of(new Neuron(3, 17), new Neuron(0, 5)),
                ReferencePickles.readTopNeurons(PKL.resolve("ja_type1_top2.pkl")));
        assertEquals(Map.of(new Neuron(3, 17), 0.25, new Neuron(0, 5), -0.5),
                ReferencePickles.readScoreDict(PKL.resolve("ja_type1_top2_score_dict.pkl")));
        List<Neuron> ranked = List.of(new Neuron(1, 2), new Neuron(0, 9));
        Path top = dir.resolve(ReferencePickles.topFileName("ja", "type1", 2));
        assertEquals("ja_type1_top2_score_dict.pkl", ReferencePickles.scoreDictFileName("ja", "type1", 2));
        ReferencePickles.writeTopNeurons(top, ranked);
        assertEquals(ranked, ReferencePickles.readTopNeurons(top));
    }
}
