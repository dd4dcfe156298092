package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn compare on real detection runs: a run against itself, and inputs it must refuse. */
class CompareCommandTest {
    static final Path PAIRS = Path.of("data/demo/en-ja.tsv");
    static final Path JA = Path.of("data/demo/ja.txt");

    @TempDir
    static Path dir;
    static Path detect1;

    @BeforeAll
    static void detection() {
        detect1 = detect(TestModels.file(TestModels.SPM), "type1", "spm-type1");
    }

    /** Centroids and detection of one type on a model; returns the detection folder. */
    static Path detect(Path model, String type, String name) {
        Path centroids = dir.resolve(name + "-centroids");
        Path detect = dir.resolve(name + "-detect");
        assertEquals(0,
                TnCli.run("centroids", "--model", model.toString(), "--type", type, "--lang", "ja", "--sentences",
                             (type.equals("type1") ? PAIRS : JA).toString(), "--out", centroids.toString(), "--quiet")
                        .code());
        assertEquals(0,
                TnCli.run("detect", "--model", model.toString(), "--type", type, "--lang", "ja", "--top-n", "20",
                             "--centroids", centroids.resolve("centroids.npy").toString(), "--sentences", JA.toString(),
                             "--out", detect.toString(), "--quiet")
                        .code());
        return detect;
    }

    @Test
    void aRunComparedWithItselfAgreesCompletely() throws IOException {
        Path out = dir.resolve("self");
        TnCli.Result r = TnCli.run("compare", detect1.toString(), detect1.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("compare.json"))).getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("runs").size());
        for (var run : json.getAsJsonArray("runs")) {
            JsonObject o = run.getAsJsonObject();
            assertEquals(1.0, o.get("spearman").getAsDouble());
            assertEquals(1.0, o.get("kendall").getAsDouble());
            for (String k : o.getAsJsonObject("top_k").keySet()) {
                assertEquals(1.0, o.getAsJsonObject("top_k").getAsJsonObject(k).get("overlap").getAsDouble(), k);
                assertEquals(1.0, o.getAsJsonObject("top_k").getAsJsonObject(k).get("jaccard").getAsDouble(), k);
            }
        }
        // 4 layers: type1 candidates are layers 0..2 (split round(4*20/32) = 3) of 96 neurons; k = 1000 caps to 288
        assertEquals(288, json.get("candidate_neurons").getAsInt());
        assertTrue(json.getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("top_k").has("288"));
        List<String> tsv = Files.readAllLines(out.resolve("compare.tsv"), StandardCharsets.UTF_8);
        assertEquals(3, tsv.size());
        assertTrue(tsv.get(0).startsWith("run\tfile_type\tbits_per_weight\tlang\tspearman\tkendall\toverlap@10"),
                tsv.get(0));
        for (String png : List.of("layers.png", "agreement_vs_bpw.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertEquals(1000, img.getWidth(), png);
            assertTrue(distinctColours(img) > 5, png + " looks blank");
        }
    }

    @Test
    void runsOfDifferentModelsAreRefused() {
        Path other = TestModels.file(new SyntheticModel(3, 64, 96, 4, 2, Vocabulary.LLAMA_SPM, 7, FileType.F32));
        Path otherDetect = detect(other, "type1", "other-model");
        TnCli.Result r = TnCli.run("compare", detect1.toString(), otherDetect.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("runs of different models"), r.err());
    }

    @Test
    void runsOfDifferentTypesAreRefused() {
        Path type2 = detect(TestModels.file(TestModels.SPM), "type2", "spm-type2");
        TnCli.Result r = TnCli.run("compare", detect1.toString(), type2.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("different transfer types"), r.err());
    }

    @Test
    void brokenRunFoldersNameTheProblem() throws IOException {
        Path noScores = copy(detect1, "no-scores");
        Files.delete(noScores.resolve("scores.npy"));
        TnCli.Result r = TnCli.run("compare", detect1.toString(), noScores.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("missing " + noScores.resolve("scores.npy")), r.err());

        Path corrupt = copy(detect1, "corrupt");
        Files.writeString(corrupt.resolve("run.json"), "{\"command\": \"detect\", \"model\": {");
        r = TnCli.run("compare", detect1.toString(), corrupt.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("corrupt " + corrupt.resolve("run.json")), r.err());

        Path noField = copy(detect1, "no-field");
        String json = Files.readString(noField.resolve("run.json")).replace("\"n_ff\"", "\"n_ff_renamed\"");
        Files.writeString(noField.resolve("run.json"), json);
        r = TnCli.run("compare", detect1.toString(), noField.toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("field 'model.n_ff' is missing"), r.err());

        r = TnCli.run("compare", detect1.toString(), dir.resolve("spm-type1-centroids").toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("'centroids' run"), r.err());

        r = TnCli.run("compare", detect1.toString(), dir.resolve("nowhere").toString());
        assertEquals(Tn.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("no such directory"), r.err());
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }

    static Path copy(Path run, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (var files = Files.list(run)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    static long distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        }
        return colours.size();
    }
}
