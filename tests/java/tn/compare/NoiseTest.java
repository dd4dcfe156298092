package tn.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.TnCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compare's sampling-noise columns on hand-made detect folders whose figures are known exactly:
 * a reference with a bootstrap and standard errors, a run that agrees within its noise, one that
 * swaps its top neurons away (beyond), and one neuron moved by exactly 5 standard errors.
 */
class NoiseTest {
    static final int LAYERS = 2, NFF = 100;

    /** A detect folder whose layer 1 (layer 0 is no candidate) scores layer1, every standard error se. */
    static Path folder(Path dir, String name, float[] layer1, float se, Double p5Spearman, Double p5Top10) {
        float[] scores = new float[LAYERS * NFF], ses = new float[LAYERS * NFF];
        java.util.Arrays.fill(scores, Float.NaN);
        java.util.Arrays.fill(ses, Float.NaN);
        for (int i = 0; i < NFF; i++) {
            scores[NFF + i] = layer1[i];
            ses[NFF + i] = se;
        }
        return DetectFolder.write(dir, name, LAYERS, NFF, "1:2", scores, ses,
                p5Spearman == null ? null : new DetectFolder.Bootstrap(p5Spearman, p5Top10));
    }

    @Test
    void runsAreWithinOrBeyondTheReferencesNoiseAndMovedNeuronsAreListed(@TempDir Path dir) throws IOException {
        float[] ref = new float[NFF];
        for (int i = 0; i < NFF; i++) ref[i] = NFF - i; // neuron 0 first
        Path reference = folder(dir, "F32", ref, 0.1f, 0.99, 0.8);

        float[] same = ref.clone();
        same[50] += 5 * (float) Math.sqrt(0.1 * 0.1 + 0.1 * 0.1) + 0.01f; // just past 5 combined standard errors
        Path within = folder(dir, "Q8_0", same, 0.1f, null, null);

        float[] swapped = ref.clone();
        for (int i = 0; i < 3; i++) { // the top 3 fall to the bottom: top-10 overlap 0.7
            swapped[i] = ref[NFF - 1 - i];
            swapped[NFF - 1 - i] = ref[i];
        }
        Path beyond = folder(dir, "Q2_K", swapped, 0.1f, null, null);

        Path out = dir.resolve("cmp");
        TnCli.Result r = TnCli.run("compare", reference.toString(), within.toString(), beyond.toString(), "--reference",
                                      reference.toString(), "--z", "5", "--top-n", "10", "--out", out.toString())
                                 .expect(0);
        assertTrue(r.out().contains("reference bootstrap p5"), r.out());

        List<String> rows = Files.readAllLines(out.resolve("compare.tsv"));
        List<String> head = List.of(rows.get(0).split("\t"));
        Map<String, String> q8 = row(head, rows, "Q8_0"), q2 = row(head, rows, "Q2_K"), f32 = row(head, rows, "F32");
        assertEquals("within", q8.get("noise"));
        assertEquals("beyond", q2.get("noise"));
        assertEquals("within", f32.get("noise"));
        assertEquals(0.7, Double.parseDouble(q2.get("overlap@10")), 0);
        assertEquals("0.99", q2.get("ref_bootstrap_p5_spearman"));
        assertEquals("0.8", q2.get("ref_bootstrap_p5_overlap@10"));
        assertEquals("1", q8.get("moved_beyond_z"));
        // the six swapped neurons moved by (100 - 1 - 2i) / 0.1414 standard errors, far beyond 5
        assertEquals("6", q2.get("moved_beyond_z"));
        assertEquals("0", f32.get("moved_beyond_z"));

        List<String> moved = Files.readAllLines(out.resolve("moved.tsv"));
        assertEquals("run\tlayer\tneuron\treference_score\tscore\tshift\tse\tz", moved.get(0));
        String q8Row = moved.stream().filter(l -> l.startsWith("Q8_0\t")).findFirst().orElseThrow();
        String[] f = q8Row.split("\t");
        assertEquals(List.of("1", "50"), List.of(f[1], f[2]));
        double z = Double.parseDouble(f[7]);
        assertTrue(z > 5 && z < 5.1, "z " + z);
        assertTrue(Files.size(out.resolve("shift_vs_se.png")) > 1000);
    }

    @Test
    void withoutABootstrapThereIsNoVerdict(@TempDir Path dir) throws IOException {
        float[] ref = new float[NFF];
        for (int i = 0; i < NFF; i++) ref[i] = i;
        Path a = folder(dir, "F16", ref, 0.1f, null, null), b = folder(dir, "Q4_0", ref, 0.1f, null, null);
        Path out = dir.resolve("cmp");
        TnCli.run("compare", a.toString(), b.toString(), "--out", out.toString()).expect(0);
        List<String> rows = Files.readAllLines(out.resolve("compare.tsv"));
        assertEquals("", row(List.of(rows.get(0).split("\t")), rows, "Q4_0").get("noise"));
    }

    static Map<String, String> row(List<String> head, List<String> rows, String fileType) {
        for (String r : rows.subList(1, rows.size())) {
            String[] f = r.split("\t", -1);
            if (f[1].equals(fileType)) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < head.size(); i++) m.put(head.get(i), f[i]);
                return m;
            }
        }
        throw new AssertionError("no row for " + fileType);
    }
}
