package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.data.LanguageCodes;
import tn.io.InvalidValueException;
import tn.record.RunJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user meets first: a finished run is never replaced without --force (and --force
 * leaves no file of the old run), usage errors are three lines at most with the nearest valid
 * spelling, language codes are checked, --json is one object, overlap prints its table.
 */
class EverydayPathsTest {
    static String model() {
        return TestModels.file(TestModels.SPM).toString();
    }

    static Path sentences(Path dir) throws IOException {
        Path f = dir.resolve("ja.txt");
        Files.writeString(f,
                "猫がソファの上で寝ています。\n駅はどこですか？\n今日は雨が降っています。\n私は毎朝コーヒーを飲みます。\n",
                StandardCharsets.UTF_8);
        return f;
    }

    static TnCli.Result centroids(Path data, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("centroids", "--model", model(), "--type", "type2", "--lang",
                "ja", "--sentences", data.toString(), "--out", out.toString(), "--quiet"));
        a.addAll(List.of(more));
        return TnCli.run(a.toArray(String[] ::new));
    }

    static TnCli.Result detect(Path data, Path centroids, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("detect", "--model", model(), "--type", "type2", "--lang",
                "ja", "--sentences", data.toString(), "--centroids", centroids.resolve("centroids.npy").toString(),
                "--out", out.toString(), "--bootstrap", "10"));
        a.addAll(List.of(more));
        return TnCli.run(a.toArray(String[] ::new));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void aFinishedRunIsReplacedOnlyWithForceAndThenWhole(@TempDir Path dir) throws IOException {
        Path data = sentences(dir), c = dir.resolve("c"), d = dir.resolve("d");
        centroids(data, c).expect(0);
        byte[] before = Files.readAllBytes(c.resolve("centroids.npy"));

        TnCli.Result again = centroids(data, c).expect(2);
        assertTrue(again.err().contains("finished centroids run") && again.err().contains("--force"), again.err());
        assertArrayEquals(before, Files.readAllBytes(c.resolve("centroids.npy")), "the refused run touched the old");

        detect(data, c, d, "--top-n", "6", "--export-pickle", "--quiet").expect(0);
        assertTrue(names(d).contains("ja_type2_top6.pkl"), names(d).toString());
        // a run of another command is refused too, named
        TnCli.Result other = centroids(data, d).expect(2);
        assertTrue(other.err().contains("finished detect run"), other.err());

        detect(data, c, d, "--top-n", "3", "--quiet").expect(2);
        assertEquals(7, Files.readAllLines(d.resolve("ranking.tsv")).size(), "refused: the top 6 stay");
        detect(data, c, d, "--top-n", "3", "--quiet", "--force").expect(0);
        assertEquals(4, Files.readAllLines(d.resolve("ranking.tsv")).size());
        assertFalse(names(d).stream().anyMatch(n -> n.endsWith(".pkl")), "the old run's pickles are gone: " + names(d));
        assertEquals(
                RunJson.of(d).texts("outputs").stream().sorted().toList(), names(d), "every file is the new run's");
    }

    @Test
    void jsonIsOneObjectOnStdout(@TempDir Path dir) throws IOException {
        Path data = sentences(dir), c = dir.resolve("c"), d = dir.resolve("d");
        centroids(data, c).expect(0);
        TnCli.Result r = detect(data, c, d, "--top-n", "20", "--json").expect(0);
        assertEquals(1, r.out().strip().lines().count(), r.out());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("detect", o.get("command").getAsString());
        assertEquals(d.toAbsolutePath().toString(), o.get("out").getAsString());
        assertEquals(10, o.getAsJsonArray("top_10").size());
        assertTrue(o.getAsJsonArray("files").toString().contains("ranking.tsv"));
        // 20 of 96 candidates: more than 10%, said on stderr
        assertTrue(r.err().contains("warning: --top-n 20 is 21% of the 96 candidate neurons"), r.err());
    }

    @Test
    void withoutJsonTheLastLineNamesWhatWasWrittenAndQuietSilencesIt(@TempDir Path dir) throws IOException {
        Path data = sentences(dir), c = dir.resolve("c");
        TnCli.Result r = centroids(data, c, "--force");
        assertEquals("", r.out()); // --quiet
        List<String> said = TnCli.run("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences",
                                         data.toString(), "--out", dir.resolve("c2").toString())
                                    .expect(0)
                                    .out()
                                    .lines()
                                    .toList();
        String last = said.get(said.size() - 1);
        assertTrue(last.contains("wrote centroids.npy, run.json in"), last);
    }

    @Test
    void usageErrorsAreThreeLinesWithTheNearestSpelling() {
        TnCli.Result r = TnCli.run("detect", "--language", "ja").expect(2);
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() <= 3, r.err());
        assertEquals("tn: error: unknown option '--language'; did you mean '--lang'?", lines.get(0));
        assertEquals("see 'tn detect --help'", lines.get(lines.size() - 1));

        r = TnCli.run("detect").expect(2);
        assertTrue(r.err().lines().count() <= 3, r.err());
        assertTrue(r.err().contains("missing required option"), r.err());

        r = TnCli.run("detetc").expect(2);
        assertTrue(r.err().startsWith("tn: error: unknown command 'detetc'; did you mean 'detect'?"), r.err());

        r = TnCli.run("centroids", "--model", model(), "--type", "type2", "--lang", "jp", "--sentences", "x.txt",
                         "--out", "o")
                    .expect(2);
        assertTrue(r.err().contains("unknown language code 'jp'; did you mean 'ja'?"), r.err());
        assertTrue(r.err().lines().count() <= 3, r.err());
    }

    @Test
    void nearestNamePrefersAPrefixThenFewestEdits() {
        assertEquals(
                "--lang", UsageErrors.nearest("--language", Stream.of("--layers", "--lang", "--last-layer")).get());
        assertEquals("--top-n", UsageErrors.nearest("--topn", Stream.of("--top-n", "--type")).get());
        assertTrue(UsageErrors.nearest("--zzzzzz", Stream.of("--lang", "--type")).isEmpty());
        assertEquals(3, UsageErrors.distance("kitten", "sitting"));
    }

    @Test
    void languageCodesAreTheOnesTnKnows() {
        assertEquals("ja", LanguageCodes.check("JA"));
        assertEquals("jpn", LanguageCodes.check("jpn"));
        assertEquals("cmn", LanguageCodes.check("cmn")); // Tatoeba's Mandarin
        InvalidValueException jp = assertThrows(InvalidValueException.class, () -> LanguageCodes.check("jp"));
        assertTrue(jp.getMessage().contains("did you mean 'ja'?"), jp.getMessage());
        assertEquals("kr", LanguageCodes.check("kr")); // Kanuri: a language, not Korea
        assertThrows(InvalidValueException.class, () -> LanguageCodes.check("xx"));
        assertEquals("ko", LanguageCodes.ofPairsFileName("en-ko.train.tsv"));
        LanguageCodes.checkPairsFileName("en-jpn.tsv", "ja"); // one language, two spellings
        LanguageCodes.checkPairsFileName("pairs.tsv", "ja");
        assertThrows(InvalidValueException.class, () -> LanguageCodes.checkPairsFileName("en-ko.tsv", "ja"));
    }

    @Test
    void pairsNamedForAnotherLanguageAreRefused(@TempDir Path dir) throws IOException {
        Path ko = dir.resolve("en-ko.tsv");
        Files.writeString(ko, "Hello.\t안녕하세요.\n", StandardCharsets.UTF_8);
        TnCli.Result r = TnCli.run("centroids", "--model", model(), "--type", "type1", "--lang", "ja", "--pairs",
                                      ko.toString(), "--out", dir.resolve("c").toString())
                                 .expect(2);
        assertTrue(r.err().contains("named for 'ko', not --lang 'ja'"), r.err());
        assertFalse(Files.exists(dir.resolve("c")));
        r = TnCli.run("similarity", "--model", model(), "--pairs", ko.toString(), "--lang", "ja", "--out",
                         dir.resolve("s").toString())
                    .expect(2);
        assertTrue(r.err().contains("named for 'ko'"), r.err());
        r = TnCli.run("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--pairs", ko.toString(),
                         "--out", dir.resolve("c").toString())
                    .expect(2);
        assertTrue(r.err().contains("--sentences"), r.err());
    }

    @Test
    void overlapPrintsItsTableWithoutOutAndRefusesToReplaceWithout(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.tsv"), b = dir.resolve("b.tsv");
        Files.writeString(a, "layer\tneuron\n0\t1\n1\t2\n1\t3\n");
        Files.writeString(b, "layer\tneuron\n0\t1\n1\t5\n");
        TnCli.Result r = TnCli.run("overlap", a.toString(), b.toString(), "--n-ff", "8").expect(0);
        assertTrue(r.out().contains("shared") && r.out().contains("expected"), r.out());
        Path out = dir.resolve("ov");
        r = TnCli.run("overlap", a.toString(), b.toString(), "--n-ff", "8", "--out", out.toString()).expect(0);
        assertTrue(r.out().strip().endsWith("in " + out), r.out());
        r = TnCli.run("overlap", a.toString(), b.toString(), "--n-ff", "8", "--out", out.toString()).expect(2);
        assertTrue(r.err().contains("--force"), r.err());
        r = TnCli.run("overlap", a.toString(), b.toString(), "--n-ff", "8", "--out", out.toString(), "--force",
                         "--json")
                    .expect(0);
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("overlap", o.get("command").getAsString());
    }

    @Test
    void reportRefusesToReplaceAPageWithoutForce(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("r.html");
        Files.writeString(page, "mine");
        TnCli.Result r = TnCli.run("report", dir.toString(), "--out", page.toString()).expect(2);
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals("mine", Files.readString(page));
        TnCli.run("report", dir.toString(), "--out", page.toString(), "--force").expect(0);
        assertTrue(Files.readString(page).contains("<html"));
    }

    @Test
    void helpNeverBreaksAFileNameOrAFlag() {
        for (String[] command : new String[][] {{"overlap"}, {"detect"}, {"qa"}, {"model", "synth"}, {"sweep"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            String help = TnCli.run(args).expect(0).out();
            assertFalse(help.chars().anyMatch(c -> c >= 0xE000 && c <= 0xE002), "stand-ins left in the help");
            List<String> lines = help.lines().map(String::strip).toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String here = lines.get(i), next = lines.get(i + 1);
                boolean extension = here.matches(".*[A-Za-z0-9_}]\\.")
                        && next.matches("(tsv|gguf|npy|json|jsonl|png|pkl|txt|html)\\b.*");
                boolean hyphen = here.matches(".*[A-Za-z0-9]-") && next.matches("[a-z].*");
                assertFalse(extension || hyphen, "a word broken across lines:\n" + here + "\n" + next);
            }
            if (command[0].equals("overlap")) assertTrue(help.contains("deactivated.tsv"), help);
        }
    }

    @Test
    void completionPrintsABashScript() {
        TnCli.Result r = TnCli.run("completion").expect(0);
        assertTrue(r.out().contains("complete -F") && r.out().contains("detect"), r.out().substring(0, 200));
    }

    @Test
    void theExecutorForcesTheStepsItRunsAgain() {
        picocli.CommandLine tn = Tn.commandLine();
        assertTrue(LocalExecutor.takesForce(tn, List.of("detect", "--model", "m")));
        assertTrue(LocalExecutor.takesForce(tn, List.of("report", "x", "--out", "r.html")));
        assertTrue(LocalExecutor.takesForce(tn, List.of("model", "quantize", "a", "b")));
        assertFalse(LocalExecutor.takesForce(tn, List.of("sweep", "--model", "m")));
    }

    @Test
    void oneVocabularyOfOptions() {
        // sweep: quantization types are --quant-types, pairs --pairs; the old spellings parse, hidden
        picocli.CommandLine tn = Tn.commandLine();
        picocli.CommandLine sweep = tn.getSubcommands().get("sweep");
        assertTrue(sweep.getCommandSpec().findOption("--quant-types") != null);
        assertTrue(sweep.getCommandSpec().findOption("--pairs") != null);
        assertTrue(sweep.getCommandSpec().findOption("--types").hidden());
        assertTrue(sweep.getCommandSpec().findOption("--centroid-sentences").hidden());
        for (String c : List.of("detect", "compare", "sweep", "study")) {
            assertEquals("1000", tn.getSubcommands().get(c).getCommandSpec().findOption("--top-n").defaultValue(), c);
        }
        assertEquals(tn.getSubcommands().get("qa").getCommandSpec().findOption("--parallel").defaultValue(),
                tn.getSubcommands().get("reasoning").getCommandSpec().findOption("--parallel").defaultValue());
        picocli.CommandLine synth = tn.getSubcommands().get("model").getSubcommands().get("synth");
        assertEquals("ARCH", synth.getCommandSpec().findOption("--arch").paramLabel());
    }
}
