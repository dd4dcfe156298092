package tn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.io.Npy;
import tn.method.Ranking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stability.json against what a user computes from separate runs: detect on a file, then on its
 * even-indexed and its odd-indexed sentences alone; the split-half Spearman and top-k overlaps
 * taken from those two scores.npy equal the file's (relative 1e-6). And reproducibility, and
 * perfect agreement for one sentence repeated.
 */
class StabilityCommandTest {
    @TempDir
    static Path dir;
    static Path centroids, sentences;

    @BeforeAll
    static void setUp() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String lang : List.of("ja", "ko", "nl", "it"))
            lines.addAll(Files.readAllLines(Path.of("data/demo/" + lang + ".txt")));
        sentences = Files.write(dir.resolve("all.txt"), lines);
        TnCli.run("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences",
                     sentences.toString(), "--out", dir.resolve("c").toString(), "--quiet")
                .expect(0);
        centroids = dir.resolve("c/centroids.npy");
    }

    static String model() {
        return TestModels.file(TestModels.SPM).toString();
    }

    static Path detect(Path file, String name, String... more) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(
                List.of("detect", "--model", model(), "--type", "type2", "--lang", "ja", "--top-n", "20", "--centroids",
                        centroids.toString(), "--sentences", file.toString(), "--out", out.toString(), "--quiet"));
        args.addAll(List.of(more));
        TnCli.run(args.toArray(String[] ::new)).expect(0);
        return out;
    }

    static JsonObject stability(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("stability.json"))).getAsJsonObject();
    }

    /** The scored (non-NaN) values of scores.npy, as a user reads them. */
    static double[] scored(Path run) {
        float[] s = Npy.readFloat32(run.resolve("scores.npy")).data();
        return IntStream.range(0, s.length).filter(i -> !Float.isNaN(s[i])).mapToDouble(i -> s[i]).toArray();
    }

    @Test
    void splitHalfEqualsSeparateRunsOnEvenAndOddSentences() throws IOException {
        Path whole = detect(sentences, "whole");
        List<String> lines = Files.readAllLines(sentences), even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) (i % 2 == 0 ? even : odd).add(lines.get(i));
        double[] a = scored(detect(Files.write(dir.resolve("even.txt"), even), "even"));
        double[] b = scored(detect(Files.write(dir.resolve("odd.txt"), odd), "odd"));

        JsonObject split = stability(whole).getAsJsonObject("split_half");
        double rho = new SpearmansCorrelation().correlation(a, b);
        assertEquals(rho, split.get("spearman").getAsDouble(), 1e-6 * Math.abs(rho));
        int[] oa = Ranking.order(a), ob = Ranking.order(b);
        for (int k : new int[] {10, 100, 1000}) {
            int kk = Math.min(k, a.length), common = 0;
            if (kk > a.length / 2) { // an overlap of most of the candidates is near 1 by construction: not reported
                assertTrue(split.getAsJsonObject("top_k_overlap").get(String.valueOf(kk)) == null, "top-" + kk);
                continue;
            }
            java.util.Set<Integer> top = new java.util.HashSet<>();
            for (int p = 0; p < kk; p++) top.add(oa[p]);
            for (int p = 0; p < kk; p++)
                if (top.contains(ob[p])) common++;
            assertEquals((double) common / kk,
                    split.getAsJsonObject("top_k_overlap").get(String.valueOf(kk)).getAsDouble(), 1e-6, "top-" + kk);
        }
        assertTrue(rho < 0.999, "two halves of different sentences disagree somewhat: " + rho);
    }

    @Test
    void theBootstrapIsReproducibleAndFollowsTheSeed() throws IOException {
        JsonObject first = stability(detect(sentences, "seed7a", "--seed", "7", "--bootstrap", "50"));
        JsonObject again = stability(detect(sentences, "seed7b", "--seed", "7", "--bootstrap", "50"));
        JsonObject other = stability(detect(sentences, "seed8", "--seed", "8", "--bootstrap", "50"));
        assertEquals(first.get("bootstrap"), again.get("bootstrap"));
        assertTrue(!first.get("bootstrap").equals(other.get("bootstrap")), "another seed, another resample");
        assertEquals(Files.readString(dir.resolve("seed7a/ranking.tsv")),
                Files.readString(dir.resolve("seed7b/ranking.tsv")));
    }

    @Test
    void oneSentenceRepeatedAgreesPerfectly() throws IOException {
        List<String> same = new ArrayList<>();
        for (int i = 0; i < 40; i++) same.add("猫がソファの上で寝ています。");
        Path run = detect(Files.write(dir.resolve("same.txt"), same), "same");
        JsonObject s = stability(run);
        assertEquals(1.0, s.getAsJsonObject("split_half").get("spearman").getAsDouble());
        s.getAsJsonObject("split_half")
                .getAsJsonObject("top_k_overlap")
                .entrySet()
                .forEach(e -> assertEquals(1.0, e.getValue().getAsDouble(), e.getKey()));
        JsonObject boot = s.getAsJsonObject("bootstrap");
        assertEquals(1.0, boot.getAsJsonObject("spearman").get("p5").getAsDouble());
        boot.getAsJsonObject("top_k_overlap")
                .entrySet()
                .forEach(e -> assertEquals(1.0, e.getValue().getAsJsonObject().get("p5").getAsDouble(), e.getKey()));
        List<String> rows = Files.readAllLines(run.resolve("ranking.tsv"));
        assertEquals("rank\tlayer\tneuron\tscore\trank_p5\trank_p95", rows.get(0));
        for (int r = 1; r < rows.size(); r++) {
            String[] f = rows.get(r).split("\t");
            assertEquals(r, Double.parseDouble(f[4]));
            assertEquals(r, Double.parseDouble(f[5]));
        }
        float[] se = Npy.readFloat32(run.resolve("scores_se.npy")).data();
        for (float x : se) assertTrue(Float.isNaN(x) || Math.abs(x) < 1e-6, "se " + x);
    }
}
