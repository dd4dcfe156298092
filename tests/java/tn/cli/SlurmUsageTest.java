package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn slurm refuses what it cannot submit before asking Slurm anything: no cluster is needed to see it. */
class SlurmUsageTest {
    @TempDir
    Path dir;

    static String[] slurm(String... args) {
        List<String> a = new ArrayList<>(List.of("slurm", "detect", "--model", "m.gguf", "--type", "type1", "--lang",
                "ja", "--top-n", "5", "--centroids", "c.npy", "--sentences", "ja.txt"));
        a.addAll(List.of(args));
        return a.toArray(String[] ::new);
    }

    @Test
    void badUsageIsExitTwoNamingTheProblem() {
        Path out = dir.resolve("out");
        String o = out.toString();
        assertUsage(TnCli.run(slurm("--out", o)), "--shards N is missing");
        assertUsage(TnCli.run(slurm("--out", o, "--shards", "0")), "--shards must be 1..");
        assertUsage(TnCli.run(slurm("--out", o, "--shards", "2", "--shard", "1/2")), "drop --shard");
        assertUsage(TnCli.run(slurm("--out", o, "--shards", "2", "--top-n", "x")), "the run 'detect");
        assertUsage(TnCli.run(slurm("--shards", "2")), "Missing required option");
        assertUsage(TnCli.run("slurm", "compare", "a", "b", "--shards", "2"), "'compare' is not a run command");
        assertUsage(TnCli.run("slurm", "--shards", "2"), "give the run");
        assertFalse(Files.exists(out), "nothing was written");
    }

    static void assertUsage(TnCli.Result r, String message) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), message + " in: " + r.err());
    }

    @Test
    void resumeNeedsASubmission() throws Exception {
        TnCli.Result none = TnCli.run("slurm", "resume", dir.toString());
        assertEquals(3, none.code(), none.err());
        assertTrue(none.err().contains("holds no Slurm submission of tn"), none.err());

        Files.createDirectories(dir.resolve("slurm"));
        Files.writeString(dir.resolve("slurm/jobs.json"), "{\"command_line\": [\"slurm\"], \"shards\": 1}\n");
        TnCli.Result corrupt = TnCli.run("slurm", "resume", dir.toString());
        assertEquals(3, corrupt.code(), corrupt.err());
        assertTrue(corrupt.err().contains("corrupt " + dir.resolve("slurm/jobs.json")), corrupt.err());
        Files.writeString(dir.resolve("slurm/jobs.json"), "{\"command_line\": [\"slurm\"], \"shards\": ");
        assertEquals(3, TnCli.run("slurm", "wait", dir.toString()).code());
    }
}
