package tn.hostile;

import net.razorvine.pickle.Pickler;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.io.Npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second round of hostile inputs, in this JVM but where said: control characters in paths
 * (which would reach batch scripts), state files changed after tn wrote them, outputs onto the
 * command's own inputs or into the system's folders, sentence files in UTF-16 or with old Mac
 * line ends, pickles with float indices, classes tn does not read or a memo that expands a small
 * file into gigabytes, GGUF strings with escape sequences, negative standard errors, a corrupt
 * stability.json, compressed files that inflate without end, and tn overlap's table on stdout.
 * Each refusal has the exit code of its kind (2 for a setting, 3 for an input), a message naming
 * the file or option, nothing on stdout and no output left behind.
 */
class HostileSecondRoundTest {
    @TempDir
    static Path tmp;
    static String model;
    static Path ja, pairs, centroids, detect, detect2;
    static int outs;

    static final String[] JA = {
            "猫がソファの上で寝ています。", "駅はどこですか？", "今日は雨です。", "私はお茶が好きです。"};

    @BeforeAll
    static void runs() throws IOException {
        model = TestModels.file(TestModels.SPM).toString();
        ja = Files.writeString(tmp.resolve("ja.txt"), String.join("\n", JA) + "\n");
        pairs = Files.writeString(tmp.resolve("en-ja.tsv"),
                "The cat sleeps.\t猫が寝ています。\nWhere is the station?\t駅はどこですか？\n"
                        + "It rains today.\t今日は雨です。\nI like tea.\t私はお茶が好きです。\n");
        centroids = centroids("c", ja).resolve("centroids.npy");
        detect = detect("d", ja);
        detect2 = detect("d2", Files.writeString(tmp.resolve("ja2.txt"), JA[2] + "\n" + JA[0] + "\n"));
    }

    static Path centroids(String name, Path sentences, String... more) {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("centroids", "--model", model, "--type", "type2", "--lang", "ja",
                "--sentences", sentences.toString(), "--out", out.toString(), "--threads", "1", "-q"));
        args.addAll(List.of(more));
        TnCli.run(args.toArray(String[] ::new)).expect(0);
        return out;
    }

    static Path detect(String name, Path sentences) {
        Path out = tmp.resolve(name);
        TnCli.run("detect", "--model", model, "--type", "type2", "--lang", "ja", "--top-n", "20", "--centroids",
                     centroids.toString(), "--sentences", sentences.toString(), "--out", out.toString(), "--threads",
                     "1", "--bootstrap", "0", "-q")
                .expect(0);
        return out;
    }

    static Path out() {
        return tmp.resolve("out-" + (++outs));
    }

    static List<String> centroidsOf(Path sentences) {
        return List.of("centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences",
                sentences.toString(), "--threads", "1", "-q");
    }

    /** Runs tn with args (--out appended) and asserts the refusal and that no output was left. */
    static void refused(String what, int code, List<String> args, String... says) throws IOException {
        Path out = out();
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", out.toString()));
        Hostile.refused(what, Hostile.tn(all.toArray(String[] ::new)), code, says);
        Hostile.nothingLeft(what, out);
    }

    /** Every file below dir and its bytes, to show that a refused command changed nothing. */
    static List<String> contents(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String bytes = Files.isRegularFile(p) ? " " + Arrays.hashCode(Files.readAllBytes(p)) : "";
                all.add(dir.relativize(p) + bytes);
            }
        }
        return all;
    }

    // 1. control characters in paths: a newline would end a batch script's line and run the rest
    @Test
    void pathsWithControlCharactersAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path marker = tmp.resolve("injected");
        String injected = tmp.resolve("o") + "\ntouch " + marker + "\n";
        List<String[]> cases = List.of(
                new String[] {"slurm", "centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences",
                        ja.toString(), "--out", injected, "--shards", "2"},
                new String[] {"study", "--model", model, "--langs", "ja", "--pairs", pairs.toString(), "--sentences",
                        ja.toString(), "--executor", "slurm", "--out", injected},
                new String[] {"centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences",
                        ja.toString(), "--out", tmp.resolve("o\u001b[2Jx").toString()});
        for (String[] c : cases) usage(c[0] + " with a control character in --out", Hostile.tn(c), "--out");
        List<String> sentences = new ArrayList<>(centroidsOf(tmp.resolve("ja\n.txt")));
        sentences.addAll(List.of("--out", tmp.resolve("o-sentences").toString()));
        usage("a newline in --sentences", Hostile.tn(sentences.toArray(String[] ::new)), "--sentences");
        assertFalse(Files.exists(marker), "the injected command ran");
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.map(p -> p.getFileName().toString())
                               .noneMatch(n -> n.matches("(?s)o(\\s.*|\u001b.*|-sentences)?")),
                    "nothing made for --out");
        }
    }

    // 2. state files carry a checksum: flipped bits that leave every value finite are refused, not resumed
    @Test
    void checkpointsAndShardStatesChangedAfterWritingAreRefused() throws IOException {
        Path s1 = centroids("state-1", ja, "--shard", "1/2"), s2 = centroids("state-2", ja, "--shard", "2/2");
        Path state = s2.resolve("shard-state.bin");
        byte[] good = Files.readAllBytes(state);
        Files.write(state, flipLastSum(good));
        Path merged = out();
        Hostile.refused("merge of a changed shard state",
                Hostile.tn("merge", "--out", merged.toString(), s1.toString(), s2.toString()), 3, state.toString(),
                "checksum does not match");
        Hostile.nothingLeft("merge of a changed shard state", merged);
        Files.write(state, good);
        TnCli.run("merge", "--out", merged.toString(), s1.toString(), s2.toString()).expect(0);

        // shard 2/2's finished state is its checkpoint, the same format: resumed, it would finish the run
        Path resumed = Files.createDirectories(tmp.resolve("resumed"));
        Path checkpoint = resumed.resolve("checkpoint-centroids.bin");
        Files.write(checkpoint, flipLastSum(good));
        List<String> shard2 = new ArrayList<>(centroidsOf(ja));
        shard2.addAll(List.of("--shard", "2/2", "--resume", "--out", resumed.toString()));
        Hostile.refused("a changed checkpoint", Hostile.tn(shard2.toArray(String[] ::new)), 3, checkpoint.toString(),
                "checksum does not match");
        assertFalse(Files.exists(resumed.resolve("run.json")), "nothing resumed");
        Files.write(checkpoint, good);
        TnCli.run(shard2.toArray(String[] ::new)).expect(0);
        assertArrayEquals(good, Files.readAllBytes(resumed.resolve("shard-state.bin")), "resumed from the good one");
    }

    /**
     * Asserts picocli's refusal of a value (exit 2), naming the option, with the path's control
     * character escaped: the message is one line, and nothing on stdout.
     */
    static void usage(String what, TnCli.Result r, String option) {
        assertEquals(2, r.code(), what + ": " + r.err());
        assertEquals("", r.out(), what);
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains(option) && first.contains("it holds a control character"), what + ": " + r.err());
        assertFalse(r.err().contains("\ntouch") || r.err().contains("\u001b"), what + ": raw: " + r.err());
    }

    /** The state with the lowest bit of its last sum flipped: still finite, a tiny bit off. */
    static byte[] flipLastSum(byte[] state) {
        byte[] b = state.clone();
        b[b.length - 5] ^= 1; // the last double's least significant byte, before the 4-byte checksum
        return b;
    }

    // 3. an output onto an input of the same command
    @Test
    void anOutputOntoTheCommandsOwnInputsIsRefusedBeforeReading() throws IOException {
        Path s1 = centroids("onto-1", ja, "--shard", "1/2"), s2 = centroids("onto-2", ja, "--shard", "2/2");
        List<String> before = contents(s1), centroidsBefore = contents(centroids.getParent()),
                     detectBefore = contents(detect);
        Hostile.refused("merge into a shard",
                Hostile.tn("merge", "--out", s1.toString(), s1.toString(), s2.toString()), 2, "--out " + s1,
                "is " + s1, "SHARD_DIR");
        Hostile.refused("detect into the centroids' folder",
                Hostile.tn("detect", "--model", model, "--type", "type2", "--lang", "ja", "--top-n", "5",
                        "--centroids", centroids.toString(), "--sentences", ja.toString(), "--out",
                        centroids.getParent().toString(), "-q"),
                2, "holds " + centroids, "--centroids");
        Hostile.refused("compare into a run",
                Hostile.tn("compare", detect2.toString(), detect.toString(), "--out", detect.toString()), 2,
                "--out " + detect, "(RUN)");
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-d"), detect);
        Hostile.refused("compare into a link to a run",
                Hostile.tn("compare", detect2.toString(), detect.toString(), "--out", link.toString()), 2,
                "--out " + link + " (" + detect.toRealPath() + ")");
        Hostile.refused("--out /", Hostile.tn("overlap", detect.resolve("ranking.tsv").toString(),
                                           detect2.resolve("ranking.tsv").toString(), "--top-n", "5", "--out", "/"),
                2, "--out / is a system folder");
        assertEquals(before, contents(s1), "the shard is untouched");
        assertEquals(centroidsBefore, contents(centroids.getParent()), "the centroids' run is untouched");
        assertEquals(detectBefore, contents(detect), "the run is untouched");
        // tn slurm's own layout stays allowed: the merge writes OUT from the shards in OUT/shards/K
        Path out = tmp.resolve("layout");
        Path k1 = centroids("layout/shards/1", ja, "--shard", "1/2"), k2 = centroids("layout/shards/2", ja, "--shard",
                "2/2");
        TnCli.run("merge", "--out", out.toString(), k1.toString(), k2.toString()).expect(0);
        assertTrue(Files.exists(out.resolve("centroids.npy")));
    }

    // 4. NULs and UTF-16
    @Test
    void sentenceFilesWithNulsOrInUtf16() throws IOException {
        String text = String.join("\n", JA) + "\n";
        Path noBom = Files.write(
                tmp.resolve("utf16-no-bom.txt"), "Hello.\nGood night.\n".getBytes(StandardCharsets.UTF_16LE));
        refused("UTF-16 without a BOM", 3, centroidsOf(noBom), noBom + " line 1", "NUL byte", "UTF-16");
        Path noBomJa = Files.write(tmp.resolve("utf16-no-bom-ja.txt"), text.getBytes(StandardCharsets.UTF_16LE));
        refused("Japanese in UTF-16 without a BOM", 3, centroidsOf(noBomJa), noBomJa + " line 1", "UTF-16");
        Path nuls = Files.write(tmp.resolve("nuls.txt"), (JA[0] + "\n\0\0\0\0\n").getBytes(StandardCharsets.UTF_8));
        refused("a line of NULs", 3, centroidsOf(nuls), nuls + " line 2", "NUL");
        // with its byte order mark, UTF-16 is read as what it is: the same centroids as from UTF-8
        for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write("\ufeff".getBytes(charset));
            b.write(text.getBytes(charset));
            Path f = Files.write(tmp.resolve("utf16-" + charset.name() + ".txt"), b.toByteArray());
            Path c = centroids("c-" + charset.name(), f);
            assertArrayEquals(Npy.readFloat32(centroids).data(), Npy.readFloat32(c.resolve("centroids.npy")).data(),
                    charset.name());
        }
    }

    // 5. old Mac line ends: each CR ends a sentence, as LF and CRLF do
    @Test
    void loneCarriageReturnsEndLines() throws IOException {
        Path cr = Files.writeString(tmp.resolve("cr.txt"), String.join("\r", JA) + "\r");
        Path mixed = Files.writeString(tmp.resolve("mixed.txt"), JA[0] + "\r\n" + JA[1] + "\r" + JA[2] + "\n" + JA[3]);
        for (Path f : List.of(cr, mixed)) {
            Path c = centroids("c-" + f.getFileName(), f);
            assertArrayEquals(Npy.readFloat32(centroids).data(), Npy.readFloat32(c.resolve("centroids.npy")).data(),
                    f.getFileName() + ": four sentences, as in ja.txt");
        }
    }

    // 6. a pickled ranking's indices are ints
    @Test
    void pickledRankingsWithFloatIndicesAreRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pickles"));
        Path floats = Files.write(dir.resolve("floats.pkl"),
                new Pickler().dumps(List.of(new Object[] {0.5, 1}, new Object[] {1.9, 2})));
        Path index = Files.write(dir.resolve("index.pkl"),
                new Pickler().dumps(List.of(new Object[] {1, 2}, new Object[] {2, 3.0})));
        List<String> similarity = List.of("similarity", "--model", model, "--pairs", pairs.toString(), "--top-n", "2",
                "--threads", "1", "-q", "--deactivate");
        refused("float layers", 3, with(similarity, floats.toString()), floats + " entry 0", "layer 0.5 is not an int");
        refused("a float neuron", 3, with(similarity, index.toString()), index + " entry 1",
                "neuron 3.0 is not an int");
    }

    // 7. GGUF strings are shown with their control characters escaped
    @Test
    void modelInfoEscapesControlCharactersOfTheMetadata() throws IOException {
        GgufImage g = GgufImage.read(TestModels.file(TestModels.SPM));
        g.set("general.name", GgufImage.STRING, "evil\nsha256           forged\u001b[2J\u0007");
        Path file = g.write(tmp.resolve("escapes.gguf"));
        TnCli.Result r = Hostile.tn("model", "info", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("name             evil\\nsha256           forged\\u001b[2J\\u0007\n"), r.out());
        assertTrue(r.out().chars().noneMatch(c -> c == 0x1b || c == 0x07), "no control character reaches the terminal");
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("sha256")).count(), "no forged line\n" + r.out());
    }

    // 8 and 13: compare refuses negative standard errors and says what is wrong with a corrupt stability.json
    @Test
    void compareRefusesNegativeStandardErrorsAndACorruptStability() throws IOException {
        Npy.Array scores = Npy.readFloat32(detect.resolve("scores.npy"));
        float[] se = scores.data().clone();
        int nFf = scores.shape()[1], negative = -1;
        for (int i = 0; i < se.length; i++) {
            if (Float.isNaN(se[i])) continue;
            se[i] = 0.01f;
            if (negative < 0) negative = i;
        }
        se[negative] = -0.01f;
        Path run = copy(detect, "negative-se");
        Npy.writeFloat32(run.resolve("scores_se.npy"), se, scores.shape());
        refused("a negative standard error", 3, List.of("compare", detect2.toString(), run.toString()),
                run.resolve("scores_se.npy") + ": standard error -0.01 at layer " + negative / nFf + ", neuron "
                        + negative % nFf,
                "never negative");
        Path corrupt = copy(detect, "corrupt-stability");
        Files.writeString(corrupt.resolve("stability.json"), "{\"bootstrap\": {\"replicates\": 1");
        refused("a truncated stability.json", 3, List.of("compare", detect2.toString(), corrupt.toString()),
                "corrupt " + corrupt.resolve("stability.json"), "End of input");
    }

    static Path copy(Path run, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(run)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        return dir;
    }

    // 9. tn overlap without --out prints its table (in a process of its own: System.exit follows at once)
    @Test
    void overlapWithoutOutPrintsItsTable() throws Exception {
        List<String> overlap = Hostile.javaCommand(Tn.class, "overlap", detect.resolve("ranking.tsv").toString(),
                detect2.resolve("ranking.tsv").toString(), "--top-n", "5");
        TnCli.Result r = Hostile.Child.start(overlap).await("overlap", 120);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("transfer neurons (A): "), "the table on stdout:\n" + r.out());
        assertTrue(r.out().contains("\nB: "), r.out());
    }

    // 10. a pickle whose memo names one 100 kB string 100,000 times: 10 GB of text from 300 kB
    @Test
    void aPickleThatExpandsWithoutBoundIsRefusedQuickly() throws IOException {
        Path bomb = Files.write(tmp.resolve("bomb.pkl"), memoBomb(100_000, 100_000));
        long t0 = System.nanoTime();
        refused("a memo bomb", 3, centroidsOf(bomb), bomb.toString(), "expands to more than");
        assertTrue(System.nanoTime() - t0 < 30e9, "refused in seconds");
        // a shared string within bounds is as many sentences as it is referenced: tokenized once, counted each time
        Path shared = Files.write(tmp.resolve("shared.pkl"), memoBomb(3, 0));
        Path same = Files.writeString(tmp.resolve("same.txt"), "a\na\na\n");
        assertArrayEquals(Npy.readFloat32(centroids("c-same", same).resolve("centroids.npy")).data(),
                Npy.readFloat32(centroids("c-shared", shared).resolve("centroids.npy")).data());
        // and an object of a class tn does not read is named, without the pickle library's advice
        Path global = Files.write(tmp.resolve("global.pkl"),
                "cos\nsystem\n(S'touch x'\ntR.".getBytes(StandardCharsets.ISO_8859_1));
        refused("a class", 3, centroidsOf(global), global.toString(), "object of class 'os.system'",
                "tn does not read");
    }

    /** A pickled list of n references to one str of length extra + 1 ("a" then extra "b"s), through the memo. */
    static byte[] memoBomb(int n, int extra) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 4, ']', '('}); // PROTO 4, EMPTY_LIST, MARK
        byte[] s = ("a" + "b".repeat(extra)).getBytes(StandardCharsets.US_ASCII);
        b.write('X'); // BINUNICODE
        b.writeBytes(new byte[] {(byte) s.length, (byte) (s.length >> 8), (byte) (s.length >> 16), 0});
        b.writeBytes(s);
        b.writeBytes(new byte[] {'q', 0}); // BINPUT 0
        for (int i = 1; i < n; i++) b.writeBytes(new byte[] {'h', 0}); // BINGET 0
        b.writeBytes(new byte[] {'e', '.'}); // APPENDS, STOP
        return b.toByteArray();
    }

    // 11. compressed input that inflates without end, and a table too long to show
    @Test
    void compressedInputIsReadWithinBounds() throws IOException {
        Path exports = Files.createDirectories(tmp.resolve("tatoeba"));
        Files.write(exports.resolve("eng_sentences.tsv.bz2"), compressed(true, 20 << 20));
        Files.write(exports.resolve("jpn_sentences.tsv.bz2"), compressed(true, 0));
        Files.writeString(exports.resolve("links.csv"), "1\t2\n2\t1\n");
        Path eng = exports.resolve("eng_sentences.tsv.bz2");
        refused("tatoeba sentences on one endless line", 3,
                List.of("data", "tatoeba", "--l2", "ja", "--from", exports.toString(), "-q"), eng.toString(),
                "a line longer than 16.8 MB");

        Path questions = Files.write(tmp.resolve("q.jsonl.gz"), compressed(false, 20 << 20));
        refused("questions on one endless line", 3,
                List.of("qa", "--model", model, "--questions", questions.toString(), "--lang", "ja", "--threads",
                        "1", "-q"),
                questions.toString(), "a line longer than 16.8 MB");

        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(results.resolve("good.tsv"), "a\tb\n1\t2\n");
        try (OutputStream o = Files.newOutputStream(results.resolve("long.tsv"))) {
            byte[] x = new byte[1 << 20];
            Arrays.fill(x, (byte) 'x');
            for (int i = 0; i < 20; i++) o.write(x);
        }
        Path page = tmp.resolve("report.html");
        TnCli.Result r = Hostile.tn("report", results.toString(), "--out", page.toString());
        assertEquals(0, r.code(), "a table that cannot be shown costs that table, not the page: " + r.err());
        String html = Files.readString(page);
        assertTrue(html.contains("not shown: " + results.resolve("long.tsv") + ": a line longer than"), html);
        assertTrue(html.contains("<td class=\"num\">2</td>"), "the other table is shown");
    }

    /** A bzip2 (or gzip) file of a tab-free line of n bytes, or of one Tatoeba sentence when n is 0. */
    static byte[] compressed(boolean bzip2, int n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = bzip2 ? new BZip2CompressorOutputStream(b) : new GZIPOutputStream(b)) {
            if (n == 0) o.write("1\tjpn\t猫\n".getBytes(StandardCharsets.UTF_8));
            byte[] x = new byte[1 << 20];
            Arrays.fill(x, (byte) 'x');
            for (int i = 0; i < n; i += x.length) o.write(x);
        }
        return b.toByteArray();
    }

    // 12. pseudo-filesystems and system folders are no output folders
    @Test
    void systemFoldersAndPseudoFilesystemsAreRefusedAsOutputs() throws IOException {
        String[][] cases = {{"/proc", "--out /proc is a system folder"},
                {"/proc/tn-out", "--out /proc/tn-out is on a pseudo-filesystem (proc)"},
                {"/sys/kernel/tn", "is on a pseudo-filesystem (sysfs)"}, {"/etc", "--out /etc is a system folder"},
                {"/usr/share/tn", "is a system folder"}};
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(centroidsOf(ja));
            args.addAll(List.of("--out", c[0]));
            Hostile.refused("--out " + c[0], Hostile.tn(args.toArray(String[] ::new)), 2, c[1]);
        }
        assertFalse(Files.exists(Path.of("/proc/tn-out")));
    }

    // 13. a vocabulary of millions is refused before ggml reads it (it took 72 s and 5 GB to fail)
    @Test
    void aHugeVocabularyIsRefusedBeforeLoading() throws IOException {
        GgufImage g = GgufImage.read(TestModels.file(TestModels.SPM));
        List<Object> tokens = new ArrayList<>((List<?>) g.kv.get("tokenizer.ggml.tokens").value());
        for (int i = tokens.size(); i <= 1 << 21; i++) tokens.add("t" + i);
        g.kv.put("tokenizer.ggml.tokens", GgufImage.Value.array(GgufImage.STRING, tokens));
        Path big = g.write(tmp.resolve("huge-vocabulary.gguf"));
        long t0 = System.nanoTime();
        List<String> args = List.of("centroids", "--model", big.toString(), "--type", "type2", "--lang", "ja",
                "--sentences", ja.toString(), "-q");
        refused("2,097,153 tokens", 3, args, big.toString(),
                "metadata 'tokenizer.ggml.tokens' is an array of 2,097,153 elements");
        assertTrue(System.nanoTime() - t0 < 20e9, "refused before ggml reads it");
    }

    static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
