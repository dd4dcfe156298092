package tn.run;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.hostile.Hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A run stopped by Slurm's SIGTERM or by Ctrl-C (SIGINT), in a JVM of its own, checkpoints at the
 * end of its current batch and ends with the signal's exit code (128 + its number); --resume then
 * runs only the items after the checkpoint and writes the uninterrupted run's files byte for byte.
 * The child runs with --checkpoint-every far longer than the run, so the checkpoint it leaves can
 * only be the one the signal wrote.
 */
class RunSignalTest {
    static final int SIGINT = 2, SIGTERM = 15;
    static final int SENTENCES = 2500; // seconds of items in the child: the signal lands midway

    @TempDir
    static Path dir;
    static Path sentences, whole;

    @BeforeAll
    static void uninterrupted() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < SENTENCES; k++)
            sb.append(TestModels.SENTENCES[k % TestModels.SENTENCES.length]).append(' ').append(k).append('\n');
        sentences = Files.writeString(dir.resolve("ja.txt"), sb);
        whole = dir.resolve("whole");
        TnCli.run(argv(whole).toArray(String[] ::new)).expect(0);
    }

    @Test
    void sigtermCheckpointsAndResumes() throws Exception {
        assertSignalCheckpointsAndResumes("term", List.of(), SIGTERM);
    }

    /** Ctrl-C: SIGINT, with its default disposition restored for the child (see Hostile.assertCatches). */
    @Test
    void ctrlCCheckpointsAndResumes() throws Exception {
        assertSignalCheckpointsAndResumes("int", List.of("env", "--default-signal=INT"), SIGINT);
    }

    /**
     * Starts `tn centroids` in a child JVM (its command prefixed by wrapper), sends it signal once it
     * is running its items, and checks what it leaves and what resuming it gives.
     */
    private static void assertSignalCheckpointsAndResumes(String name, List<String> wrapper, int signal)
            throws Exception {
        Path out = dir.resolve(name), checkpoint = Run.checkpointFile(out, "centroids");
        List<String> cmd = new ArrayList<>(wrapper);
        List<String> args = argv(out);
        args.addAll(List.of("--checkpoint-every", "86400"));
        cmd.addAll(Hostile.javaCommand(Tn.class, args.toArray(String[] ::new)));
        Hostile.Child child = Hostile.Child.start(cmd);
        awaitItems(child, out);
        Hostile.assertCatches(child.process(), signal);
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(child.process().pid()))
                               .inheritIO()
                               .start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);

        TnCli.Result stopped = child.await("centroids after signal " + signal, 60);
        assertEquals(128 + signal, stopped.code(),
                "the exit code of a JVM ended by signal " + signal + "; stderr: " + stopped.err());
        assertTrue(Files.exists(checkpoint), "no checkpoint after signal " + signal + "; stderr: " + stopped.err());
        assertFalse(Files.exists(out.resolve("run.json")), "the run finished before the signal");
        int done = ResumeTest.checkpointedItems(checkpoint);
        assertTrue(done > 0 && done < SENTENCES, "checkpointed after " + done + " of " + SENTENCES);
        assertTrue(stopped.err().contains("interrupted after " + done + " of " + SENTENCES),
                "the run says where it stopped: " + stopped.err());

        List<String> resume = argv(out);
        resume.add("--resume");
        TnCli.run(resume.toArray(String[] ::new)).expect(0);
        assertFalse(Files.exists(checkpoint), "the finished run left its checkpoint");
        assertArrayEquals(Files.readAllBytes(whole.resolve("centroids.npy")),
                Files.readAllBytes(out.resolve("centroids.npy")), "centroids.npy resumed after signal " + signal);
        ResumeTest.assertResumed(out, done, SENTENCES);
    }

    /**
     * Waits for out to appear (a run creates it only once the model and the data are read and
     * checked, just before its items), then 0.3 s more for the run to open its llama.cpp context and
     * begin (milliseconds for the test model): a signal before that would end the JVM with nothing
     * to checkpoint. On a busy two-core machine the child then runs about 500 items a second.
     */
    private static void awaitItems(Hostile.Child child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isDirectory(out)) {
            if (!child.process().isAlive()) fail("the child ended before its run began: " + child.err().join());
            if (System.nanoTime() > deadline) {
                child.process().destroyForcibly().waitFor();
                fail(out + " did not appear within 60 s");
            }
            Thread.sleep(5);
        }
        Thread.sleep(300);
        assertTrue(child.process().isAlive(), () -> "the run ended within 0.3 s: " + child.err().join());
    }

    private static List<String> argv(Path out) {
        return RunKindsResumeTest.argv("centroids", out, "--type", "type2", "--lang", "ja", "--sentences",
                sentences.toString());
    }
}
