package tn.hostile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.io.Npy;
import tn.slurm.LocalSlurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches a batch script, on a real Slurm (scripts/slurm-local, one node): an output folder
 * whose name holds a space, '#', quotes, '%' and a command substitution runs as that folder on
 * the cluster (sbatch reads its #SBATCH --output whole, bash its words literally, and the command
 * never runs), the jobs' JVM has the submitting one's garbage collector (scripts/tn's
 * -XX:+UseSerialGC), and a run whose input is missing is refused before anything is submitted.
 */
class HostileSlurmTest {
    @TempDir
    static Path tmp;
    static LocalSlurm cluster;
    static String model;
    static Path ja;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = LocalSlurm.start(tmp.resolve("cluster"));
        model = TestModels.file(TestModels.SPM).toString();
        ja = Files.writeString(tmp.resolve("ja.txt"), "猫がソファの上で寝ています。\n駅はどこですか？\n今日は雨です。\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void anOddOutputFolderIsThatFolderOnTheCluster() throws Exception {
        Path marker = tmp.resolve("injected");
        Path out = tmp.resolve("out dir #1 $(touch " + marker + ") 'q' \"d\" 100%x");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"), Tn.class.getName(),
                "slurm", "centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences", ja.toString(),
                "--threads", "1", "--out", out.toString(), "--shards", "2", "--wait"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().putAll(cluster.env());
        TnCli.Result r = Hostile.Child.start(pb).await("tn slurm", 300);
        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(Files.exists(marker), "the command in the folder's name ran");
        Path whole = tmp.resolve("whole");
        TnCli.run("centroids", "--model", model, "--type", "type2", "--lang", "ja", "--sentences", ja.toString(),
                     "--threads", "1", "--out", whole.toString(), "-q")
                .expect(0);
        assertArrayEquals(Npy.readFloat32(whole.resolve("centroids.npy")).data(),
                Npy.readFloat32(out.resolve("centroids.npy")).data(), 1e-6f, "the merged run, in the odd folder");
        try (Stream<Path> logs = Files.list(out.resolve("slurm/logs"))) {
            assertEquals(3, logs.filter(f -> f.getFileName().toString().endsWith(".out")).count(),
                    "two shards' logs and the merge's, where #SBATCH --output says");
        }
        try (Stream<Path> scripts = Files.list(out.resolve("slurm"))) {
            for (Path s : scripts.filter(f -> f.toString().endsWith(".sbatch")).toList()) {
                String text = Files.readString(s);
                assertTrue(text.contains(" '-XX:+UseSerialGC' "), "the submitting JVM's collector: " + text);
                String quoted = out.toString().replace("%", "%%").replace("\"", "\\\"");
                assertTrue(text.contains("#SBATCH --output=\"" + quoted + "/slurm/logs/"), text);
            }
        }
    }

    @Test
    void aRunWithAMissingInputIsNotSubmitted() throws Exception {
        Path missing = tmp.resolve("no-such-centroids.npy"), out = tmp.resolve("never");
        TnCli.Result r = Hostile.tn("slurm", "detect", "--model", model, "--type", "type2", "--lang", "ja", "--top-n",
                "5", "--centroids", missing.toString(), "--sentences", ja.toString(), "--out", out.toString(),
                "--shards", "2");
        Hostile.refused("a missing --centroids", r, 3, missing.toString(), "no such file", "--centroids");
        Hostile.nothingLeft("a missing --centroids", out);
    }
}
