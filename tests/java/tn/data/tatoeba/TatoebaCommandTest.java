package tn.data.tatoeba;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tn.cli.Tn;
import tn.data.Dataset;
import tn.data.Pickles;
import tn.data.SentenceFiles;
import tn.data.SentencePair;
import tn.io.Sha256;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn data tatoeba end to end, in-process, against exports served on 127.0.0.1 or read from a folder. */
class TatoebaCommandTest {
    static final List<String> DATA = List.of("en-ja.train.tsv", "en-ja.test.tsv", "en-ja.nonparallel.tsv", "ja.txt",
            "en.txt", "ja.test.txt", "en.test.txt");

    /** Each text file's pickle under the original implementation's name for it. */
    static final Map<String, String> PICKLES = Map.of("en-ja.train.tsv", "ja_parallel_train.pkl", "en-ja.test.tsv",
            "ja_parallel_test.pkl", "en-ja.nonparallel.tsv", "ja_non_parallel.pkl", "ja.txt", "ja_mono_train.pkl",
            "en.txt", "en_mono_train.pkl", "ja.test.txt", "ja_mono_test.pkl", "en.test.txt", "en_mono_test.pkl");

    record Result(int code, String err) {}

    static Result tn(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Tn.commandLine();
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("data", "tatoeba"));
        all.addAll(List.of(args));
        all.add("--quiet");
        return new Result(cl.execute(all.toArray(String[] ::new)), err.toString());
    }

    /**
     * A hand-made corpus in which every filtering step has something to do. What survives, with
     * --min-chars 5 (the default): the pairs (en 101, ja 1) [ja 7 is the same text, so the same
     * pair], (102, 2), (103, 3), (104, 4) [ja 4 stripped]; (107, 6) goes, ja 6 being too short.
     * Monolingual: ja 9 [= 15], 10, 11, 12, 13; en 107, 109, 110 [= 114], 111, 113 (112 is the text of 102).
     */
    static Exports tiny() {
        Exports x = new Exports();
        x.jpn(1, "猫が寝ています。");
        x.jpn(2, "駅はどこですか？");
        x.jpn(3, "今日は雨です。");
        x.jpn(4, "  コーヒーを飲みます。 ");
        x.jpn(5, "   ");
        x.jpn(6, "はい。");
        x.jpn(7, "猫が寝ています。");
        x.jpn(8, "長".repeat(201));
        x.jpn(9, "本を読むのが好きです。");
        x.jpn(10, "私は学生です。");
        x.jpn(11, "明日は晴れるでしょう。");
        x.jpn(12, "彼は医者です。");
        x.jpn(13, "水をください。\r"); // a CRLF line end
        x.jpn(14, "ベル\u0007の文です。");
        x.jpn(15, "本を読むのが好きです。");
        x.eng(101, "The cat is sleeping.");
        x.eng(102, "Where is the station?");
        x.eng(103, "It is rainy today.");
        x.eng(104, "I drink coffee.");
        x.eng(105, "Yes.");
        x.eng(107, "He is a doctor.");
        x.eng(109, "I like reading books.");
        x.eng(110, "I am a student.");
        x.eng(111, "It will be sunny tomorrow.");
        x.eng(112, "Where is the station?");
        x.eng(113, "Hello there.");
        x.eng(114, "I am a student.");
        x.link(1, 101);
        x.link(7, 101);
        x.link(2, 102);
        x.link(3, 103);
        x.link(4, 104);
        x.link(6, 107);
        x.links.addAll(List.of("99\t113", "113\t99", "1\t5000", "5000\t1")); // a deleted sentence; a French one
        return x;
    }

    /** 150 linked pairs, every tenth Japanese sentence with a second translation, and 60 unlinked sentences a language. */
    static Exports medium() {
        Exports x = new Exports();
        for (int k = 1; k <= 150; k++) {
            x.jpn(k, "これは" + k + "番目の文です。");
            x.eng(1000 + k, "This is sentence number " + k + ".");
            x.link(k, 1000 + k);
            if (k % 10 == 0) x.link(k, 1001 + k);
        }
        for (int k = 1; k <= 60; k++) {
            x.jpn(5000 + k, "独り言の" + k + "番です。");
            x.eng(8000 + k, "Monologue number " + k + ".");
        }
        return x;
    }

    static List<SentencePair> pairs(Path file) {
        return SentenceFiles.read(file, "ja").parallel();
    }

    static List<String> mono(Path file) {
        return SentenceFiles.read(file, "ja").monolingual();
    }

    static JsonObject manifest(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject();
    }

    static void assertSameData(Path a, Path b) throws IOException {
        for (String f : DATA) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }

    @Test
    void tinyCorpusGivesExactlyWhatSurvivesTheFilters(@TempDir Path dir) throws IOException {
        tiny().publish(dir.resolve("site"));
        Path out = dir.resolve("data/ja");
        try (Exports.Server server = new Exports.Server(dir.resolve("site"))) {
            Result r = tn("--lang", "ja", "--protocol", "tn", "--n", "2", "--test-n", "2", "--mono-n", "5",
                    "--base-url", server.url(), "--out", out.toString(), "--pickle");
            assertEquals(0, r.code, r.err);
            assertEquals(List.of("per_language/jpn/jpn_sentences.tsv.bz2", "per_language/eng/eng_sentences.tsv.bz2",
                                 "links.tar.bz2"),
                    server.requests);
        }
        List<SentencePair> train = pairs(out.resolve("en-ja.train.tsv"));
        List<SentencePair> test = pairs(out.resolve("en-ja.test.tsv"));
        assertEquals(2, train.size());
        assertEquals(2, test.size());
        Set<SentencePair> all = new HashSet<>(train);
        all.addAll(test);
        assertEquals(Set.of(new SentencePair("The cat is sleeping.", "猫が寝ています。"),
                             new SentencePair("Where is the station?", "駅はどこですか？"),
                             new SentencePair("It is rainy today.", "今日は雨です。"),
                             new SentencePair("I drink coffee.", "コーヒーを飲みます。")),
                all);
        assertEquals(List.of(new SentencePair(test.get(0).en(), test.get(1).l2()),
                             new SentencePair(test.get(1).en(), test.get(0).l2())),
                pairs(out.resolve("en-ja.nonparallel.tsv")));
        assertEquals(Set.of("本を読むのが好きです。", "私は学生です。", "明日は晴れるでしょう。", "彼は医者です。",
                             "水をください。"),
                Set.copyOf(mono(out.resolve("ja.txt"))));
        assertEquals(5, mono(out.resolve("ja.txt")).size());
        assertEquals(Set.of("He is a doctor.", "I like reading books.", "I am a student.", "It will be sunny tomorrow.",
                             "Hello there."),
                Set.copyOf(mono(out.resolve("en.txt"))));
        String train0 = train.get(0).en() + "\t" + train.get(0).l2() + "\n" + train.get(1).en() + "\t"
                + train.get(1).l2() + "\n";
        assertEquals(train0, Files.readString(out.resolve("en-ja.train.tsv"), StandardCharsets.UTF_8));

        // the pickles hold the same items, in the original implementation's layout
        for (String f : DATA) {
            Path pkl = out.resolve(PICKLES.get(f));
            Dataset text = SentenceFiles.read(out.resolve(f), "ja");
            Dataset pickle = SentenceFiles.read(pkl, "ja");
            assertEquals("pkl", pickle.format());
            if (f.endsWith(".tsv"))
                assertEquals(text.parallel(), pickle.parallel(), f);
            else
                assertEquals(text.monolingual(), pickle.monolingual(), f);
        }

        JsonObject m = manifest(out);
        assertEquals(JsonParser.parseString("""
                {"jpn_sentences": {"sentences": 15, "empty": 1, "control_characters": 1, "too_short": 1, "too_long": 1, "kept": 11},
                 "eng_sentences": {"sentences": 12, "empty": 0, "control_characters": 0, "too_short": 1, "too_long": 0, "kept": 11},
                 "pairs": {"link_lines": 16, "en_l2_links": 6, "both_sentences_kept": 5, "distinct_text_pairs": 4,
                           "one_to_one": 4, "train": 2, "test": 2, "nonparallel": 2},
                 "jpn_monolingual": {"kept": 11, "distinct": 9, "not_in_pairs": 5, "written": 5},
                 "eng_monolingual": {"kept": 11, "distinct": 9, "not_in_pairs": 5, "written": 5}}"""), m.get("counts"));
        JsonObject params = m.getAsJsonObject("parameters");
        assertEquals("ja", params.get("l2").getAsString());
        assertEquals("jpn", params.get("l2_tatoeba").getAsString());
        assertEquals(42, params.get("seed").getAsLong());
        assertEquals(5, params.get("min_chars").getAsInt());
        assertEquals(200, params.get("max_chars").getAsInt());

        JsonArray sources = m.getAsJsonArray("sources");
        Path cache = dir.resolve("data/.tatoeba-cache");
        String[] files = {"jpn_sentences.tsv.bz2", "eng_sentences.tsv.bz2", "links.tar.bz2"};
        String[] sitePaths = {
                "per_language/jpn/jpn_sentences.tsv.bz2", "per_language/eng/eng_sentences.tsv.bz2", "links.tar.bz2"};
        for (int k = 0; k < 3; k++) {
            JsonObject s = sources.get(k).getAsJsonObject();
            Path cached = cache.resolve(files[k]);
            assertEquals(cached.toAbsolutePath().toString(), s.get("path").getAsString());
            assertTrue(s.get("url").getAsString().endsWith("/exports/" + sitePaths[k]), s.get("url").getAsString());
            assertEquals(Sha256.of(dir.resolve("site").resolve(sitePaths[k])), s.get("sha256").getAsString());
            assertEquals(Sha256.of(cached), s.get("sha256").getAsString());
            assertEquals(Files.size(cached), s.get("bytes").getAsLong());
        }

        JsonArray outputs = m.getAsJsonArray("outputs");
        assertEquals(14, outputs.size());
        Map<String, Integer> items = Map.of("en-ja.train.tsv", 2, "en-ja.test.tsv", 2, "en-ja.nonparallel.tsv", 2,
                "ja.txt", 5, "en.txt", 5, "ja.test.txt", 2, "en.test.txt", 2);
        for (JsonElement e : outputs) {
            JsonObject o = e.getAsJsonObject();
            Path f = out.resolve(o.get("file").getAsString());
            assertEquals(Sha256.of(f), o.get("sha256").getAsString(), f.toString());
            assertEquals(Files.size(f), o.get("bytes").getAsLong());
            String name = f.getFileName().toString();
            String text = DATA.stream().filter(t -> t.equals(name) || PICKLES.get(t).equals(name)).findFirst().get();
            assertEquals(items.get(text), o.get("items").getAsInt(), name);
        }
        try (var listing = Files.list(out)) {
            assertEquals(15, listing.count(), "seven text files, seven pickles and the manifest, no temporaries");
        }
    }

    @Test
    void localFolderAndEveryLinksExportGiveTheDownloadsResult(@TempDir Path dir) throws IOException {
        Exports x = medium();
        x.publish(dir.resolve("site"));
        x.flat(dir.resolve("bz2"), true);
        x.flat(dir.resolve("plain"), false);
        String[] common = {"--lang", "ja", "--n", "40", "--test-n", "30", "--seed", "7"};
        try (Exports.Server server = new Exports.Server(dir.resolve("site"))) {
            assertEquals(
                    0, tn(concat(common, "--base-url", server.url(), "--out", dir.resolve("web").toString())).code);
            assertEquals(0,
                    tn(concat(common, "--base-url", server.url(), "--links", "pair", "--out",
                               dir.resolve("web-pair").toString()))
                            .code);
        }
        for (String from : List.of("bz2", "plain")) {
            for (String links : List.of("all", "pair")) {
                Path out = dir.resolve(from + "-" + links);
                Result r = tn(concat(
                        common, "--from", dir.resolve(from).toString(), "--links", links, "--out", out.toString()));
                assertEquals(0, r.code, r.err);
                assertSameData(dir.resolve("web"), out);
            }
        }
        assertSameData(dir.resolve("web"), dir.resolve("web-pair"));
        JsonArray sources = manifest(dir.resolve("plain-all")).getAsJsonArray("sources");
        assertEquals(dir.resolve("plain/links.csv").toAbsolutePath().toString(),
                sources.get(2).getAsJsonObject().get("path").getAsString());
        assertTrue(sources.get(2).getAsJsonObject().get("url").isJsonNull());
    }

    @Test
    void theSeedDecidesEverythingAndTheSetsAreDisjoint(@TempDir Path dir) throws IOException {
        medium().flat(dir.resolve("x"), true);
        String from = dir.resolve("x").toString();
        String[] common = {
                "--lang", "ja", "--protocol", "tn", "--n", "40", "--test-n", "30", "--mono-n", "50", "--from", from,
                "--pickle"};
        assertEquals(0, tn(concat(common, "--out", dir.resolve("a").toString())).code);
        assertEquals(0, tn(concat(common, "--out", dir.resolve("b").toString())).code);
        assertEquals(0, tn(concat(common, "--out", dir.resolve("c").toString(), "--seed", "43")).code);
        assertSameData(dir.resolve("a"), dir.resolve("b"));
        for (String f : List.of("ja_parallel_train.pkl", "ja_mono_train.pkl", "manifest.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertNotEquals(Set.copyOf(pairs(dir.resolve("a/en-ja.train.tsv"))),
                Set.copyOf(pairs(dir.resolve("c/en-ja.train.tsv"))));
        assertNotEquals(Set.copyOf(mono(dir.resolve("a/ja.txt"))), Set.copyOf(mono(dir.resolve("c/ja.txt"))));

        for (String d : List.of("a", "c")) {
            Path out = dir.resolve(d);
            List<SentencePair> train = pairs(out.resolve("en-ja.train.tsv"));
            List<SentencePair> test = pairs(out.resolve("en-ja.test.tsv"));
            List<SentencePair> nonParallel = pairs(out.resolve("en-ja.nonparallel.tsv"));
            assertEquals(40, train.size());
            assertEquals(30, test.size());
            Set<String> en = new HashSet<>();
            Set<String> ja = new HashSet<>();
            for (SentencePair p : train) assertTrue(en.add(p.en()) && ja.add(p.l2()), "a text twice: " + p);
            for (SentencePair p : test) assertTrue(en.add(p.en()) && ja.add(p.l2()), "train and test share: " + p);
            for (SentencePair p : train) assertTrue(isTranslation(p), p.toString());
            for (SentencePair p : test) assertTrue(isTranslation(p), p.toString());

            assertEquals(test.size(), nonParallel.size());
            Set<String> shuffled = new HashSet<>();
            for (int i = 0; i < test.size(); i++) {
                assertEquals(test.get(i).en(), nonParallel.get(i).en());
                assertNotEquals(test.get(i).l2(), nonParallel.get(i).l2(), "pair " + i + " kept its partner");
                assertFalse(isTranslation(nonParallel.get(i)), nonParallel.get(i).toString());
                shuffled.add(nonParallel.get(i).l2());
            }
            assertEquals(Set.copyOf(test.stream().map(SentencePair::l2).toList()), shuffled);

            List<String> jaMono = mono(out.resolve("ja.txt"));
            List<String> enMono = mono(out.resolve("en.txt"));
            assertEquals(50, jaMono.size());
            assertEquals(50, Set.copyOf(jaMono).size());
            assertEquals(50, Set.copyOf(enMono).size());
            for (String s : jaMono) assertFalse(ja.contains(s), "in a pair: " + s);
            for (String s : enMono) assertFalse(en.contains(s), "in a pair: " + s);
        }
    }

    /** The column col of a TSV file's lines, each line ending in a line break, as a .txt of them would be. */
    static String column(Path tsv, int col) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8))
            b.append(line.split("\t", -1)[col]).append('\n');
        return b.toString();
    }

    @Test
    void byDefaultTheMonolingualFilesAreThePairsSidesAsTheOriginalsAre(@TempDir Path dir) throws IOException {
        medium().flat(dir.resolve("x"), true);
        String from = dir.resolve("x").toString();
        Path out = dir.resolve("paper");
        String[] common = {"--n", "40", "--test-n", "30", "--from", from};
        Result r = tn(concat(common, "--lang", "ja", "--out", out.toString(), "--pickle"));
        assertEquals(0, r.code, r.err);

        // L2.txt is the L2 column of the train pairs, line for line (the original's ja_mono_train is its
        // ja_parallel_train's L2 column); en.txt the English one; the .test.txt files the test pairs' columns
        assertEquals(column(out.resolve("en-ja.train.tsv"), 1), Files.readString(out.resolve("ja.txt")));
        assertEquals(column(out.resolve("en-ja.train.tsv"), 0), Files.readString(out.resolve("en.txt")));
        assertEquals(column(out.resolve("en-ja.test.tsv"), 1), Files.readString(out.resolve("ja.test.txt")));
        assertEquals(column(out.resolve("en-ja.test.tsv"), 0), Files.readString(out.resolve("en.test.txt")));
        assertEquals(40, mono(out.resolve("ja.txt")).size());

        // the pickles have the original's names and types: lists of 2-tuples of str, or lists of str
        for (String f : DATA) {
            Object pickled = Pickles.load(out.resolve(PICKLES.get(f)));
            assertTrue(pickled instanceof List<?>, f);
            List<?> items = (List<?>) pickled;
            Dataset text = SentenceFiles.read(out.resolve(f), "ja");
            if (f.endsWith(".tsv")) {
                List<SentencePair> pairs = new ArrayList<>();
                for (Object item : items) {
                    Object[] tuple = assertInstanceOf(Object[].class, item, f);
                    assertEquals(2, tuple.length);
                    pairs.add(new SentencePair(assertInstanceOf(String.class, tuple[0]),
                            assertInstanceOf(String.class, tuple[1])));
                }
                assertEquals(text.parallel(), pairs, f);
            } else {
                for (Object item : items) assertInstanceOf(String.class, item, f);
                assertEquals(text.monolingual(), items, f);
            }
        }

        JsonObject params = manifest(out).getAsJsonObject("parameters");
        assertEquals("paper", params.get("protocol").getAsString());
        assertTrue(params.get("mono_n").isJsonNull());
        assertFalse(manifest(out).getAsJsonObject("counts").has("jpn_monolingual"));

        // the old option name still works; the held-out protocol changes the monolingual files only
        Path alias = dir.resolve("alias");
        assertEquals(0, tn(concat(common, "--l2", "ja", "--out", alias.toString())).code);
        assertSameData(out, alias);
        // --mono-n sized the monolingual files of earlier tn's: with the paper's protocol it is said to do nothing
        Path earlier = dir.resolve("earlier");
        r = tn(concat(common, "--lang", "ja", "--mono-n", "50", "--out", earlier.toString()));
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("warning: --mono-n has no effect with --protocol paper"), r.err);
        assertSameData(out, earlier);
        Path heldOut = dir.resolve("tn");
        assertEquals(0,
                tn(concat(common, "--lang", "ja", "--protocol", "tn", "--mono-n", "50", "--out", heldOut.toString()))
                        .code);
        for (String f : List.of("en-ja.train.tsv", "en-ja.test.tsv", "en-ja.nonparallel.tsv", "ja.test.txt")) {
            assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(heldOut.resolve(f)), f);
        }
        assertNotEquals(Files.readString(out.resolve("ja.txt")), Files.readString(heldOut.resolve("ja.txt")));

        // a folder rebuilt without --pickle loses the pickles, so it matches its manifest
        assertEquals(0, tn(concat(common, "--lang", "ja", "--out", out.toString())).code);
        for (String pkl : PICKLES.values()) assertFalse(Files.exists(out.resolve(pkl)), pkl);
    }

    /** In medium(), Japanese sentence k translates English k, and English k + 1 where k is a multiple of 10. */
    static boolean isTranslation(SentencePair p) {
        if (!p.l2().startsWith("これは")) return false;
        int ja = Integer.parseInt(p.l2().replaceAll("[^0-9]", ""));
        int en = Integer.parseInt(p.en().replaceAll("[^0-9]", ""));
        return en == ja || (ja % 10 == 0 && en == ja + 1);
    }

    @Test
    void anInterruptedDownloadIsResumedAndCachedFilesAreReused(@TempDir Path dir) throws IOException {
        Exports x = medium();
        x.publish(dir.resolve("site"));
        x.flat(dir.resolve("local"), true);
        String[] common = {"--lang", "ja", "--n", "40", "--test-n", "30"};
        Path cache = dir.resolve("cache");
        assertEquals(0,
                tn(concat(common, "--from", dir.resolve("local").toString(), "--out", dir.resolve("ref").toString()))
                        .code);
        try (Exports.Server server = new Exports.Server(dir.resolve("site"))) {
            server.cutOnce("links.tar.bz2");
            String[] run = concat(common, "--base-url", server.url(), "--cache", cache.toString(), "--out",
                    dir.resolve("web").toString());
            Result first = tn(run);
            assertEquals(Tn.EXIT_NETWORK, first.code, first.err);
            assertTrue(
                    first.err.contains("interrupted") && first.err.contains("run the same command again"), first.err);
            long partial = Files.size(cache.resolve("links.tar.bz2.part"));
            assertTrue(partial > 0);
            assertFalse(Files.exists(dir.resolve("web/manifest.json")));

            server.requests.clear();
            Result second = tn(run);
            assertEquals(0, second.code, second.err);
            assertEquals(List.of("links.tar.bz2 bytes=" + partial + "-"), server.requests,
                    "the sentences come from the cache, the links resume where they stopped");
            assertFalse(Files.exists(cache.resolve("links.tar.bz2.part")));
            assertArrayEquals(Files.readAllBytes(dir.resolve("site/links.tar.bz2")),
                    Files.readAllBytes(cache.resolve("links.tar.bz2")));
            assertSameData(dir.resolve("ref"), dir.resolve("web"));

            server.requests.clear();
            assertEquals(0, tn(run).code);
            assertEquals(List.of(), server.requests);
        }
    }

    @Test
    void badInputsAreNamedWithFileAndLine(@TempDir Path dir) throws IOException {
        String[] common = {"--lang", "ja", "--n", "2", "--test-n", "2"};
        Path plain = dir.resolve("plain");
        Exports x = tiny();
        x.jpn.set(2, "three\tjpn\t今日は雨です。");
        x.flat(plain, false);
        Result r = tn(concat(common, "--from", plain.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(r.err.contains(plain.resolve("jpn_sentences.tsv") + " line 3: the sentence id \"three\""), r.err);

        x = tiny();
        x.eng.set(0, "101\tfra\tThe cat is sleeping.");
        x.flat(plain, false);
        r = tn(concat(common, "--from", plain.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(r.err.contains("eng_sentences.tsv line 1: the language is \"fra\", expected \"eng\""), r.err);

        x = tiny();
        x.jpn.set(4, "5\tjpn\tfive\t2020-01-01");
        x.flat(plain, false);
        r = tn(concat(common, "--from", plain.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(
                r.err.contains("jpn_sentences.tsv line 5: expected 3 columns, id<TAB>lang<TAB>text, found 4"), r.err);

        x = tiny();
        x.jpn.set(0, "9\tjpn\t重複");
        x.flat(plain, false);
        r = tn(concat(common, "--from", plain.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(r.err.contains("jpn_sentences.tsv line 9: sentence id 9 appears a second time"), r.err);

        Path packed = dir.resolve("packed");
        x = tiny();
        x.links.set(4, "2 102");
        x.flat(packed, true);
        r = tn(concat(common, "--from", packed.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(r.err.contains(packed.resolve("links.tar.bz2") + " (links.csv) line 5: expected 2 columns"), r.err);

        Path broken = dir.resolve("broken");
        tiny().flat(broken, true);
        byte[] bz2 = Files.readAllBytes(broken.resolve("jpn_sentences.tsv.bz2"));
        Files.write(broken.resolve("jpn_sentences.tsv.bz2"), java.util.Arrays.copyOf(bz2, bz2.length / 2));
        r = tn(concat(common, "--from", broken.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(r.err.contains("cannot read " + broken.resolve("jpn_sentences.tsv.bz2")), r.err);

        Path bad = dir.resolve("utf8");
        tiny().flat(bad, false);
        Files.write(bad.resolve("jpn_sentences.tsv"),
                new byte[] {'1', '6', '\t', 'j', 'p', 'n', '\t', (byte) 0xff, '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        r = tn(concat(common, "--from", bad.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(r.err.contains("jpn_sentences.tsv line 16: invalid UTF-8"), r.err);

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        r = tn(concat(common, "--from", empty.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(r.err.contains("found neither jpn_sentences.tsv nor jpn_sentences.tsv.bz2"), r.err);
        assertFalse(Files.exists(dir.resolve("o")), "nothing is written on an error");
    }

    @Test
    void tooFewSentencesSaysHowMany(@TempDir Path dir) throws IOException {
        tiny().flat(dir.resolve("x"), true);
        Result r = tn("--lang", "ja", "--n", "3", "--test-n", "2", "--from", dir.resolve("x").toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(
                r.err.contains("--n 3 and --test-n 2 need 5 en-jpn pairs, and the exports give 4 (16 link lines, "
                        + "6 links between jpn and eng sentences, 5 with both sentences kept by the filter, 4 distinct, 4 once each "
                        + "text)"),
                r.err);
        r = tn("--lang", "ja", "--protocol", "tn", "--n", "2", "--test-n", "2", "--mono-n", "6", "--from",
                dir.resolve("x").toString(), "--out", dir.resolve("o").toString());
        assertEquals(Tn.EXIT_INPUT, r.code, r.err);
        assertTrue(
                r.err.contains("--mono-n 6 needs 6 outside the pairs, and the export gives 5 (11 kept by the filter, "
                        + "9 distinct, 5 in no chosen pair)"),
                r.err);
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void usageErrors(@TempDir Path dir) throws IOException {
        tiny().publish(dir.resolve("site"));
        String out = dir.resolve("o").toString();
        Result r = tn("--lang", "xx", "--out", out);
        assertEquals(Tn.EXIT_USAGE, r.code, r.err);
        assertTrue(r.err.contains("unknown language code 'xx'") && r.err.contains("ja (jpn)")
                        && r.err.contains("zh (cmn)"),
                r.err);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "en", "--out", out).code);
        r = tn("--lang", "jp", "--out", out);
        assertEquals(Tn.EXIT_USAGE, r.code, r.err);
        assertTrue(r.err.contains("unknown language code 'jp'; did you mean 'ja'?"), r.err);
        r = tn("--n", "2", "--out", out);
        assertEquals(Tn.EXIT_USAGE, r.code, r.err);
        assertTrue(r.err.contains("--lang"), r.err);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--protocol", "tn", "--mono-n", "0", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--protocol", "original", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--test-n", "1", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--min-chars", "10", "--max-chars", "9", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--links", "some", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE,
                tn("--lang", "ja", "--from", dir.toString(), "--base-url", "http://127.0.0.1:1/", "--out", out).code);
        assertEquals(Tn.EXIT_USAGE,
                tn("--lang", "ja", "--from", dir.toString(), "--cache", dir.toString(), "--out", out).code);
        assertEquals(Tn.EXIT_USAGE, tn("--lang", "ja", "--base-url", "ftp://example.org/", "--out", out).code);
        try (Exports.Server server = new Exports.Server(dir.resolve("site"))) {
            r = tn("--lang", "ko", "--base-url", server.url(), "--out", out);
            assertEquals(Tn.EXIT_INPUT, r.code, r.err);
            assertTrue(r.err.contains("per_language/kor/kor_sentences.tsv.bz2: not found (HTTP 404)"), r.err);
        }
    }

    static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[] ::new);
    }
}
