package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import picocli.CommandLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.OverlapTest;
import tn.llama.Neuron;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn overlap on a real detection's ranking.tsv (the synthetic model, its run.json telling n_ff)
 * against a hand-made language_specific.tsv whose shared neurons are known; neuron lists with
 * --n-ff; and the errors.
 */
class OverlapCommandTest {
    static final int N_FF = 96, N_LAYER = 4, TOP_N = 20;

    @TempDir
    static Path dir;
    static Path ranking;
    static List<Neuron> ranked;

    @BeforeAll
    static void detect() throws IOException {
        String model = TestModels.file(TestModels.SPM).toString();
        Path c = dir.resolve("centroids"), d = dir.resolve("detect");
        TnCli.Result r = RunCommandsTest.tn("centroids", "--model", model, "--type", "type2", "--lang", "ja",
                "--sentences", "data/demo/ja.txt", "--out", c.toString());
        assertEquals(0, r.code(), r.err());
        r = RunCommandsTest.tn("detect", "--model", model, "--type", "type2", "--lang", "ja", "--top-n", "30",
                "--centroids", c.resolve("centroids.npy").toString(), "--sentences", "data/demo/ja.txt", "--out",
                d.toString(), "--layers", "0:4");
        assertEquals(0, r.code(), r.err());
        ranking = d.resolve("ranking.tsv");
        ranked = new ArrayList<>();
        for (String line : Files.readAllLines(ranking).subList(1, 31)) {
            String[] f = line.split("\t");
            ranked.add(new Neuron(Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
    }

    /** ja: 10 of the top 20 and 5 neurons outside the top 30; nl: ranks 21..23, so none of the top 20. */
    static Path languageSpecific(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.copy(ranking.resolveSibling("run.json"), folder.resolve("run.json"));
        StringBuilder b = new StringBuilder("language\tlayer\tneuron\tentropy\tprobability\tshare\n");
        for (Neuron n : ja())
            b.append("ja\t").append(n.layer()).append('\t').append(n.index()).append("\t0.1\t0.9\t0.9\n");
        for (Neuron n : ranked.subList(20, 23))
            b.append("nl\t").append(n.layer()).append('\t').append(n.index()).append("\t0.1\t0.9\t0.9\n");
        Path f = folder.resolve("language_specific.tsv");
        Files.writeString(f, b.toString());
        return f;
    }

    static Set<Neuron> ja() {
        Set<Neuron> ja = new TreeSet<>(ranked.subList(0, 20).stream().filter(n -> ranked.indexOf(n) % 2 == 0).toList());
        for (int i = 0; ja.size() < 15; i++) {
            Neuron n = new Neuron(i % N_LAYER, i);
            if (!ranked.contains(n)) ja.add(n);
        }
        return ja;
    }

    @Test
    void perLayerCountsExpectationsAndPValues() throws IOException {
        Path lape = languageSpecific(dir.resolve("lape"));
        Path out = dir.resolve("overlap");
        TnCli.Result r = TnCli.run("overlap", ranking.toString(), lape.toString(), "--top-n", String.valueOf(TOP_N),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());

        assertTrue(r.out().contains("B: ja-specific neurons of " + lape + " (15)"), r.out());
        assertTrue(r.out().matches("(?s).*\n   all      20      15      10 .*"), r.out());
        List<String> rows = Files.readAllLines(out.resolve("overlap.tsv"));
        assertEquals("set\tlayer\ttransfer\tcompared\tshared\texpected\tp_value", rows.get(0));
        assertEquals(1 + 2 * (N_LAYER + 1), rows.size());
        Set<Neuron> top = Set.copyOf(ranked.subList(0, TOP_N));
        Set<Neuron> nl = Set.copyOf(ranked.subList(20, 23));
        checkRows(rows.subList(1, 6), "ja", top, ja());
        checkRows(rows.subList(6, 11), "nl", top, nl);
        assertTrue(rows.get(5).startsWith("ja\tall\t20\t15\t10\t"), rows.get(5));
        assertTrue(rows.get(10).startsWith("nl\tall\t20\t3\t0\t"), rows.get(10));
        assertTrue(rows.get(10).endsWith("\t1.0"), rows.get(10));

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("overlap.json"))).getAsJsonObject();
        assertEquals(N_FF, json.get("n_ff").getAsInt());
        assertEquals(N_LAYER, json.get("n_layer").getAsInt());
        assertEquals(TOP_N, json.getAsJsonObject("transfer").get("size").getAsInt());
        assertEquals("ja", json.getAsJsonArray("comparisons").get(0).getAsJsonObject().get("label").getAsString());
        assertEquals(10,
                json.getAsJsonArray("comparisons")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("total")
                        .get("shared")
                        .getAsInt());
        for (String png : new String[] {"overlap_1_ja.png", "overlap_2_nl.png"}) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertEquals(1000, image.getWidth(), png);
        }

        r = TnCli.run("overlap", ranking.toString(), lape.toString(), "--top-n", String.valueOf(TOP_N), "--lang", "nl",
                "--out", dir.resolve("overlap-nl").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + N_LAYER + 1, Files.readAllLines(dir.resolve("overlap-nl/overlap.tsv")).size());
    }

    /** Each layer's row against counts made here and the textbook hypergeometric tail. */
    private static void checkRows(List<String> rows, String set, Set<Neuron> a, Set<Neuron> b) {
        for (int l = 0; l < N_LAYER; l++) {
            int layer = l;
            int inA = (int) a.stream().filter(n -> n.layer() == layer).count();
            int inB = (int) b.stream().filter(n -> n.layer() == layer).count();
            int both = (int) a.stream().filter(n -> n.layer() == layer && b.contains(n)).count();
            String[] f = rows.get(l).split("\t");
            assertEquals(
                    List.of(set, String.valueOf(l), String.valueOf(inA), String.valueOf(inB), String.valueOf(both)),
                    List.of(f).subList(0, 5), rows.get(l));
            assertEquals(inA * inB / (double) N_FF, Double.parseDouble(f[5]), 1e-12);
            assertEquals(OverlapTest.naiveTail(inA, inB, N_FF, both), Double.parseDouble(f[6]), 1e-12);
        }
    }

    @Test
    void neuronListsWithNFf(@TempDir Path lists) throws IOException {
        Path a = lists.resolve("a.tsv"), b = lists.resolve("b.tsv");
        Files.writeString(a, "layer\tneuron\n0\t1\n0\t2\n3\t95\n");
        Files.writeString(b, "layer\tneuron\n0\t2\n3\t95\n3\t94\n");
        TnCli.Result r = TnCli.run(
                "overlap", a.toString(), b.toString(), "--n-ff", "96", "--out", lists.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(lists.resolve("out/overlap.tsv"));
        assertEquals(6, rows.size()); // layers 0..3, the highest listed, and the total
        assertTrue(rows.get(5).contains("\tall\t3\t3\t2\t"), rows.get(5));

        r = TnCli.run("overlap", a.toString(), b.toString());
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("give --n-ff"), r.err());
        r = TnCli.run("overlap", a.toString(), b.toString(), "--n-ff", "95");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("a.tsv: neuron (3, 95) does not exist"), r.err());
    }

    @Test
    void errorsNameTheFileAndExitWithTheRightCode(@TempDir Path d) throws IOException {
        Path lape = languageSpecific(d.resolve("lape"));
        // the run.json beside a file and --n-ff disagree, or two run.json files do
        TnCli.Result r = TnCli.run("overlap", ranking.toString(), lape.toString(), "--top-n", "5", "--n-ff", "50");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("records n_ff 96, but --n-ff is 50"), r.err());
        Path other = d.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("run.json"), "{\"model\": {\"n_layer\": 4, \"n_ff\": 50}}");
        Path list = other.resolve("deactivated.tsv");
        Files.writeString(list, "layer\tneuron\n0\t1\n");
        r = TnCli.run("overlap", ranking.toString(), list.toString(), "--top-n", "5");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains(other.resolve("run.json") + " records n_ff 50"), r.err());

        Path bad = d.resolve("bad.tsv");
        Files.writeString(bad, "layer\tneuron\n0\t1\n0\tx\n");
        r = TnCli.run("overlap", ranking.toString(), bad.toString(), "--top-n", "5", "--n-ff", "96");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("bad.tsv:3: "), r.err());
        Files.writeString(bad, "layer\tneuron\n0\t1\n\n0\t1\n");
        r = TnCli.run("overlap", ranking.toString(), bad.toString(), "--top-n", "5", "--n-ff", "96");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("bad.tsv:4: neuron (0, 1) is listed twice"), r.err());
        Files.writeString(bad, "neuron\tlayer\n");
        r = TnCli.run("overlap", ranking.toString(), bad.toString(), "--top-n", "5");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("bad.tsv:1: not a ranking.tsv"), r.err());

        r = TnCli.run("overlap", ranking.toString(), lape.toString()); // the paper's 1000, or all 30 listed
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top 30 of"), r.out());
        r = TnCli.run("overlap", ranking.toString(), lape.toString(), "--top-n", "31");
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--top-n must be 1..30"), r.err());
        r = TnCli.run("overlap", lape.toString(), ranking.toString(), "--top-n", "5");
        assertEquals(Tn.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("holds the neurons of 2 languages (ja, nl)"), r.err());
        r = TnCli.run("overlap", ranking.toString(), lape.toString(), "--top-n", "5", "--lang", "ko");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("has no neurons for language ko (it has: ja, nl)"), r.err());
        r = TnCli.run("overlap", ranking.toString(), d.resolve("missing.tsv").toString(), "--top-n", "5");
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("missing.tsv: no such file"), r.err());
    }
}
