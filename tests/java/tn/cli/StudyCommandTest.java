package tn.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.record.RunJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn study with the local executor: every step of the paper's pipeline for two languages runs in
 * order on the outputs of the steps it needs; the same command again runs nothing and touches
 * nothing; a step made again makes the steps that read it run again, and only those.
 */
class StudyCommandTest {
    static final List<String> LANGS = List.of("ja", "ko");
    static final List<String> TYPES = List.of("type1");

    @TempDir
    static Path dir;
    static Path out;
    static TnCli.Result first;

    static String[] study(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("study", "--model", TestModels.file(TestModels.SPM).toString(),
                "--langs", String.join(",", LANGS), "--types", String.join(",", TYPES), "--pairs",
                "data/demo/en-{lang}.tsv", "--sentences", "data/demo/{lang}.txt", "--english", "data/demo/en.txt",
                "--top-n", "10", "--k", "3", "--out", out.toString(), "--batch", "8", "--threads", "1", "--quiet"));
        a.addAll(List.of(more));
        return a.toArray(String[] ::new);
    }

    @BeforeAll
    static void runStudy() {
        out = dir.resolve("study");
        first = TnCli.run(study(out)).expect(0);
    }

    /** The steps the local executor ran, in order, from its "[i/n] step: tn ..." lines. */
    static List<String> ran(TnCli.Result r) {
        List<String> steps = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\[\\d+/\\d+\\] (\\S+): tn ").matcher(r.err());
        while (m.find()) steps.add(m.group(1));
        return steps;
    }

    @Test
    void everyStepRanOnWhatTheStepsItNeedsMade() throws IOException {
        List<String> ran = ran(first);
        assertEquals(22, ran.size(), first.err()); // 2 x 7 per language and type, 2 x 2 per language, 3 across, report
        assertTrue(ran.indexOf("ja-type1-detect") > ran.indexOf("ja-type1-centroids"));
        assertTrue(ran.indexOf("ja-type1-overlap") > ran.indexOf("lape"));
        assertEquals("report", ran.get(ran.size() - 1));
        for (String lang : LANGS) {
            for (String type : TYPES) {
                Path d = out.resolve(lang).resolve(type);
                RunJson detect = RunJson.of(d.resolve("detect"));
                assertEquals(d.resolve("centroids/centroids.npy").toAbsolutePath().toString(),
                        detect.text("parameters.centroids"));
                assertEquals(type, detect.text("parameters.type"));
                // the top 10 of this very detection were switched off, and a baseline of as many others
                List<String> top = Files.readAllLines(d.resolve("detect/ranking.tsv"))
                                           .subList(1, 11)
                                           .stream()
                                           .map(l -> l.split("\t")[1] + "\t" + l.split("\t")[2])
                                           .sorted()
                                           .toList();
                List<String> off = Files.readAllLines(d.resolve("similarity-off/deactivated.tsv"))
                                           .stream()
                                           .skip(1)
                                           .sorted()
                                           .toList();
                assertEquals(top, off, lang + " " + type);
                assertEquals(top,
                        Files.readAllLines(d.resolve("mknn-off/deactivated.tsv")).stream().skip(1).sorted().toList());
                List<String> baseline =
                        Files.readAllLines(d.resolve("similarity-baseline/deactivated.tsv")).stream().skip(1).toList();
                assertEquals(10, baseline.size());
                assertTrue(baseline.stream().noneMatch(top::contains), "the baseline excludes the transfer neurons");
                assertTrue(Files.exists(d.resolve("overlap/overlap.json")));
            }
            assertTrue(Files.exists(out.resolve(lang).resolve("similarity/similarity.csv")));
            assertTrue(Files.exists(out.resolve(lang).resolve("mknn/mknn.csv")));
        }
        String specificity = Files.readString(out.resolve("specificity/run.json"));
        for (String lang : LANGS)
            for (String type : TYPES) {
                assertTrue(specificity.contains(
                        out.resolve(lang + "/" + type + "/detect/ranking.tsv").toAbsolutePath().toString()));
            }
        assertEquals(List.of("ja", "ko", "en"), RunJson.of(out.resolve("latent")).texts("parameters.langs"));
        assertTrue(Files.size(out.resolve("report.html")) > 0);
    }

    @Test
    void theSameStudyAgainRunsNothingAndAStepMadeAgainRerunsWhatReadsIt() throws IOException {
        Map<Path, String> before = SlurmCommandTest.fingerprints(out);
        TnCli.Result second = TnCli.run(study(out)).expect(0);
        assertEquals(List.of(), ran(second), second.err());
        assertEquals(before, SlurmCommandTest.fingerprints(out), "nothing was written");

        Files.delete(out.resolve("ja/type1/centroids/run.json"));
        TnCli.Result third = TnCli.run(study(out)).expect(0);
        assertEquals(List.of("ja-type1-centroids", "ja-type1-detect", "ja-type1-similarity-off",
                             "ja-type1-similarity-baseline", "ja-type1-mknn-off", "ja-type1-mknn-baseline",
                             "specificity", "ja-type1-overlap", "report"),
                ran(third), third.err());
    }

    @Test
    void usageErrorsAreRefusedBeforeAnythingRuns() {
        Path none = dir.resolve("never");
        List<String[]> bad = List.of(new String[] {"study", "--model", "m.gguf", "--langs", "ja,ko", "--pairs",
                                             "pairs.tsv", "--sentences", "{lang}.txt", "--out", none.toString()},
                study(none, "--analyses", "similarity,reasoning"), study(none, "--partition", "gpu"),
                study(none, "--shards", "2"), study(none, "--shard", "1/2"));
        for (String[] args : bad) {
            TnCli.Result r = TnCli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        }
        assertFalse(Files.exists(none));
    }
}
