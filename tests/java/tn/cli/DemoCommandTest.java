package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.data.ReferencePickles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, end to end: synthesize, centroids and detection for four languages. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void demoRunsThePipelineForFourLanguagesAndBothTypes() throws IOException {
        String text = TnCli.run("demo", "--out", tmp.toString()).expect(0).out();
        assertTrue(Files.isRegularFile(tmp.resolve("tn-demo-L8-d128.gguf")));
        assertTrue(Files.isRegularFile(tmp.resolve("data/en-ja.tsv")));
        for (String lang : DemoCommand.LANGS) {
            for (String type : new String[] {"type1", "type2"}) {
                Path detect = tmp.resolve("results").resolve(lang).resolve(type).resolve("detect");
                assertTrue(Files.isRegularFile(detect.resolve("scores.npy")), detect.toString());
                assertTrue(Files.isRegularFile(
                        tmp.resolve("results").resolve(lang).resolve(type).resolve("centroids/centroids.npy")));
                assertEquals(DemoCommand.TOP_N,
                        ReferencePickles
                                .readTopNeurons(
                                        detect.resolve(ReferencePickles.topFileName(lang, type, DemoCommand.TOP_N)))
                                .size());
                assertTrue(text.lines().anyMatch(
                                   l -> l.matches(lang + "\\s+" + type + "(\\s+\\(\\d+, \\d+\\) -?[0-9.]+){5}")),
                        lang + " " + type + ":\n" + text);
            }
        }
        assertTrue(text.contains("no real transfer neurons"), text);
        // one page: a section per language and per run below it (4 x (2 types x 2 runs)), each ranking shown
        String page = Files.readString(tmp.resolve("report.html"));
        for (String lang : DemoCommand.LANGS) {
            assertTrue(page.contains(lang + "/type1/detect") && page.contains(lang + "/type2/centroids"), lang);
        }
    }

    @Test
    void aMissingModelIsAnInputError() {
        TnCli.run("demo", "--model", tmp.resolve("none.gguf").toString()).expect(Tn.EXIT_INPUT);
    }
}
