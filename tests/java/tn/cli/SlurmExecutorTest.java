package tn.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.slurm.LocalSlurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn study and tn sweep with --executor slurm on a real one-node Slurm: the whole plan submitted
 * at once, each job waiting (afterok) for the jobs of the steps it needs, runs split into shards;
 * the outputs equal those of the same command run here with the local executor.
 */
class SlurmExecutorTest {
    @TempDir
    static Path dir;
    static LocalSlurm cluster;

    @BeforeAll
    static void startSlurm() throws Exception {
        cluster = LocalSlurm.start(dir.resolve("cluster"));
    }

    @AfterAll
    static void stopSlurm() throws Exception {
        if (cluster != null) cluster.close();
    }

    static List<String> study(Path out) {
        return new ArrayList<>(List.of("study", "--model", TestModels.file(TestModels.SPM).toString(), "--langs", "ja",
                "--types", "type1", "--pairs", Path.of("data/demo/en-{lang}.tsv").toAbsolutePath().toString(),
                "--sentences", Path.of("data/demo/{lang}.txt").toAbsolutePath().toString(), "--english",
                Path.of("data/demo/en.txt").toAbsolutePath().toString(), "--analyses", "lape", "--top-n", "10", "--out",
                out.toString(), "--batch", "8", "--threads", "1", "--quiet"));
    }

    @Test
    void aStudyOnSlurmEqualsTheStudyRunHere() throws Exception {
        Path local = dir.resolve("study-local");
        TnCli.run(study(local).toArray(String[] ::new)).expect(0);
        Path slurm = dir.resolve("study-slurm");
        List<String> args = study(slurm);
        args.addAll(List.of("--executor", "slurm", "--shards", "2", "--wait", "--poll", "1"));
        TnCli.Result r = cluster.tn(dir, args.toArray(String[] ::new)).expect(0);
        assertTrue(r.out().contains("ja-type1-detect") && r.out().contains("shards 1-2 of 2"), r.out());

        for (String run : List.of("ja/type1/centroids", "ja/type1/detect", "lape")) {
            ShardMergeTest.assertSameOutputs(local.resolve(run), slurm.resolve(run));
            assertTrue(Files.exists(slurm.resolve(run).resolve("shards/2/shard-state.bin")), run + " ran as 2 shards");
        }
        assertEquals(Files.readString(local.resolve("ja/type1/overlap/overlap.tsv")),
                Files.readString(slurm.resolve("ja/type1/overlap/overlap.tsv")));
        assertTrue(Files.size(slurm.resolve("report.html")) > 0);

        // every job waited for the jobs that end the steps it reads: a run's shards for the merges of its inputs
        JsonObject jobs = JsonParser.parseString(Files.readString(slurm.resolve("slurm/jobs.json"))).getAsJsonObject();
        Map<String, String> ending = new HashMap<>(); // step -> its merge or only job
        Map<String, List<String>> needs = new HashMap<>();
        for (JsonElement s : jobs.getAsJsonArray("steps")) {
            JsonObject o = s.getAsJsonObject();
            needs.put(o.get("name").getAsString(),
                    o.getAsJsonArray("after").asList().stream().map(JsonElement::getAsString).toList());
        }
        List<JsonElement> submitted =
                jobs.getAsJsonArray("submissions").get(0).getAsJsonObject().getAsJsonArray("jobs").asList();
        for (JsonElement j : submitted) {
            JsonObject o = j.getAsJsonObject();
            if (!o.get("kind").getAsString().equals("shards"))
                ending.put(o.get("step").getAsString(), o.get("id").getAsString());
        }
        assertEquals(needs.keySet(), ending.keySet(), "every step was submitted");
        for (JsonElement j : submitted) {
            JsonObject o = j.getAsJsonObject();
            List<String> after = o.getAsJsonArray("after").asList().stream().map(JsonElement::getAsString).toList();
            if (o.get("kind").getAsString().equals("merge")) continue; // waits for its own shards
            List<String> expected = needs.get(o.get("step").getAsString()).stream().map(ending::get).toList();
            assertEquals(expected, after, o.toString());
        }
        assertTrue(needs.get("ja-type1-detect").contains("ja-type1-centroids"));
    }

    @Test
    void aSweepOnSlurmEqualsTheSweepRunHere() throws IOException, InterruptedException {
        List<String> sweep = List.of("sweep", "--model", TestModels.file(TestModels.SPM).toString(), "--types", "Q8_0",
                "--type", "type1", "--lang", "ja", "--centroid-sentences",
                Path.of("data/demo/en-ja.tsv").toAbsolutePath().toString(), "--sentences",
                Path.of("data/demo/ja.txt").toAbsolutePath().toString(), "--top-n", "20", "--threads", "1", "--quiet");
        Path local = dir.resolve("sweep-local");
        List<String> l = new ArrayList<>(sweep);
        l.addAll(List.of("--out", local.toString()));
        TnCli.run(l.toArray(String[] ::new)).expect(0);
        Path slurm = dir.resolve("sweep-slurm");
        List<String> s = new ArrayList<>(sweep);
        s.addAll(List.of("--out", slurm.toString(), "--executor", "slurm", "--wait", "--poll", "1"));
        TnCli.Result r = cluster.tn(dir, s.toArray(String[] ::new)).expect(0);
        for (String step : List.of("quantize-Q8_0", "base-F32-centroids", "base-F32-detect", "Q8_0-centroids",
                     "Q8_0-detect", "compare")) {
            assertTrue(r.out().contains(step), step + " submitted: " + r.out());
        }
        for (String run : List.of("base-F32/centroids", "base-F32/detect", "Q8_0/centroids", "Q8_0/detect")) {
            ShardMergeTest.assertSameOutputs(local.resolve(run), slurm.resolve(run));
        }
        ShardMergeTest.assertTextClose(Files.readString(local.resolve("compare/compare.tsv")),
                Files.readString(slurm.resolve("compare/compare.tsv")).replace(slurm.toString(), local.toString()),
                "compare.tsv");
        // the last job was the sweep itself, which found every run finished
        String sweepJson = Files.readString(slurm.resolve("sweep.json"));
        assertTrue(
                sweepJson.contains("\"status\": \"skipped\"") && !sweepJson.contains("\"status\": \"ran\""), sweepJson);
    }
}
