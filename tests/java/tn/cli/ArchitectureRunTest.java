package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tn.Cosine;
import tn.TestModels;
import tn.gguf.GgufFile;
import tn.io.Npy;
import tn.llama.Model;
import tn.model.SyntheticArchitecture;
import tn.reference.ReferenceForward;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `tn centroids` and `tn detect` as the README runs them, on a synthetic model of each
 * architecture tn supports, against the seed's method stated afresh in float64: h_l from the
 * reference forward pass, x_l = h_{l-1} + o_l, v_i the columns of the file's down projection,
 * and s = cos(x + a_i v_i, C) - cos(x, C) by that very formula, averaged over the sentences.
 * Architectures tn refuses stop both commands with exit 3 and their reason.
 */
class ArchitectureRunTest {
    static final String[][] PAIRS = {
            {"The cat is sleeping on the sofa.", "猫がソファの上で寝ています。"},
            {"Where is the station?", "駅はどこですか？"},
            {"It is raining today.", "今日は雨が降っています。"},
            {"I drink coffee every morning.", "私は毎朝コーヒーを飲みます。"},
            {"My brother lives in Osaka.", "兄は大阪に住んでいます。"},
    };

    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void centroidsAndScoresEqualTheSeedsMethodInFloat64(SyntheticArchitecture arch, @TempDir Path dir)
            throws IOException {
        Path model = TestModels.file(TestModels.BY_ARCHITECTURE.get(arch));
        StringBuilder tsv = new StringBuilder(), txt = new StringBuilder();
        for (String[] p : PAIRS) {
            tsv.append(p[0]).append('\t').append(p[1]).append('\n');
            txt.append(p[1]).append('\n');
        }
        Files.writeString(dir.resolve("pairs.tsv"), tsv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ja.txt"), txt, StandardCharsets.UTF_8);

        ReferenceForward reference = TestModels.reference(model);
        List<int[]> en = new ArrayList<>(), ja = new ArrayList<>();
        try (Model m = Model.open(model)) {
            for (String[] p : PAIRS) {
                en.add(m.tokenize(p[0]));
                ja.add(m.tokenize(p[1]));
            }
        }
        List<ReferenceForward.Result> enStates =
                en.stream().map(t -> reference.forward(t, ReferenceForward.Deactivation.none())).toList();
        List<ReferenceForward.Result> jaStates =
                ja.stream().map(t -> reference.forward(t, ReferenceForward.Deactivation.none())).toList();
        int nLayer = jaStates.get(0).lOut().length, d = jaStates.get(0).embd()[0].length;
        double[][] values;
        try (GgufFile g = GgufFile.open(model)) {
            values = new double[nLayer][];
            for (int l = 0; l < nLayer; l++) {
                float[] w = g.read("blk." + l + ".ffn_down.weight");
                values[l] = new double[w.length];
                for (int i = 0; i < w.length; i++) values[l][i] = w[i];
            }
        }
        int nFf = values[0].length / d;

        for (String type : new String[] {"type1", "type2"}) {
            Path out = dir.resolve(type);
            String sentences = dir.resolve(type.equals("type1") ? "pairs.tsv" : "ja.txt").toString();
            var c = RunCommandsTest.tn("centroids", "--model", model.toString(), "--type", type, "--lang", "ja",
                    "--sentences", sentences, "--out", out.resolve("centroids").toString());
            assertEquals(0, c.code(), c.err());
            var r = RunCommandsTest.tn("detect", "--model", model.toString(), "--type", type, "--lang", "ja", "--top-n",
                    "50", "--centroids", out.resolve("centroids/centroids.npy").toString(), "--sentences",
                    dir.resolve("ja.txt").toString(), "--out", out.resolve("detect").toString());
            assertEquals(0, r.code(), r.err());

            // centroids: h_l at the last token, the last layer after the final norm
            double[][] expected = new double[nLayer][d];
            for (int k = 0; k < PAIRS.length; k++) {
                double[][] hJa = hidden(jaStates.get(k)), hEn = hidden(enStates.get(k));
                for (int l = 0; l < nLayer; l++) {
                    for (int j = 0; j < d; j++) {
                        expected[l][j] +=
                                (type.equals("type1") ? (hEn[l][j] + hJa[l][j]) / 2 : hJa[l][j]) / PAIRS.length;
                    }
                }
            }
            float[] centroids = Npy.readFloat32(out.resolve("centroids/centroids.npy")).data();
            double worstCentroid = 0;
            for (int l = 0; l < nLayer; l++) {
                for (int j = 0; j < d; j++)
                    worstCentroid = Math.max(worstCentroid, Math.abs(centroids[l * d + j] - expected[l][j]));
            }
            assertTrue(
                    worstCentroid < 1e-4, arch.id + " " + type + ": centroids differ from float64 by " + worstCentroid);

            // scores of the candidate layers by the formula itself
            int split = (int) Math.floor(nLayer * 20.0 / 32 + 0.5);
            int from = type.equals("type1") ? 0 : split, to = type.equals("type1") ? split : nLayer;
            float[] scores = Npy.readFloat32(out.resolve("detect/scores.npy")).data();
            List<double[]> pairs = new ArrayList<>(); // {expected, tn's, layer * nFf + neuron}
            for (int l = from; l < to; l++) {
                for (int i = 0; i < nFf; i++) {
                    double sum = 0;
                    for (ReferenceForward.Result s : jaStates) {
                        int p = s.x()[l].length - 1;
                        sum += score(s.x()[l][p], s.act()[l][p][i], values[l], nFf, i, expected[l]);
                    }
                    pairs.add(new double[] {sum / jaStates.size(), scores[l * nFf + i], l * nFf + i});
                }
            }
            double worst = pairs.stream().mapToDouble(p -> Math.abs(p[0] - p[1])).max().orElseThrow();
            double spread = pairs.stream().mapToDouble(p -> Math.abs(p[0])).max().orElseThrow();
            double rho = spearman(pairs);
            double overlap = topOverlap(pairs, 50);
            System.out.printf("%s %s: centroids within %.1e, scores within %.1e (largest |s| %.1e), Spearman %.6f, "
                            + "top-50 overlap %.2f%n",
                    arch.id, type, worstCentroid, worst, spread, rho, overlap);
            assertTrue(worst < 1e-5 * spread, arch.id + " " + type + ": scores differ from the formula by " + worst);
            assertTrue(rho >= 0.9999, arch.id + " " + type + ": Spearman " + rho);
            assertTrue(overlap >= 0.96, arch.id + " " + type + ": top-50 overlap " + overlap);
        }
    }

    /**
     * Every analysis runs on every architecture, neurons switched off where the command can
     * (their numbers rest on the captures and deactivation ArchitectureTest proves per
     * architecture). LAPE's gate signal needs a gate node: phi3, without one, is refused (exit 3)
     * and counts the activation instead.
     */
    @ParameterizedTest
    @EnumSource(SyntheticArchitecture.class)
    void everyAnalysisRuns(SyntheticArchitecture arch, @TempDir Path dir) throws IOException {
        String model = TestModels.file(TestModels.BY_ARCHITECTURE.get(arch)).toString();
        StringBuilder pairs = new StringBuilder(), ja = new StringBuilder(), en = new StringBuilder();
        for (String[] p : PAIRS) {
            pairs.append(p[0]).append('\t').append(p[1]).append('\n');
            ja.append(p[1]).append('\n');
            en.append(p[0]).append('\n');
        }
        Files.writeString(dir.resolve("pairs.tsv"), pairs, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ja.txt"), ja, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("en.txt"), en, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("questions.jsonl"),
                "{\"question\": \"日本の首都はどこですか？\", \"answers\": [\"東京\"], "
                        + "\"lang\": \"ja\"}\n",
                StandardCharsets.UTF_8);
        String languages = "ja=" + dir.resolve("ja.txt") + ",en=" + dir.resolve("en.txt");
        String ranking = dir.resolve("detect/ranking.tsv").toString();
        String[][] commands = {
                {"centroids", "--type", "type2", "--lang", "ja", "--sentences", dir.resolve("ja.txt").toString()},
                {"detect", "--type", "type2", "--lang", "ja", "--top-n", "20", "--centroids",
                        dir.resolve("centroids/centroids.npy").toString(), "--sentences",
                        dir.resolve("ja.txt").toString()},
                {"similarity", "--pairs", dir.resolve("pairs.tsv").toString(), "--lang", "ja", "--deactivate", ranking,
                        "--top-n", "10"},
                {"mknn", "--pairs", dir.resolve("pairs.tsv").toString(), "--lang", "ja", "--k", "2", "--deactivate",
                        ranking, "--top-n", "10"},
                {"latent", "--sentences", languages, "--deactivate", ranking, "--top-n", "10"},
                {"specificity", "--ranking", ranking, "--sentences", languages},
                {"qa", "--questions", dir.resolve("questions.jsonl").toString(), "--lang", "ja", "--max-new-tokens",
                        "4", "--deactivate", ranking, "--top-n", "10"},
                {"lape", "--sentences", languages, "--signal", "activation"},
        };
        for (String[] c : commands) {
            List<String> args = new ArrayList<>(List.of(c[0], "--model", model, "--out", dir.resolve(c[0]).toString()));
            args.addAll(List.of(c).subList(1, c.length));
            var r = RunCommandsTest.tn(args.toArray(String[] ::new));
            assertEquals(0, r.code(), arch.id + " " + c[0] + ": " + r.err());
            assertTrue(Files.exists(dir.resolve(c[0]).resolve("run.json")), arch.id + " " + c[0]);
        }
        var gate = RunCommandsTest.tn(
                "lape", "--model", model, "--out", dir.resolve("lape-gate").toString(), "--sentences", languages);
        assertEquals(arch == SyntheticArchitecture.PHI3 ? 3 : 0, gate.code(),
                arch.id + " lape --signal gate: " + gate.err());
    }

    /** An architecture tn refuses: both commands stop with exit 3, naming it and why, and write nothing. */
    @Test
    void aRefusedArchitectureStopsWithItsReason(@TempDir Path dir) throws IOException {
        Path gemma = TestModels.relabeled(dir, "gemma2");
        Files.writeString(dir.resolve("ja.txt"), "猫がソファの上で寝ています。\n", StandardCharsets.UTF_8);
        Files.write(dir.resolve("c.npy"), new byte[0]);
        var c = RunCommandsTest.tn("centroids", "--model", gemma.toString(), "--type", "type2", "--lang", "ja",
                "--sentences", dir.resolve("ja.txt").toString(), "--out", dir.resolve("c").toString());
        var r = RunCommandsTest.tn("detect", "--model", gemma.toString(), "--type", "type2", "--lang", "ja", "--top-n",
                "5", "--centroids", dir.resolve("c.npy").toString(), "--sentences", dir.resolve("ja.txt").toString(),
                "--out", dir.resolve("d").toString());
        for (var result : List.of(c, r)) {
            assertEquals(3, result.code(), result.err());
            assertTrue(result.err().contains("architecture 'gemma2' is not supported"), result.err());
            assertTrue(result.err().contains("ffn_post_norm"), result.err());
        }
        assertTrue(!Files.exists(dir.resolve("c/centroids.npy")) && !Files.exists(dir.resolve("d/scores.npy")));
    }

    /** h_l of the last token for every layer, the last one after the final norm (the method's default). */
    static double[][] hidden(ReferenceForward.Result r) {
        int n = r.lOut().length, p = r.lOut()[0].length - 1;
        double[][] h = new double[n][];
        for (int l = 0; l < n - 1; l++) h[l] = r.lOut()[l][p];
        h[n - 1] = r.resultNorm()[p];
        return h;
    }

    /** cos(x + a v_i, C) - cos(x, C), with v_i column i of the down projection ([nFf, d] in ggml order). */
    static double score(double[] x, double a, double[] down, int nFf, int i, double[] c) {
        double[] moved = x.clone();
        for (int j = 0; j < x.length; j++) moved[j] += a * down[j * nFf + i];
        return Cosine.of(moved, c) - Cosine.of(x, c);
    }

    /** Spearman's rho of the first two columns (no ties among real scores). */
    static double spearman(List<double[]> pairs) {
        double[] a = ranks(pairs, 0), b = ranks(pairs, 1);
        double n = pairs.size(), sum = 0;
        for (int k = 0; k < a.length; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
        return 1 - 6 * sum / (n * (n * n - 1));
    }

    static double[] ranks(List<double[]> pairs, int column) {
        Integer[] order = IntStream.range(0, pairs.size()).boxed().toArray(Integer[] ::new);
        Arrays.sort(order, Comparator.comparingDouble(k -> pairs.get(k)[column]));
        double[] rank = new double[pairs.size()];
        for (int r = 0; r < order.length; r++) rank[order[r]] = r;
        return rank;
    }

    /** The share of the expected top n (by column 0) among tn's top n (by column 1). */
    static double topOverlap(List<double[]> pairs, int n) {
        Set<Double> expected = new HashSet<>(), ours = new HashSet<>();
        pairs.stream().sorted(Comparator.comparingDouble(p -> - p[0])).limit(n).forEach(p -> expected.add(p[2]));
        pairs.stream().sorted(Comparator.comparingDouble(p -> - p[1])).limit(n).forEach(p -> ours.add(p[2]));
        ours.retainAll(expected);
        return ours.size() / (double) n;
    }
}
