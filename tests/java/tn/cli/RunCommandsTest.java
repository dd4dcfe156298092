package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tn.TestModels;
import tn.data.ReferencePickles;
import tn.io.Npy;
import tn.llama.Neuron;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn centroids and tn detect end to end on a synthetic model: every input format, outputs, errors. */
class RunCommandsTest {
    static final String[][] PAIRS = {
            {"The cat is sleeping on the sofa.", "猫がソファの上で寝ています。"},
            {"Where is the station?", "駅はどこですか？"},
            {"It is raining today.", "今日は雨が降っています。"},
            {"I drink coffee every morning.", "私は毎朝コーヒーを飲みます。"},
    };

    /** tn in this JVM, quietly. */
    static TnCli.Result tn(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--quiet");
        return TnCli.run(all.toArray(String[] ::new));
    }

    static String model() {
        return TestModels.file(TestModels.SPM).toString();
    }

    /** The same pairs (or their L2 side) in every format. */
    static Map<String, Path> files(Path dir) throws IOException {
        StringBuilder tsv = new StringBuilder(), pairsJsonl = new StringBuilder(), txt = new StringBuilder(),
                      monoJsonl = new StringBuilder();
        List<Object[]> pairTuples = new ArrayList<>();
        List<String> mono = new ArrayList<>();
        for (String[] p : PAIRS) {
            tsv.append(p[0]).append('\t').append(p[1]).append("\n\n");
            pairsJsonl.append("{\"en\": \"").append(p[0]).append("\", \"ja\": \"").append(p[1]).append("\"}\n");
            txt.append(p[1]).append('\n');
            monoJsonl.append("{\"text\": \"").append(p[1]).append("\"}\n");
            pairTuples.add(new Object[] {p[0], p[1]});
            mono.add(p[1]);
        }
        Files.writeString(dir.resolve("pairs.tsv"), tsv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("pairs.jsonl"), pairsJsonl, StandardCharsets.UTF_8);
        Files.write(dir.resolve("pairs.pkl"), new Pickler().dumps(pairTuples));
        Files.writeString(dir.resolve("ja.txt"), txt, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ja.jsonl"), monoJsonl, StandardCharsets.UTF_8);
        Files.write(dir.resolve("ja.pkl"), new Pickler().dumps(mono));
        return Map.of("pairs.tsv", dir.resolve("pairs.tsv"), "ja.txt", dir.resolve("ja.txt"));
    }

    @Test
    void everyFormatGivesTheSameResults(@TempDir Path dir) throws IOException {
        files(dir);
        float[] type1 = null;
        for (String f : new String[] {"pairs.tsv", "pairs.jsonl", "pairs.pkl"}) {
            Path out = dir.resolve("c1-" + f);
            TnCli.Result r = tn("centroids", "--model", model(), "--type", "type1", "--lang", "ja", "--sentences",
                    dir.resolve(f).toString(), "--out", out.toString(), "--batch", "3");
            assertEquals(0, r.code(), r.err());
            Npy.Array c = Npy.readFloat32(out.resolve("centroids.npy"));
            assertArrayEquals(new int[] {4, 64}, c.shape());
            if (type1 == null)
                type1 = c.data();
            else
                assertArrayEquals(type1, c.data(), f);
        }
        Path centroids = dir.resolve("c1-pairs.tsv/centroids.npy");
        String ranking = null;
        for (String f : new String[] {"ja.txt", "ja.jsonl", "ja.pkl"}) {
            Path out = dir.resolve("d1-" + f);
            TnCli.Result r = tn("detect", "--model", model(), "--type", "type1", "--lang", "ja", "--top-n", "20",
                    "--centroids", centroids.toString(), "--sentences", dir.resolve(f).toString(), "--out",
                    out.toString(), "--export-pickle");
            assertEquals(0, r.code(), r.err());
            String tsv = Files.readString(out.resolve("ranking.tsv"));
            if (ranking == null)
                ranking = tsv;
            else
                assertEquals(ranking, tsv, f);

            List<String> lines = Files.readAllLines(out.resolve("ranking.tsv"));
            assertEquals("rank\tlayer\tneuron\tscore\trank_p5\trank_p95", lines.get(0));
            assertEquals(21, lines.size());
            List<Neuron> top = ReferencePickles.readTopNeurons(out.resolve("ja_type1_top20.pkl"));
            Map<Neuron, Double> dict = ReferencePickles.readScoreDict(out.resolve("ja_type1_top20_score_dict.pkl"));
            Npy.Array scores = Npy.readFloat32(out.resolve("scores.npy"));
            assertArrayEquals(new int[] {4, 96}, scores.shape());
            for (int k = 0; k < 20; k++) {
                String[] cols = lines.get(k + 1).split("\t");
                Neuron n = new Neuron(Integer.parseInt(cols[1]), Integer.parseInt(cols[2]));
                assertEquals(String.valueOf(k + 1), cols[0]);
                assertEquals(n, top.get(k));
                assertEquals(Double.parseDouble(cols[3]), dict.get(n));
                assertEquals((float) Double.parseDouble(cols[3]), scores.data()[n.layer() * 96 + n.index()]);
                assertTrue(n.layer() < 3, "type1 candidates of a 4-layer model are layers 0..2");
            }
            for (int i = 0; i < 96; i++) assertTrue(Float.isNaN(scores.data()[3 * 96 + i]));
            // the dict holds every candidate neuron (layers 0..2), in layer and neuron order, as the original's
            List<Neuron> keys = new ArrayList<>(dict.keySet());
            assertEquals(3 * 96, keys.size());
            for (int k = 0; k < keys.size(); k++) {
                assertEquals(new Neuron(k / 96, k % 96), keys.get(k));
                assertEquals(scores.data()[k], dict.get(keys.get(k)).floatValue(), "scores.npy holds the same means");
            }

            JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
            assertEquals("detect", run.get("command").getAsString());
            assertEquals(64, run.getAsJsonObject("model").get("sha256").getAsString().length());
            assertEquals(4, run.getAsJsonObject("dataset").get("items_used").getAsInt());
            assertEquals("0:3", run.getAsJsonObject("parameters").get("layers").getAsString());
            assertEquals("0-2: CPU", run.getAsJsonObject("run").get("scoring_on").getAsString());
            assertTrue(run.getAsJsonObject("timings").get("forward_s").getAsDouble() > 0);
        }
    }

    @Test
    void layersOverrideAndTypeTwo(@TempDir Path dir) throws IOException {
        files(dir);
        Path c2 = dir.resolve("c2");
        assertEquals(0,
                tn("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences",
                        dir.resolve("ja.txt").toString(), "--out", c2.toString(), "--last-layer", "raw")
                        .code());
        Path d2 = dir.resolve("d2");
        assertEquals(0,
                tn("detect", "--model", model(), "--type", "type2", "--lang", "ja", "--top-n", "5", "--centroids",
                        c2.resolve("centroids.npy").toString(), "--sentences", dir.resolve("ja.txt").toString(),
                        "--out", d2.toString(), "--layers", "1:4")
                        .code());
        for (String line : Files.readAllLines(d2.resolve("ranking.tsv")).subList(1, 6)) {
            int layer = Integer.parseInt(line.split("\t")[1]);
            assertTrue(layer >= 1 && layer < 4, line);
        }
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing(@TempDir Path dir) throws IOException {
        files(dir);
        Path out = dir.resolve("out");
        TnCli.Result r = tn("centroids", "--model", model(), "--type", "type1", "--lang", "ja", "--sentences",
                dir.resolve("ja.txt").toString(), "--out", out.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("ja.txt holds monolingual sentences"), r.err());

        r = tn("detect", "--model", model(), "--type", "type1", "--lang", "ja", "--top-n", "5", "--centroids",
                "nowhere.npy", "--sentences", dir.resolve("pairs.tsv").toString(), "--out", out.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());

        // centroids of another model
        Path other = dir.resolve("other.gguf");
        new SyntheticModel(4, 32, 48, 4, 2, Vocabulary.LLAMA_SPM, 1, FileType.F32).write(other);
        Path c = dir.resolve("c-other");
        assertEquals(0,
                tn("centroids", "--model", other.toString(), "--type", "type2", "--lang", "ja", "--sentences",
                        dir.resolve("ja.txt").toString(), "--out", c.toString())
                        .code());
        r = tn("detect", "--model", model(), "--type", "type1", "--lang", "ja", "--top-n", "5", "--centroids",
                c.resolve("centroids.npy").toString(), "--sentences", dir.resolve("ja.txt").toString(), "--out",
                out.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("do not fit") && r.err().contains("[4, 64]"), r.err());

        r = tn("detect", "--model", model(), "--type", "type1", "--lang", "ja", "--top-n", "100000", "--centroids",
                c.resolve("centroids.npy").toString(), "--sentences", dir.resolve("ja.txt").toString(), "--out",
                out.toString());
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertEquals(Tn.EXIT_USAGE,
                tn("centroids", "--model", model(), "--type", "type3", "--lang", "ja", "--sentences",
                        dir.resolve("ja.txt").toString(), "--out", out.toString())
                        .code());

        Path tooLong = dir.resolve("long.txt");
        Files.writeString(tooLong,
                "short\n"
                        + "word ".repeat(100) + "\n");
        r = tn("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences", tooLong.toString(),
                "--out", out.toString(), "--ctx", "32", "--strict");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("long.txt line 2") && r.err().contains("longer than the context"), r.err());
        assertFalse(Files.exists(out.resolve("centroids.npy")));
        assertFalse(Files.exists(out.resolve("scores.npy")));
        assertFalse(Files.exists(out.resolve("run.json")));

        // without --strict the long sentence is skipped and counted
        assertEquals(0,
                tn("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences",
                        tooLong.toString(), "--out", out.toString(), "--ctx", "32")
                        .code());
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertEquals(1, run.getAsJsonObject("dataset").get("skipped_too_long").getAsInt());
        assertEquals(1, run.getAsJsonObject("dataset").get("items_used").getAsInt());
    }

    @Test
    void helpExplainsEveryOption() {
        for (String cmd : new String[] {"centroids", "detect"}) {
            StringWriter out = new StringWriter();
            CommandLine cl = Tn.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(0, cl.execute(cmd, "--help"));
            for (String option : new String[] {"--threads", "--batch", "--ctx", "--gpu-layers", "--last-layer",
                         "--resume", "--quiet", "--strict", "--checkpoint-every", "--model", "--type", "--lang",
                         "--sentences", "--out"}) {
                assertTrue(out.toString().contains(option), cmd + " --help lacks " + option);
            }
        }
    }
}
