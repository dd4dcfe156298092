package tn.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.io.Npy;
import tn.record.RunJson;
import tn.slurm.JobState;
import tn.slurm.LocalSlurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn slurm against a real Slurm (Debian's slurmctld and slurmd, one node, started by
 * scripts/slurm-local): a detection split into 3 shards and merged by Slurm jobs equals the
 * unsharded detection; a shard cancelled midway (scancel) is resubmitted alone by tn slurm
 * resume, which continues it from its checkpoint and leaves the finished shards' files
 * untouched; a shard that fails makes --wait fail naming it and its log, on a cluster that
 * leaves the merge waiting forever, which tn cancels.
 */
class SlurmCommandTest {
    static final int SHARDS = 3;

    @TempDir
    static Path dir;
    static LocalSlurm cluster;
    static String model;
    static Path demo;
    static Path centroids;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = LocalSlurm.start(dir.resolve("cluster"));
        model = TestModels.file(TestModels.SPM).toString();
        demo = Path.of("data/demo").toAbsolutePath();
        Path c = dir.resolve("centroids");
        TnCli.run("centroids", "--model", model, "--type", "type1", "--lang", "ja", "--sentences",
                     demo.resolve("en-ja.tsv").toString(), "--out", c.toString(), "--quiet")
                .expect(0);
        centroids = c.resolve("centroids.npy");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) cluster.close();
    }

    static List<String> detect(Path sentences, String... more) {
        List<String> args =
                new ArrayList<>(List.of("detect", "--model", model, "--type", "type1", "--lang", "ja", "--top-n", "50",
                        "--centroids", centroids.toString(), "--sentences", sentences.toString(), "--threads", "1"));
        args.addAll(List.of(more));
        return args;
    }

    static String[] slurm(List<String> run, String... more) {
        List<String> args = new ArrayList<>(List.of("slurm"));
        args.addAll(run);
        args.addAll(List.of(more));
        return args.toArray(String[] ::new);
    }

    @Test
    void shardsMergedBySlurmEqualTheUnshardedRun() throws Exception {
        Path whole = dir.resolve("whole");
        TnCli.run(detect(demo.resolve("ja.txt"), "--batch", "4", "--out", whole.toString(), "--quiet")
                             .toArray(String[] ::new))
                .expect(0);
        Path out = dir.resolve("sharded"); // given relative to the folder tn slurm runs in, as users type it
        TnCli.Result r =
                cluster.tn(dir,
                               slurm(detect(demo.resolve("ja.txt"), "--batch", "4", "--out", "sharded"), "--shards",
                                       "3", "--wait", "--poll", "1", "--partition", "local", "--time", "10:00", "--mem",
                                       "1G", "--cpus-per-task", "1", "--sbatch-arg=--comment=tn-test"))
                        .expect(0);
        ShardMergeTest.assertSameOutputs(whole, out);
        assertEquals(Files.readString(whole.resolve("ranking.tsv")), Files.readString(out.resolve("ranking.tsv")));
        assertEquals(SHARDS, mergedFrom(out));

        String jobs = Files.readString(out.resolve("slurm/jobs.json"));
        assertTrue(r.out().contains("shards 1-3 of 3: job "), r.out());
        for (String id :
                r.out().replaceAll("(?s).*shards 1-3 of 3: job (\\d+); merge: job (\\d+).*", "$1 $2").split(" ")) {
            assertTrue(jobs.contains("\"id\": \"" + id + "\""), "job " + id + " in jobs.json");
        }
        String script = Files.readString(out.resolve("slurm/detect.shards.sbatch"));
        for (String line : List.of("#SBATCH --partition=local", "#SBATCH --time=10:00", "#SBATCH --mem=1G",
                     "#SBATCH --cpus-per-task=1", "#SBATCH --comment=tn-test", "--shard \"$k\"/3 --resume",
                     "#SBATCH --output=\"" + out.resolve("slurm/logs/detect.shard-%a.%A.out") + "\"")) {
            assertTrue(script.contains(line), line + " in\n" + script);
        }
        for (int k = 1; k <= SHARDS; k++) {
            assertTrue(Files.exists(out.resolve("shards/" + k + "/shard-state.bin")), "shard " + k);
        }
    }

    /** How many shards the merged run in dir was made from (run.merged_from). */
    static int mergedFrom(Path dir) throws IOException {
        return Files.readString(dir.resolve("run.json")).split("\"shard\": \"").length - 1;
    }

    @Test
    void aCancelledShardIsResubmittedAloneAndContinued() throws Exception {
        Path sentences = dir.resolve("many.txt");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 1500; k++)
            sb.append(TestModels.SENTENCES[k % TestModels.SENTENCES.length]).append(' ').append(k).append('\n');
        Files.writeString(sentences, sb);
        List<String> run = detect(sentences, "--batch", "1", "--checkpoint-every", "0", "--quiet");
        Path whole = dir.resolve("many-whole");
        List<String> wholeArgs = new ArrayList<>(run);
        wholeArgs.addAll(List.of("--out", whole.toString()));
        TnCli.run(wholeArgs.toArray(String[] ::new)).expect(0);

        Path out = dir.resolve("many-sharded");
        List<String> runOut = new ArrayList<>(run);
        runOut.addAll(List.of("--out", out.toString()));
        TnCli.Result submitted = cluster.tn(dir, slurm(runOut, "--shards", "3")).expect(0);
        String arrayJob = submitted.out().replaceAll("(?s).*shards 1-3 of 3: job (\\d+).*", "$1");

        // shard 2 is cancelled as soon as it has checkpointed, long before it could finish
        Path checkpoint = out.resolve("shards/2/checkpoint-detect.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!Files.exists(checkpoint) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(checkpoint), "shard 2 never checkpointed");
        cluster.slurm().cancel(List.of(arrayJob + "_2"));

        TnCli.Result waited = cluster.tn(dir, "slurm", "wait", out.toString(), "--poll", "1");
        assertEquals(1, waited.code(), waited.err());
        assertTrue(waited.err().contains("detect shard 2 (job " + arrayJob + "_2): CANCELLED"), waited.err());
        assertTrue(waited.err().contains("detect merge"), "the merge did not run: " + waited.err());
        assertTrue(waited.err().contains("tn slurm resume " + out), waited.err());
        assertFalse(Files.exists(out.resolve("shards/2/run.json")), "shard 2 was cancelled midway");
        assertTrue(Files.exists(checkpoint), "shard 2 left its checkpoint");
        assertFalse(Files.exists(out.resolve("run.json")));

        Map<Path, String> finished = fingerprints(out.resolve("shards/1"));
        finished.putAll(fingerprints(out.resolve("shards/3")));
        assertTrue(finished.keySet().stream().anyMatch(p -> p.endsWith("shard-state.bin")), finished.toString());

        TnCli.Result resumed = cluster.tn(dir, "slurm", "resume", out.toString(), "--wait", "--poll", "1").expect(0);
        assertTrue(resumed.out().contains("shards 2 of 3: job "), "only shard 2 resubmitted: " + resumed.out());
        Map<Path, String> after = fingerprints(out.resolve("shards/1"));
        after.putAll(fingerprints(out.resolve("shards/3")));
        assertEquals(finished, after, "the finished shards' files are untouched");
        RunJson shard2 = RunJson.of(out.resolve("shards/2"));
        int from = 500, to = 1000; // shard 2 of 3 over 1500 items in batches of 1
        int resumedFrom = shard2.integer("run.resumed_from_item");
        assertTrue(resumedFrom > from && resumedFrom < to, "shard 2 continued from its checkpoint at " + resumedFrom);
        assertEquals(to - resumedFrom, shard2.integer("run.items_this_process"));

        // the same neurons in the same order; scores within float64 re-association error (over 1500 items the
        // sums of the shards, added up, part from one running sum in the last digit: not byte for byte)
        ShardMergeTest.assertTextClose(Files.readString(whole.resolve("ranking.tsv")),
                Files.readString(out.resolve("ranking.tsv")), "ranking.tsv");
        ShardMergeTest.assertFloatsClose(Npy.readFloat32(whole.resolve("scores.npy")).data(),
                Npy.readFloat32(out.resolve("scores.npy")).data(), "scores.npy");
    }

    /** Every file under dir with its size, modification time and content hash. */
    static Map<Path, String> fingerprints(Path dir) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                m.put(p, Files.size(p) + " " + t.toMillis() + " " + tn.io.Sha256.of(p));
            }
        }
        return m;
    }

    @Test
    void aFailedShardFailsWaitByNameAndTheStuckMergeIsCancelled() throws Exception {
        try (LocalSlurm lenient = LocalSlurm.start(dir.resolve("cluster-lenient"), "--keep-invalid-depend")) {
            Path out = dir.resolve("failing");
            Files.createDirectories(out.resolve("shards"));
            Files.writeString(out.resolve("shards/2"), "a file where shard 2's folder goes\n");
            TnCli.Result r = lenient.tn(dir,
                    slurm(detect(demo.resolve("ja.txt"), "--batch", "4", "--out", out.toString()), "--shards", "3",
                            "--wait", "--poll", "1"));
            assertEquals(1, r.code(), r.out() + r.err());
            String arrayJob = r.out().replaceAll("(?s).*shards 1-3 of 3: job (\\d+).*", "$1");
            String mergeJob = r.out().replaceAll("(?s).*; merge: job (\\d+).*", "$1");
            Path log = out.resolve("slurm/logs/detect.shard-2." + arrayJob + ".out");
            assertTrue(r.err().contains("detect shard 2 (job " + arrayJob + "_2): FAILED"), r.err());
            assertTrue(r.err().contains("log: " + log), r.err());
            assertTrue(Files.readString(log).contains("is not a folder"), Files.readString(log));
            assertTrue(r.err().contains("detect merge (job " + mergeJob + "): did not run"), r.err());
            String failures = r.err().substring(r.err().indexOf("did not finish:"));
            assertFalse(
                    failures.contains("shard 1 ") || failures.contains("shard 3 "), "only shard 2 failed: " + failures);
            JobState merge = lenient.slurm().states(List.of(mergeJob)).get(mergeJob);
            assertTrue(merge == null || merge.ended(), "the merge that could never run was cancelled: " + merge);

            Files.delete(out.resolve("shards/2"));
            TnCli.Result resumed =
                    lenient.tn(dir, "slurm", "resume", out.toString(), "--wait", "--poll", "1").expect(0);
            assertTrue(resumed.out().contains("shards 2 of 3: job "), resumed.out());
            assertEquals(SHARDS, mergedFrom(out));
        }
    }
}
