package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study's plan as --dry-run prints it, against a plan written out by hand: every step of the
 * paper in its order, the steps each waits for, and the command lines of the deactivation
 * analyses, qa and reasoning included; nothing is run or written.
 */
class StudyPlanTest {
    @TempDir
    Path dir;

    /** Step name -> [after, command line], in the printed order. */
    static Map<String, List<String>> steps(String out) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\[\\d+/\\d+\\] (\\S+)\\n    after: (.*)\\n    tn (.*)$").matcher(out);
        while (m.find()) steps.put(m.group(1), List.of(m.group(2), m.group(3)));
        return steps;
    }

    private String[] study(Path out, String... more) throws IOException {
        Path mmlu = dir.resolve("MMLU-ProX");
        for (String lang : List.of("ja", "ko")) {
            Files.createDirectories(mmlu.resolve(lang));
            Files.writeString(mmlu.resolve(lang + "/test-00000-of-00001.parquet"), "");
            Files.writeString(mmlu.resolve(lang + "/validation-00000-of-00001.parquet"), "");
        }
        List<String> a = new ArrayList<>(List.of("study", "--model", "m.gguf", "--langs", "ja,ko", "--pairs",
                "d/en-{lang}.tsv", "--sentences", "d/{lang}.txt", "--english", "d/en.txt", "--questions",
                "mkqa.jsonl.gz", "--mmlu-prox", mmlu.toString(), "--out", out.toString(), "--dry-run"));
        a.addAll(List.of(more));
        return a.toArray(String[] ::new);
    }

    @Test
    void theDryRunPrintsEveryStepOfThePaperWithWhatItWaitsForAndRunsNothing() throws IOException {
        Path out = dir.resolve("study");
        TnCli.Result r = TnCli.run(study(out)).expect(0);
        assertFalse(Files.exists(out), "a dry run writes nothing");
        Map<String, List<String>> steps = steps(r.out());

        List<String> expected = new ArrayList<>();
        for (String l : List.of("ja", "ko"))
            for (String t : List.of("type1", "type2")) expected.addAll(List.of(l + "-" + t + "-centroids", l + "-" + t + "-detect"));
        for (String a : List.of("similarity", "mknn")) {
            for (String l : List.of("ja", "ko")) {
                expected.add(l + "-" + a);
                for (String t : List.of("type1", "type2"))
                    expected.addAll(List.of(l + "-" + t + "-" + a + "-off", l + "-" + t + "-" + a + "-baseline"));
            }
        }
        expected.addAll(List.of("latent", "specificity", "lape", "ja-type1-overlap", "ja-type2-overlap",
                "ko-type1-overlap", "ko-type2-overlap"));
        for (String a : List.of("qa", "reasoning")) {
            for (String l : List.of("ja", "ko")) // the paper switches Type-1 off for qa and reasoning
                expected.addAll(List.of(l + "-" + a, l + "-type1-" + a + "-off", l + "-type1-" + a + "-baseline"));
        }
        expected.add("report");
        assertEquals(expected, List.copyOf(steps.keySet()), r.out());

        Map<String, String> after = new LinkedHashMap<>();
        after.put("ja-type1-centroids", "-");
        after.put("ja-type1-detect", "ja-type1-centroids");
        after.put("ko-type2-detect", "ko-type2-centroids");
        after.put("ja-similarity", "-");
        after.put("ja-type1-similarity-off", "ja-type1-detect");
        after.put("ko-type2-mknn-baseline", "ko-type2-detect");
        after.put("latent", "-");
        after.put("specificity", "ja-type1-detect, ja-type2-detect, ko-type1-detect, ko-type2-detect");
        after.put("ko-type2-overlap", "ko-type2-detect, lape");
        after.put("ja-qa", "-");
        after.put("ja-type1-qa-off", "ja-type1-detect");
        after.put("ko-type1-reasoning-baseline", "ko-type1-detect");
        after.put("report", String.join(", ", expected.subList(0, expected.size() - 1)));
        after.forEach((step, needs) -> assertEquals(needs, steps.get(step).get(0), step));

        Path root = out.toAbsolutePath();
        String ranking = root.resolve("ja/type1/detect/ranking.tsv").toString();
        assertEquals("qa --model m.gguf --threads 0 --batch 32 --ctx 512 --gpu-layers -1 --last-layer normed --checkpoint-every 60"
                        + " --questions mkqa.jsonl.gz --lang ja --deactivate " + ranking
                        + " --top-n 1000 --baseline --seed 42 --out " + root.resolve("ja/type1/qa-baseline"),
                steps.get("ja-type1-qa-baseline").get(1));
        String reasoning = steps.get("ko-reasoning").get(1);
        assertTrue(reasoning.contains(" --test " + dir.resolve("MMLU-ProX/ko/test-00000-of-00001.parquet")
                           + " --fewshot " + dir.resolve("MMLU-ProX/ko/validation-00000-of-00001.parquet")
                           + " --lang ko"),
                reasoning);
        assertFalse(reasoning.contains("--ctx"), "reasoning's context is the trained one, as the harness's: " + reasoning);
        assertTrue(steps.get("ja-type1-detect").get(1).contains(" --centroids "
                           + root.resolve("ja/type1/centroids/centroids.npy") + " --sentences d/ja.txt"));
        assertTrue(r.out().strip().endsWith("nothing was run (--dry-run)"), r.out());
        assertTrue(steps.get("latent").get(1).contains(" --sentences ja=d/ja.txt,ko=d/ko.txt,en=d/en.txt "));
    }

    @Test
    void theAnalysesAcrossLanguagesReadTheTestSentencesWhenGiven() throws IOException {
        TnCli.Result r = TnCli.run(study(dir.resolve("study"), "--test-sentences", "d/{lang}.test.txt")).expect(0);
        Map<String, List<String>> steps = steps(r.out());
        for (String step : List.of("latent", "specificity", "lape"))
            assertTrue(steps.get(step).get(1).contains(" --sentences ja=d/ja.test.txt,ko=d/ko.test.txt,en=d/en.txt"),
                    steps.get(step).get(1));
        assertTrue(steps.get("ja-type2-detect").get(1).contains(" --sentences d/ja.txt"));
    }

    @Test
    void qaAndReasoningJoinOnlyWithTheirDataAndAreAnErrorWhenNamedWithoutIt() throws IOException {
        Path out = dir.resolve("study");
        List<String> a = new ArrayList<>(List.of(study(out)));
        int q = a.indexOf("--questions");
        a.subList(q, q + 4).clear(); // neither --questions nor --mmlu-prox
        TnCli.Result r = TnCli.run(a.toArray(String[] ::new)).expect(0);
        assertTrue(steps(r.out()).keySet().stream().noneMatch(s -> s.contains("qa") || s.contains("reasoning")));
        a.addAll(List.of("--analyses", "similarity,qa"));
        TnCli.Result named = TnCli.run(a.toArray(String[] ::new)).expect(2);
        assertTrue(named.err().contains("--analyses qa needs --questions"), named.err());
    }

    @Test
    void qaInALanguageTheOriginalHasNoPromptForIsRefusedBeforeAnythingRuns() throws IOException {
        List<String> a = new ArrayList<>(List.of(study(dir.resolve("study"))));
        a.set(a.indexOf("ja,ko"), "ja,de");
        TnCli.Result r = TnCli.run(a.toArray(String[] ::new)).expect(2);
        assertTrue(r.err().contains("the original implementation has no prompt for 'de'"), r.err());
    }

    @Test
    void repeatedBaselineSeedsPassToEveryBaselineAndRunUnsharded() throws IOException {
        TnCli.Result r = TnCli.run(study(dir.resolve("study"), "--baseline-seeds", "5", "--analyses", "similarity"))
                                 .expect(0);
        Map<String, List<String>> steps = steps(r.out());
        assertTrue(steps.get("ja-type2-similarity-baseline").get(1).contains(" --baseline --seed 42 --baseline-seeds 5"));
        assertFalse(steps.get("ja-type2-similarity-off").get(1).contains("--baseline"));
    }

    @Test
    void anInvocationRefusesAnOptionItsCommandDoesNotHave() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Invocation.of("detect").with("--pairs", Path.of("p.tsv")));
        assertEquals("tn detect has no option --pairs", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Invocation.of("detekt"));
        assertEquals(List.of("model", "quantize", "a.gguf", "b.gguf", "--quiet"),
                Invocation.of("model", "quantize")
                        .positional(Path.of("a.gguf"))
                        .positional(Path.of("b.gguf"))
                        .with("--type", null)
                        .flag("--quiet", true)
                        .argv());
    }
}
