package tn.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every run kind split into three shards (--shard K/3, each in its own folder) and merged with tn
 * merge writes what the unsharded run writes: the same files, integers and texts identical, real
 * numbers within float64 re-association error, float32 arrays to the last bit but for a
 * rounding boundary.
 */
class ShardMergeTest {
    static final int SHARDS = 3;
    static final double RELATIVE = 1e-12;

    @TempDir
    static Path dir;
    static String model;
    static Path demo;

    @BeforeAll
    static void setUp() {
        model = TestModels.file(TestModels.SPM).toString();
        demo = Path.of("data/demo").toAbsolutePath();
    }

    /** The run's arguments, without --out; runs it whole and in shards, merges, and compares every output. */
    static Path shardedEqualsWhole(String name, String... args) throws IOException {
        Path whole = dir.resolve(name + "-whole");
        TnCli.run(with(args, "--out", whole.toString())).expect(0);
        List<String> shardDirs = new ArrayList<>();
        for (int k = SHARDS; k >= 1; k--) { // any order
            Path s = dir.resolve(name + "-shard" + k);
            TnCli.run(with(args, "--out", s.toString(), "--shard", k + "/" + SHARDS)).expect(0);
            assertTrue(Files.exists(s.resolve("shard-state.bin")), "shard " + k + " left its state");
            assertFalse(Files.exists(s.resolve("ranking.tsv")) || Files.exists(s.resolve("centroids.npy")),
                    "a shard writes no outputs");
            shardDirs.add(0, s.toString());
        }
        Path merged = dir.resolve(name + "-merged");
        List<String> merge = new ArrayList<>(List.of("merge", "--out", merged.toString()));
        merge.addAll(shardDirs);
        TnCli.run(merge.toArray(String[] ::new)).expect(0);
        assertSameOutputs(whole, merged);
        return merged;
    }

    static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        all.addAll(List.of("--batch", "4", "--threads", "1", "--quiet"));
        return all.toArray(String[] ::new);
    }

    /** The files (not folders: a Slurm run's folder also holds its shards and scripts) of two runs compared. */
    static void assertSameOutputs(Path whole, Path merged) throws IOException {
        List<String> names = outputs(whole);
        assertEquals(names, outputs(merged));
        for (String n : names) {
            if (n.endsWith(".png")) continue; // drawn from the numbers compared below
            if (n.endsWith(".npy")) {
                assertFloatsClose(
                        Npy.readFloat32(whole.resolve(n)).data(), Npy.readFloat32(merged.resolve(n)).data(), n);
            } else if (n.endsWith(".pkl") || n.equals("ranking.tsv")) {
                assertTrue(java.util.Arrays.equals(
                                   Files.readAllBytes(whole.resolve(n)), Files.readAllBytes(merged.resolve(n))),
                        n + " identical");
            } else {
                assertTextClose(Files.readString(whole.resolve(n)), Files.readString(merged.resolve(n)), n);
            }
        }
    }

    private static List<String> outputs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("run.json") && !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** Token by token: numbers within RELATIVE (of the larger, or absolutely near 0), everything else equal. */
    static void assertTextClose(String expected, String actual, String file) {
        String[] a = expected.split("[\\t,\\n ]", -1), b = actual.split("[\\t,\\n ]", -1);
        assertEquals(a.length, b.length, file + ": token count");
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(b[i])) continue;
            double x = Double.parseDouble(a[i].replace("\"", "")), y = Double.parseDouble(b[i].replace("\"", ""));
            assertTrue(Math.abs(x - y) <= RELATIVE * Math.max(1, Math.max(Math.abs(x), Math.abs(y))),
                    file + ": token " + i + ": " + a[i] + " vs " + b[i]);
        }
    }

    /** float32 values from double means that agree to RELATIVE round alike but at a boundary: one ulp at most. */
    static void assertFloatsClose(float[] a, float[] b, String file) {
        assertEquals(a.length, b.length, file);
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])) continue;
            assertTrue(Math.abs(a[i] - b[i]) <= Math.ulp(Math.max(Math.abs(a[i]), Math.abs(b[i]))),
                    file + "[" + i + "]: " + a[i] + " vs " + b[i]);
            differ++;
        }
        assertTrue(differ <= a.length / 1000, file + ": " + differ + " values differ by an ulp");
    }

    @Test
    void centroidsAndDetection() throws IOException {
        Path c1 = shardedEqualsWhole("centroids1", "centroids", "--model", model, "--type", "type1", "--lang", "ja",
                "--sentences", demo.resolve("en-ja.tsv").toString());
        shardedEqualsWhole("detect1", "detect", "--model", model, "--type", "type1", "--lang", "ja", "--top-n", "50",
                "--centroids", c1.resolve("centroids.npy").toString(), "--sentences", demo.resolve("ja.txt").toString(),
                "--export-pickle");
    }

    @Test
    void analyses() throws IOException {
        Path c2 = shardedEqualsWhole("centroids2", "centroids", "--model", model, "--type", "type2", "--lang", "ja",
                "--sentences", demo.resolve("ja.txt").toString());
        Path detect = shardedEqualsWhole("detect2", "detect", "--model", model, "--type", "type2", "--lang", "ja",
                "--top-n", "20", "--centroids", c2.resolve("centroids.npy").toString(), "--sentences",
                demo.resolve("ja.txt").toString());
        String ranking = detect.resolve("ranking.tsv").toString();
        String pairs = demo.resolve("en-ja.tsv").toString();
        String languages =
                "ja=" + demo.resolve("ja.txt") + ",ko=" + demo.resolve("ko.txt") + ",en=" + demo.resolve("en.txt");
        shardedEqualsWhole("similarity", "similarity", "--model", model, "--pairs", pairs, "--deactivate", ranking,
                "--top-n", "10");
        shardedEqualsWhole("mknn", "mknn", "--model", model, "--pairs", pairs, "--k", "3");
        shardedEqualsWhole("latent", "latent", "--model", model, "--sentences", languages, "--pca-sentences", "10");
        shardedEqualsWhole(
                "specificity", "specificity", "--model", model, "--ranking", ranking, "--sentences", languages);
        shardedEqualsWhole("lape", "lape", "--model", model, "--sentences", languages);
    }

    @Test
    void questionAnswering() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (String q : Files.readAllLines(demo.resolve("ja.txt")).subList(0, 14)) {
            jsonl.append("{\"question\": \"").append(q).append("\", \"answers\": [\"猫\"], \"lang\": \"ja\"}\n");
        }
        Path questions = Files.writeString(dir.resolve("q.jsonl"), jsonl);
        shardedEqualsWhole("qa", "qa", "--model", model, "--questions", questions.toString(), "--lang", "ja",
                "--max-new-tokens", "4");
    }

    /** MMLU-ProX: a question per subject of the sample, the prompts, generations and accuracies. */
    @Test
    void reasoning() throws IOException {
        Path data = ReasoningCommandTest.DATA.resolve("sample");
        shardedEqualsWhole("reasoning", "reasoning", "--model", model, "--test",
                data.resolve("test.parquet").toString(), "--fewshot", data.resolve("validation.parquet").toString(),
                "--lang", "ja", "--limit", "1", "--max-new-tokens", "6", "--parallel", "2");
    }
}
