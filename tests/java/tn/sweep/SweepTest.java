package tn.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.compare.NaiveAgreement;
import tn.io.Npy;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.run.ResumeTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn sweep on a synthetic model wide enough (n_embd 256) for real K-quants: F32 -> Q8_0 and
 * Q4_K_M, each variant end to end, then the comparison, then the same sweep again.
 */
class SweepTest {
    static final SyntheticModel BASE = new SyntheticModel(4, 256, 512, 4, 2, Vocabulary.LLAMA_SPM, 5, FileType.F32);

    @TempDir
    static Path dir;
    static Path out;

    static String[] sweep(Path sentences) {
        List<String> a = new ArrayList<>(List.of("sweep", "--model", TestModels.file(BASE).toString(), "--types",
                "Q8_0,Q4_K_M", "--lang", "ja", "--type", "type1", "--centroid-sentences", "data/demo/en-ja.tsv",
                "--sentences", sentences.toString(), "--out", out.toString(), "--top-n", "50", "--quiet"));
        return a.toArray(String[] ::new);
    }

    @BeforeAll
    static void runSweep() {
        out = dir.resolve("sweep");
        TnCli.run(sweep(Path.of("data/demo/ja.txt"))).expect(0);
    }

    @Test
    void everyVariantRanEndToEndAndQ8AgreesAtLeastAsWellAsQ4() throws IOException {
        for (String variant : List.of("base-F32", "Q8_0", "Q4_K_M")) {
            assertTrue(Files.exists(out.resolve(variant).resolve("centroids/centroids.npy")), variant);
            assertTrue(Files.exists(out.resolve(variant).resolve("detect/scores.npy")), variant);
            assertTrue(Files.exists(out.resolve(variant).resolve("detect/ranking.tsv")), variant);
        }
        for (String f :
                List.of("compare.tsv", "compare.json", "layer_counts.tsv", "layers.png", "agreement_vs_bpw.png")) {
            assertTrue(Files.size(out.resolve("compare").resolve(f)) > 0, f);
        }
        JsonArray runs = json(out.resolve("compare/compare.json")).getAsJsonArray("runs");
        assertEquals(List.of("F32", "Q8_0", "Q4_K_M"),
                runs.asList().stream().map(r -> r.getAsJsonObject().get("file_type").getAsString()).toList());
        double f32 = spearman(runs, 0), q8 = spearman(runs, 1), q4 = spearman(runs, 2);
        assertEquals(1.0, f32, 1e-12);
        assertTrue(q8 >= q4, "Q8_0 Spearman " + q8 + " < Q4_K_M " + q4);
        assertTrue(q4 < 1.0, "Q4_K_M left the ranking exactly as F32's: the quantization did nothing");
        // every figure equals its textbook definition computed here from the variants' scores.npy
        double[] base = candidates(out.resolve("base-F32/detect"), null);
        for (var r : runs) {
            JsonObject run = r.getAsJsonObject();
            double[] scores = candidates(Path.of(run.get("run").getAsString()), base);
            String what = run.get("file_type").getAsString();
            assertEquals(NaiveAgreement.spearman(base, scores), run.get("spearman").getAsDouble(), 1e-9, what);
            assertEquals(NaiveAgreement.kendall(base, scores), run.get("kendall").getAsDouble(), 1e-9, what);
            for (int k : new int[] {10, 100, 1000}) {
                assertEquals(NaiveAgreement.overlap(base, scores, k),
                        run.getAsJsonObject("top_k").getAsJsonObject(String.valueOf(k)).get("overlap").getAsDouble(),
                        1e-12, what + " overlap@" + k);
            }
        }
        // each variant used its own centroids
        assertTrue(Files.readString(out.resolve("Q4_K_M/detect/run.json"))
                        .contains(out.resolve("Q4_K_M/centroids/centroids.npy").toAbsolutePath().toString()));
        assertTrue(Files.exists(out.resolve(
                "models/" + TestModels.file(BASE).getFileName().toString().replace(".gguf", ".Q4_K_M.gguf"))));
    }

    @Test
    void runningTheSameSweepAgainSkipsEveryStep() throws IOException {
        byte[] scores = Files.readAllBytes(out.resolve("Q8_0/detect/scores.npy"));
        TnCli.run(sweep(Path.of("data/demo/ja.txt"))).expect(0);
        JsonObject sweep = json(out.resolve("sweep.json"));
        for (var v : sweep.getAsJsonArray("variants")) {
            JsonObject steps = v.getAsJsonObject().getAsJsonObject("steps");
            for (String step : steps.keySet()) {
                assertEquals("skipped", steps.getAsJsonObject(step).get("status").getAsString(), step);
            }
        }
        assertEquals(3, sweep.getAsJsonArray("variants").size());
        assertTrue(java.util.Arrays.equals(scores, Files.readAllBytes(out.resolve("Q8_0/detect/scores.npy"))));
    }

    @Test
    void aFinishedStepMadeWithOtherInputsIsAnErrorNotReused() throws IOException {
        Path other = dir.resolve("ja-other.txt");
        Files.write(other, Files.readAllLines(Path.of("data/demo/ja.txt")).subList(0, 10));
        String err = TnCli.run(sweep(other)).expect(Tn.EXIT_INPUT).err();
        assertTrue(err.contains("was made with another dataset.sha256"), err);
    }

    @Test
    void anUnfinishedStepIsResumedFromItsCheckpointOrRunAgain() throws IOException {
        // a detection without run.json is unfinished; its checkpoint (here a broken one) is what resumes it
        Path detect = out.resolve("Q8_0/detect");
        Files.delete(detect.resolve("run.json"));
        Files.write(detect.resolve("checkpoint-detect.bin"), new byte[] {1, 2, 3}); // not a checkpoint
        String err = TnCli.run(sweep(Path.of("data/demo/ja.txt"))).expect(Tn.EXIT_INPUT).err();
        assertTrue(err.contains("checkpoint-detect.bin"), err);
        Files.delete(detect.resolve("checkpoint-detect.bin"));
        TnCli.run(sweep(Path.of("data/demo/ja.txt"))).expect(0);
        JsonObject steps = json(out.resolve("sweep.json"))
                                   .getAsJsonArray("variants")
                                   .get(1)
                                   .getAsJsonObject()
                                   .getAsJsonObject("steps");
        assertEquals("ran", steps.getAsJsonObject("detect").get("status").getAsString());
        assertEquals("skipped", steps.getAsJsonObject("centroids").get("status").getAsString());
    }

    @Test
    void aSweepKilledMidwayResumesToTheUninterruptedResult() throws Exception {
        Path sentences = dir.resolve("ja-300.txt");
        List<String> ja = Files.readAllLines(Path.of("data/demo/ja.txt"));
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < 300; k++) lines.add(ja.get(k % ja.size()) + " " + k);
        Files.write(sentences, lines);
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        TnCli.run(with(sweep(sentences), whole, "--batch", "1")).expect(0);

        // SIGKILL (no shutdown hook runs) once the base model's detection has checkpointed
        Path checkpoint = killed.resolve("base-F32/detect/checkpoint-detect.bin");
        ResumeTest.killAfterCheckpoint(checkpoint, killed.resolve("base-F32/detect/run.json"), dir.resolve("child.log"),
                with(sweep(sentences), killed, "--batch", "1", "--checkpoint-every", "0"));
        int done = ResumeTest.checkpointedItems(checkpoint);

        TnCli.run(with(sweep(sentences), killed, "--batch", "1")).expect(0);
        JsonArray variants = json(killed.resolve("sweep.json")).getAsJsonArray("variants");
        JsonObject base = variants.get(0).getAsJsonObject().getAsJsonObject("steps");
        assertEquals("skipped", base.getAsJsonObject("centroids").get("status").getAsString());
        assertEquals("resumed", base.getAsJsonObject("detect").get("status").getAsString());
        // "resumed" means the detection went on from the checkpoint, as its own run.json says
        assertEquals(done, base.getAsJsonObject("detect").get("resumed_from_item").getAsInt());
        ResumeTest.assertResumed(killed.resolve("base-F32/detect"), done, 300);
        for (String variant : List.of("base-F32", "Q8_0", "Q4_K_M")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(whole.resolve(variant + "/detect/scores.npy")),
                               Files.readAllBytes(killed.resolve(variant + "/detect/scores.npy"))),
                    variant);
        }
        assertEquals(numbers(whole.resolve("compare/compare.tsv")), numbers(killed.resolve("compare/compare.tsv")));
    }

    /** A detection's scores of its candidate neurons (not NaN), as many as like has when given. */
    static double[] candidates(Path detect, double[] like) {
        float[] all = Npy.readFloat32(detect.resolve("scores.npy")).data();
        double[] c =
                IntStream.range(0, all.length).filter(i -> !Float.isNaN(all[i])).mapToDouble(i -> all[i]).toArray();
        if (like != null) assertEquals(like.length, c.length, detect + ": candidates");
        return c;
    }

    /** args with --out replaced by out, and extra options added. */
    static String[] with(String[] args, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(args));
        a.set(a.indexOf("--out") + 1, out.toString());
        a.addAll(List.of(extra));
        return a.toArray(String[] ::new);
    }

    /** compare.tsv without its first column (the run folders, which differ between sweeps). */
    static List<String> numbers(Path tsv) throws IOException {
        return Files.readAllLines(tsv).stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
    }

    static double spearman(JsonArray runs, int i) {
        return runs.get(i).getAsJsonObject().get("spearman").getAsDouble();
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }
}
