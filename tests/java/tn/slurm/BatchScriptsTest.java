package tn.slurm;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.jobs.Step;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch scripts as bash and sbatch read them: valid bash, the cluster options on #SBATCH
 * lines (GPUs only for the jobs that run the model), and the command each job runs, argument for
 * argument, however odd the arguments.
 */
class BatchScriptsTest {
    @TempDir
    Path dir;

    static final List<String> LAUNCHER =
            List.of("/opt/java 17/bin/java", "-Xmx2g", "-cp", "/opt/tn/tn.jar", "tn.cli.Tn");

    JobFile jobs(Step step, int shards) {
        return new JobFile(List.of("slurm", "detect"), dir.resolve("work dir"), LAUNCHER,
                new SbatchOptions("gpu", 1, 4, "16G", "1:00:00", "lab", List.of("--qos=high")), shards, List.of(step),
                List.of());
    }

    @Test
    void shardAndMergeScripts() throws Exception {
        Step step = Step.run("detect", List.of("detect", "--sentences", "it's a file.txt", "--lang", "$HOME"),
                dir.resolve("out"), List.of());
        BatchScripts scripts = new BatchScripts(dir, jobs(step, 3));
        Path shards = scripts.shards(step), merge = scripts.merge(step);
        String s = Files.readString(shards), m = Files.readString(merge);
        for (String line : List.of("#SBATCH --partition=gpu", "#SBATCH --account=lab", "#SBATCH --time=1:00:00",
                     "#SBATCH --mem=16G", "#SBATCH --cpus-per-task=4", "#SBATCH --qos=high",
                     "#SBATCH --job-name=tn-detect-merge")) {
            assertTrue(m.contains(line + "\n"), line + " in\n" + m);
        }
        assertTrue(s.contains("#SBATCH --gpus-per-task=1\n"), s);
        assertFalse(m.contains("gpus"), "a merge adds up sums: no GPU\n" + m);
        assertTrue(s.contains("#SBATCH --output=\"" + dir.resolve("slurm/logs/detect.shard-%a.%A.out") + "\"\n"), s);
        assertTrue(Files.isDirectory(dir.resolve("slurm/logs")), "Slurm does not create the log folder");

        // what the shard script runs, word for word, for task 2
        assertEquals(List.of(LAUNCHER.get(0), "-Xmx2g", "-cp", "/opt/tn/tn.jar", "tn.cli.Tn", "detect", "--sentences",
                             "it's a file.txt", "--lang", "$HOME", "--out", dir.resolve("out/shards/2").toString(),
                             "--shard", "2/3", "--resume", "--force"),
                words(s, "2"));
        assertEquals(List.of(LAUNCHER.get(0), "-Xmx2g", "-cp", "/opt/tn/tn.jar", "tn.cli.Tn", "merge", "--force",
                             "--out", dir.resolve("out").toString(), dir.resolve("out/shards/1").toString(),
                             dir.resolve("out/shards/2").toString(), dir.resolve("out/shards/3").toString()),
                words(m, ""));
        assertTrue(s.contains("cd '" + dir.resolve("work dir") + "'\n"), s);
    }

    @Test
    void aStepScript() throws Exception {
        Step run = Step.run("ja-type1-detect", List.of("detect", "--top-n", "10"), dir.resolve("d"), List.of());
        Step other = Step.command(
                "report", List.of("report", "d", "--out", "r.html"), dir.resolve("r.html"), List.of("ja-type1-detect"));
        BatchScripts scripts = new BatchScripts(dir, jobs(run, 1));
        String r = Files.readString(scripts.step(run)), o = Files.readString(scripts.step(other));
        assertEquals(List.of(LAUNCHER.get(0), "-Xmx2g", "-cp", "/opt/tn/tn.jar", "tn.cli.Tn", "detect", "--top-n", "10",
                             "--out", dir.resolve("d").toString(), "--resume", "--force"),
                words(r, ""));
        assertEquals(List.of(LAUNCHER.get(0), "-Xmx2g", "-cp", "/opt/tn/tn.jar", "tn.cli.Tn", "report", "d", "--out",
                             "r.html", "--force"),
                words(o, ""));
        assertTrue(r.contains("--gpus-per-task=1") && !o.contains("gpus"), "only a run gets GPUs");
    }

    @Test
    void optionsThatWouldBreakAnSbatchLineAreRefused() {
        assertThrows(
                InvalidValueException.class, () -> new SbatchOptions("gpu a", null, null, null, null, null, List.of()));
        assertThrows(InvalidValueException.class,
                () -> new SbatchOptions(null, null, null, "16G\n#SBATCH --x", null, null, List.of()));
        assertThrows(InvalidValueException.class,
                () -> new SbatchOptions(null, null, null, null, null, null, List.of("qos=high")));
        assertThrows(InvalidValueException.class, () -> new SbatchOptions(null, null, 0, null, null, null, List.of()));
    }

    /**
     * The words the script's exec line hands to the program, as bash parses them with
     * SLURM_ARRAY_TASK_ID=task: the script is run with exec replaced by a printer of its arguments.
     */
    static List<String> words(String script, String task) throws Exception {
        String body = script.lines()
                              .filter(l -> !l.startsWith("cd "))
                              .map(l -> l.replaceFirst("^exec ", "printf '%s\\\\0' "))
                              .reduce("", (a, b) -> a + b + "\n");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", body).redirectErrorStream(true);
        if (!task.isEmpty()) pb.environment().put("SLURM_ARRAY_TASK_ID", task);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        ProcessBuilder check = new ProcessBuilder("bash", "-n", "-c", script);
        assertEquals(0, check.start().waitFor(), "bash -n");
        assertEquals(0, p.exitValue(), out);
        return List.of(out.split("\0"));
    }
}
