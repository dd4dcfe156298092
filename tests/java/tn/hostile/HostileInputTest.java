package tn.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.TnCli;
import tn.io.Npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile inputs other than model files, through the commands that read them, in this JVM:
 * sentence files, centroids (.npy), rankings, run folders of the wrong type, language or model,
 * detection scores that are infinite or all equal, and every numeric option out of range. Each
 * ends with the exit code its kind of fault has (2 for an option, 3 for an input), a message
 * naming the file and the line, column or field, nothing on stdout and no output folder.
 */
class HostileInputTest {
    @TempDir
    static Path tmp;
    static String model;
    static Path ja, pairs, centroidsJa, centroidsKo, centroidsType1, detectJa, detectKo;
    static int outs;
    static final Path REASONING = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning", "sample");

    @BeforeAll
    static void runs() throws IOException {
        model = TestModels.file(TestModels.SPM).toString();
        ja = Files.writeString(
                tmp.resolve("ja.txt"), "猫がソファの上で寝ています。\n駅はどこですか？\n今日は雨です。\n");
        pairs = Files.writeString(tmp.resolve("en-ja.tsv"),
                "The cat sleeps.\t猫が寝ています。\nWhere is the station?\t駅はどこですか？\n"
                        + "It rains today.\t今日は雨です。\nI like tea.\t私はお茶が好きです。\n");
        centroidsJa = centroids("type2", "ja", ja);
        centroidsKo = centroids("type2", "ko", ja); // the same sentences, recorded as Korean: only the record differs
        centroidsType1 = centroids("type1", "ja", pairs);
        detectJa = detect("ja", centroidsJa);
        detectKo = detect("ko", centroidsKo);
    }

    static Path centroids(String type, String lang, Path data) {
        Path out = tmp.resolve("centroids-" + type + "-" + lang);
        TnCli.run("centroids", "--model", model, "--type", type, "--lang", lang, "--sentences", data.toString(),
                     "--out", out.toString(), "--threads", "1", "-q")
                .expect(0);
        return out.resolve("centroids.npy");
    }

    static Path detect(String lang, Path centroids) {
        Path out = tmp.resolve("detect-" + lang);
        TnCli.run("detect", "--model", model, "--type", "type2", "--lang", lang, "--top-n", "40", "--centroids",
                     centroids.toString(), "--sentences", ja.toString(), "--out", out.toString(), "--threads", "1",
                     "--bootstrap", "0", "-q")
                .expect(0);
        return out;
    }

    static Path out() {
        return tmp.resolve("out-" + (++outs));
    }

    /** Runs tn with args (--out appended) and asserts the refusal and that no output was left. */
    static void refused(String what, int code, List<String> args, String... says) throws IOException {
        Path out = out();
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", out.toString()));
        Hostile.refused(what, Hostile.tn(all.toArray(String[] ::new)), code, says);
        Hostile.nothingLeft(what, out);
    }

    static List<String> detectWith(Path centroids, String type, String lang) {
        return List.of("detect", "--model", model, "--type", type, "--lang", lang, "--top-n", "10", "--centroids",
                centroids.toString(), "--sentences", ja.toString(), "--threads", "1", "-q");
    }

    static List<String> similarityOff(Path ranking, int topN) {
        return List.of("similarity", "--model", model, "--pairs", pairs.toString(), "--deactivate", ranking.toString(),
                "--top-n", String.valueOf(topN), "--threads", "1", "-q");
    }

    @Test
    void centroidsOfAnotherTypeLanguageOrModelAreRefusedByDetect() throws IOException {
        refused("type1 centroids in a type2 detection", 3, detectWith(centroidsType1, "type2", "ja"),
                "transfer type is type1", "field 'parameters.type'", "this needs type2");
        refused("ja centroids in a ko detection", 3, detectWith(centroidsJa, "type2", "ko"), "language is ja",
                "field 'parameters.lang'", "this needs ko");
        Path other = tmp.resolve("other-model/centroids.npy");
        Files.createDirectories(other.getParent());
        Files.copy(centroidsJa, other);
        Files.writeString(other.resolveSibling("run.json"),
                Files.readString(centroidsJa.resolveSibling("run.json"))
                        .replaceFirst("\"sha256\": \"[0-9a-f]{64}\"",
                                "\"sha256\": \""
                                        + "0".repeat(64) + "\""));
        refused("centroids of another model", 3, detectWith(other, "type2", "ja"), "model (sha256) is 0000",
                "field 'model.sha256'");
    }

    @Test
    void centroidFilesThatCannotBeScoredAgainst() throws IOException {
        Npy.Array good = Npy.readFloat32(centroidsJa);
        int layers = good.shape()[0], embd = good.shape()[1];
        float[] zero = good.data().clone();
        Arrays.fill(zero, embd, 2 * embd, 0f);
        float[] nan = good.data().clone();
        nan[3] = Float.NaN;
        float[] inf = good.data().clone();
        inf[embd + 1] = Float.NEGATIVE_INFINITY;
        Path dir = Files.createDirectories(tmp.resolve("npy"));
        Npy.writeFloat32(dir.resolve("zero.npy"), zero, layers, embd);
        Npy.writeFloat32(dir.resolve("nan.npy"), nan, layers, embd);
        Npy.writeFloat32(dir.resolve("inf.npy"), inf, layers, embd);
        Npy.writeFloat32(dir.resolve("shape.npy"), Arrays.copyOf(good.data(), embd), 1, embd);
        byte[] bytes = Files.readAllBytes(centroidsJa);
        Files.write(dir.resolve("truncated.npy"), Arrays.copyOf(bytes, bytes.length - 7));
        Files.write(dir.resolve("notnpy.npy"), "{\"not\": \"numpy\"}".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("int.npy"), header("<i4", "(" + layers + ", " + embd + ")", 4L * layers * embd));
        Files.write(dir.resolve("fortran.npy"), withFortran(bytes));
        Files.write(dir.resolve("negative.npy"), header("<f4", "(-4, -64)", 4L * layers * embd));
        Files.write(dir.resolve("huge.npy"), header("<f4", "(2147483647, 2147483647)", 64));
        String[][] cases = {{"zero.npy", "the centroid of layer 1 is all zeros"},
                {"nan.npy", "the centroid of layer 0 holds NaN"},
                {"inf.npy", "the centroid of layer 1 holds -Infinity"},
                {"shape.npy", "centroids of shape [1, " + embd + "]"}, {"truncated.npy", "truncated or corrupt"},
                {"notnpy.npy", "is not a .npy file"}, {"int.npy", "dtype '<i4' is not supported"},
                {"fortran.npy", "Fortran-order arrays are not supported"}, {"negative.npy", "has a negative size"},
                {"huge.npy", "holds more values than tn reads"}};
        for (String[] c : cases) {
            Path npy = dir.resolve(c[0]); // no run.json beside them: only the values are checked
            refused("centroids " + c[0], 3, detectWith(npy, "type2", "ja"), npy.toString(), c[1]);
        }
    }

    /** An .npy file (format 1.0) with this dtype and shape, and dataBytes zero bytes of data. */
    static byte[] header(String descr, String shape, long dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate((int) (10 + h.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    static byte[] withFortran(byte[] npy) {
        String s = new String(npy, StandardCharsets.ISO_8859_1)
                           .replace("'fortran_order': False", "'fortran_order': True ");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rankingsThatLieAboutTheirOrderOrRepeatANeuron() throws IOException {
        List<String> lines = Files.readAllLines(detectJa.resolve("ranking.tsv"));
        String header = lines.get(0);
        Path dir = Files.createDirectories(tmp.resolve("rankings"));
        Files.copy(detectJa.resolve("run.json"), dir.resolve("run.json")); // a detection's record beside them
        String[] r1 = lines.get(1).split("\t"), r2 = lines.get(2).split("\t");
        String[][] cases = {
                {"duplicate.tsv",
                        header + "\n" + lines.get(1) + "\n" + lines.get(2) + "\n3\t" + r1[1] + "\t" + r1[2] + "\t"
                                + r2[3] + "\n",
                        "duplicate.tsv:4: neuron (" + r1[1] + ", " + r1[2] + ") is ranked again (first at line 2)"},
                {"reordered.tsv", header + "\n" + lines.get(2) + "\n" + lines.get(1) + "\n",
                        "reordered.tsv:2: rank 2 where rank 1 comes next"},
                {"gap.tsv", header + "\n" + lines.get(1) + "\n3\t1\t2\t-1\n",
                        "gap.tsv:3: rank 3 where rank 2 comes next"},
                {"rising.tsv", header + "\n" + lines.get(1) + "\n2\t1\t2\t1e9\n",
                        "rising.tsv:3: score 1.0E9 is higher than the score of rank 1"},
                {"nan.tsv", header + "\n" + lines.get(1) + "\n2\t1\t2\tNaN\n", "nan.tsv:3: column 'score' is 'NaN'"},
                {"letters.tsv", header + "\n1\tone\t2\t0.5\n", "letters.tsv:2: column 'layer' is 'one'"},
                {"negative.tsv", header + "\n1\t1\t-2\t0.5\n", "negative.tsv:2: column 'neuron' is '-2'"},
                {"short.tsv", header + "\n1\t1\n", "short.tsv:2: expected rank, layer, neuron and score"},
                {"empty.tsv", header + "\n", "empty.tsv: no neurons listed"},
                {"header.tsv", "layer\tneuron\tscore\n1\t2\t0.5\n", "header.tsv:1: not a ranking.tsv"},
                {"outside.tsv", header + "\n1\t1\t99999\t0.5\n", "neuron (1, 99999) does not exist in this model"}};
        for (String[] c : cases) {
            Path f = Files.writeString(dir.resolve(c[0]), c[1]);
            refused("ranking " + c[0] + " in similarity", 3, similarityOff(f, 1), c[2]);
        }
        Path dup = dir.resolve("duplicate.tsv");
        refused("a duplicate in specificity", 3,
                List.of("specificity", "--model", model, "--ranking", dup.toString(), "--top-n", "3", "--sentences",
                        "ja=" + ja + ",ko=" + ja, "--threads", "1", "-q"),
                "is ranked again");
        Hostile.refused("a duplicate in overlap",
                Hostile.tn("overlap", dup.toString(), detectJa.resolve("ranking.tsv").toString(), "--top-n", "3"), 3,
                "is ranked again");
        // a ranking detected on a model of another shape
        Path wide = Files.createDirectories(tmp.resolve("wide"));
        Files.copy(detectJa.resolve("ranking.tsv"), wide.resolve("ranking.tsv"));
        Files.writeString(wide.resolve("run.json"),
                Files.readString(detectJa.resolve("run.json")).replaceFirst("\"n_ff\": \\d+", "\"n_ff\": 14336"));
        refused("a ranking of another model", 3, similarityOff(wide.resolve("ranking.tsv"), 5),
                "model's MLP width (n_ff) is 14336", "this needs " + TestModels.SPM.ff());
    }

    @Test
    void compareRefusesRunsThatCannotBeCompared() throws IOException {
        refused("ja against ko", 3, List.of("compare", detectJa.toString(), detectKo.toString()),
                "runs of different languages");
        Path inf = copyRun(detectJa, "inf");
        float[] s = Npy.readFloat32(inf.resolve("scores.npy")).data();
        int[] shape = Npy.readFloat32(inf.resolve("scores.npy")).shape();
        int firstScored = 0;
        while (Float.isNaN(s[firstScored])) firstScored++;
        s[firstScored] = Float.POSITIVE_INFINITY;
        Npy.writeFloat32(inf.resolve("scores.npy"), s, shape);
        refused("infinite scores", 3, List.of("compare", detectJa.toString(), inf.toString()),
                "scores.npy: Infinity at layer");
        Path flat = copyRun(detectJa, "flat");
        float[] f = Npy.readFloat32(flat.resolve("scores.npy")).data();
        for (int i = 0; i < f.length; i++)
            if (!Float.isNaN(f[i])) f[i] = 0f;
        Npy.writeFloat32(flat.resolve("scores.npy"), f, shape);
        refused("every score equal", 3, List.of("compare", detectJa.toString(), flat.toString(), "--top-n", "10"),
                "gives every candidate neuron the score 0.0");
        Path noParams = copyRun(detectJa, "no-params");
        Files.writeString(noParams.resolve("run.json"),
                Files.readString(noParams.resolve("run.json")).replaceFirst("\"n_params\": \\d+", "\"n_params\": 0"));
        refused("no parameters", 3, List.of("compare", detectJa.toString(), noParams.toString()),
                "'model.n_params' must be positive");
        refused("a top-n of 0", 2, List.of("compare", detectJa.toString(), "--top-n", "0"), "--top-n must be positive");
    }

    static Path copyRun(Path run, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run-" + name));
        try (Stream<Path> files = Files.list(run)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        return dir;
    }

    /** Every walk over a JSON tree recurses: JSON nested a million deep must be refused, not overflow the stack. */
    @Test
    void jsonNestedTooDeeplyIsRefused() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("deep-run"));
        Files.writeString(run.resolve("run.json"),
                "{\"a\": ".repeat(200_000) + "1"
                        + "}".repeat(200_000));
        refused("report of a deep run.json", 3, List.of("report", run.toString()), run.resolve("run.json").toString(),
                "Nesting limit 64 reached");
        refused("compare with a deep run.json", 3, List.of("compare", run.toString(), detectJa.toString()),
                run.resolve("run.json").toString(), "Nesting limit 64 reached");
    }

    @Test
    void sentenceFilesThatAreNotText() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("sentences"));
        Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', (byte) 0xe9, '\n'});
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        Files.writeString(dir.resolve("blank.txt"), "\n   \n\t\n");
        Files.writeString(dir.resolve("broken.jsonl"), "{\"text\": \"ok\"}\n{\"text\": \n");
        Files.writeString(dir.resolve("nulls.jsonl"), "{\"text\": null}\n");
        Files.writeString(dir.resolve("deep.jsonl"),
                "{\"text\": "
                        + "[".repeat(100_000) + "]".repeat(100_000) + "}\n");
        Files.writeString(dir.resolve("garbage.pkl"), "this is no pickle");
        Files.createDirectories(dir.resolve("folder.txt"));
        Path fifo = dir.resolve("pipe.txt");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        String[][] cases = {{"latin1.txt", "line 1: invalid UTF-8"}, {"empty.txt", "empty.txt"},
                {"blank.txt", "blank.txt"},
                {"broken.jsonl", "broken.jsonl line 2: invalid JSON (End of input at column 10)"},
                {"nulls.jsonl", "nulls.jsonl line 1"},
                {"deep.jsonl", "deep.jsonl line 1: invalid JSON (Nesting limit 64 reached"},
                {"garbage.pkl", "not a readable Python pickle"}, {"folder.txt", "is a directory, not a file"},
                {"pipe.txt", "a FIFO (named pipe), not a regular file"}, {"missing.txt", "no such file"}};
        for (String[] c : cases) {
            Path f = dir.resolve(c[0]);
            refused("sentences " + c[0], 3,
                    List.of("centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences",
                            f.toString(), "--threads", "1", "-q"),
                    f.getFileName().toString(), c[1]);
        }
    }

    @Test
    void numericOptionsOutOfRangeAreUsageErrors() throws IOException {
        List<String> centroids = List.of(
                "centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences", ja.toString(), "-q");
        Object[][] cases = {{"--threads", "-1", "--threads must be 0..512"},
                {"--threads", "100000", "--threads must be 0..512"}, {"--batch", "0", "--batch must be 1..256"},
                {"--batch", "257", "--batch must be 1..256"}, {"--ctx", "0", "--ctx must be at least 8"},
                {"--ctx", "1000000000",
                        "more than " + TestModels.file(TestModels.SPM).getFileName() + " was trained for"},
                {"--gpu-layers", "-2", "--gpu-layers must be -1 (all) or 0..513"},
                {"--gpu-layers", "100000", "--gpu-layers must be -1 (all) or 0..513"},
                {"--checkpoint-every", "-1", "--checkpoint-every must be 0..86400"},
                {"--checkpoint-every", "1000000", "--checkpoint-every must be 0..86400"}};
        for (Object[] c : cases) {
            List<String> args = new ArrayList<>(centroids);
            args.add((String) c[0]);
            args.add((String) c[1]);
            refused(c[0] + " " + c[1], 2, args, (String) c[2]);
        }
        String[][] others = {{"detect --top-n 0", "--top-n must be positive"},
                {"detect --top-n 2000000000", "is more than the"},
                {"detect --top-n 10 --blocks 0", "--blocks must be 1.."},
                {"detect --top-n 10 --bootstrap -1", "--bootstrap must be 0.."},
                {"mknn --k 0", "--k must be at least 1"},
                {"qa --max-new-tokens 0", "--max-new-tokens must be at least 1"},
                {"lape --filter-rate 2", "--filter-rate must be in (0, 1]"},
                {"lape --top-rate NaN", "--top-rate must be in (0, 1]"},
                {"latent --pca-sentences -1", "--pca-sentences must be at least 2"},
                {"similarity --baseline 2000000000", "--baseline must be 1.."},
                {"reasoning --limit -1", "--limit must be >= 0"},
                {"reasoning --max-new-tokens 100000", "leaves no room for the prompt"}};
        for (String[] c : others) {
            String[] cmd = c[0].split(" ");
            List<String> args = new ArrayList<>(switch (cmd[0]) {
                case "detect" ->
                    List.of("detect", "--model", model, "--type", "type2", "--lang", "ja", "--centroids",
                            centroidsJa.toString(), "--sentences", ja.toString());
                case "mknn" -> List.of("mknn", "--model", model, "--pairs", pairs.toString());
                case "qa" ->
                    List.of("qa", "--model", model, "--questions",
                            Files.writeString(tmp.resolve("q.jsonl"),
                                         "{\"question\": \"Why?\", \"answers\": [\"because\"], \"lang\": \"ja\"}\n")
                                    .toString(),
                            "--lang", "ja");
                case "lape", "latent" -> List.of(cmd[0], "--model", model, "--sentences", "ja=" + ja + ",ko=" + ja);
                case "similarity" ->
                    List.of("similarity", "--model", model, "--pairs", pairs.toString(), "--deactivate",
                            detectJa.resolve("ranking.tsv").toString(), "--top-n", "5");
                case "reasoning" ->
                    List.of("reasoning", "--model", model, "--lang", "ja", "--test",
                            REASONING.resolve("test.parquet").toString(), "--fewshot",
                            REASONING.resolve("validation.parquet").toString());
                default -> throw new IllegalStateException(cmd[0]);
            });
            args.addAll(List.of(cmd).subList(1, cmd.length));
            args.addAll(List.of("--threads", "1", "-q"));
            refused(c[0], 2, args, c[1]);
        }
        String[][] offline = {{"qa-compare --thresholds 2", "--thresholds: 2.0 is not an F1 in [0, 1]"},
                {"qa-compare --thresholds 0.5,0.8,0.5", "--thresholds lists 0.5 twice"},
                {"qa-compare --thresholds ,", "--thresholds names no threshold"},
                {"data tatoeba --n 0", "--n must be at least 1"},
                {"data tatoeba --test-n 1", "--test-n must be at least 2"},
                {"data tatoeba --max-chars 3", "--max-chars (3) must not be below --min-chars (5)"}};
        for (String[] c : offline) {
            String[] cmd = c[0].split(" ");
            List<String> args = new ArrayList<>(cmd[0].equals("qa-compare")
                            ? List.of("qa-compare", tmp.toString(), tmp.toString(), tmp.toString())
                            : List.of("data", "tatoeba", "--l2", "ja", "--from", tmp.toString()));
            args.addAll(List.of(cmd).subList(cmd[0].equals("data") ? 2 : 1, cmd.length));
            refused(c[0], 2, args, c[1]);
        }
        for (String[] c : new String[][] {{"--layers", "513"}, {"--layers", "0"}, {"--embd", "2000000000"},
                     {"--ff", "0"}, {"--heads", "0"}}) {
            Path file = tmp.resolve("synth-" + c[0].substring(2) + c[1] + ".gguf");
            Hostile.refused("synth " + c[0] + " " + c[1],
                    Hostile.tn("model", "synth", "--out", file.toString(), c[0], c[1]), 2, c[0]);
            Hostile.nothingLeft("synth " + c[0] + " " + c[1], file);
        }
        Path q = tmp.resolve("q8.gguf");
        Hostile.refused("quantize --threads",
                Hostile.tn("model", "quantize", model, q.toString(), "--type", "Q8_0", "--threads", "-1"), 2,
                "--threads must be 0..512");
        Hostile.nothingLeft("quantize --threads", q);
    }

    @Test
    void aContextThatDoesNotFitInMemoryIsRefusedBeforeAllocating() throws IOException {
        GgufImage g = GgufImage.read(TestModels.file(TestModels.SPM));
        g.set("llama.context_length", GgufImage.U32, (long) Integer.MAX_VALUE); // trained for anything
        Path big = g.write(tmp.resolve("long-context.gguf"));
        refused("--ctx of a billion tokens", 2,
                List.of("centroids", "--model", big.toString(), "--type", "type2", "--lang", "ja", "--sentences",
                        ja.toString(), "--ctx", "1000000000", "-q"),
                "a context of 1000000000 tokens (--ctx) needs about", "of memory available; lower --ctx");
        assertTrue(Files.exists(big));
    }
}
