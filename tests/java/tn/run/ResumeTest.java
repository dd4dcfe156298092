package tn.run;

import tn.record.RunJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.hostile.Hostile;
import tn.io.Console;
import tn.method.TransferType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A detection killed midway (SIGKILL, in another JVM) and resumed gives the uninterrupted result;
 * and the helpers every resume test uses (public for the sweep's).
 */
public class ResumeTest {
    static final Console SILENT = Console.silent();

    static RunSettings settings(boolean resume) {
        return RunSettings.defaults().withBatch(1).withCheckpointSeconds(0).withResume(resume);
    }

    static DetectionRun detect(Path centroids, Path sentences, Path out, boolean resume) {
        return new DetectionRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Sentences(sentences, "ja"),
                                        out, settings(resume), SILENT),
                new DetectionRun.Params(TransferType.TYPE2, 50, centroids, null, false));
    }

    @Test
    void killedRunResumesToTheSameResult(@TempDir Path dir) throws Exception {
        Path sentences = dir.resolve("ja.txt");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 1500; k++)
            sb.append(TestModels.SENTENCES[k % TestModels.SENTENCES.length]).append(" ").append(k).append('\n');
        Files.writeString(sentences, sb);
        Path c = dir.resolve("c");
        new CentroidRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Sentences(sentences, "ja"), c,
                                RunSettings.defaults(), SILENT),
                TransferType.TYPE2)
                .execute();
        Path centroids = c.resolve("centroids.npy");

        Path whole = dir.resolve("whole");
        detect(centroids, sentences, whole, false).execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-detect.bin");
        killAfterCheckpoint(checkpoint, killed.resolve("ranking.tsv"), dir.resolve("child.log"), "detect", "--model",
                TestModels.file(TestModels.SPM).toString(), "--type", "type2", "--lang", "ja", "--top-n", "50",
                "--centroids", centroids.toString(), "--sentences", sentences.toString(), "--out", killed.toString(),
                "--batch", "1", "--checkpoint-every", "0", "--quiet");
        int done = Checkpoint.peek(checkpoint).next();
        assertTrue(done > 0 && done < 1500, "killed after " + done);

        // without --resume the checkpoint is not silently thrown away
        assertThrows(tn.io.InputException.class, () -> detect(centroids, sentences, killed, false).execute());

        detect(centroids, sentences, killed, true).execute();
        assertFalse(Files.exists(checkpoint));
        assertArrayEquals(
                Files.readAllBytes(whole.resolve("scores.npy")), Files.readAllBytes(killed.resolve("scores.npy")));
        assertEquals(Files.readString(whole.resolve("ranking.tsv")), Files.readString(killed.resolve("ranking.tsv")));
        assertResumed(killed, done, 1500);
    }

    @Test
    void aCheckpointOfOtherParametersIsRefused(@TempDir Path dir) throws IOException {
        Path sentences = dir.resolve("ja.txt");
        Files.writeString(sentences, String.join("\n", TestModels.SENTENCES) + "\n");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        new Checkpoint("{}", 0, 6, 1, 1, 1, 0, 0, new double[0]).write(out.resolve("checkpoint-centroids.bin"));
        RuntimeException e = assertThrows(RuntimeException.class,
                ()
                        -> new CentroidRun(
                                new RunContext(TestModels.file(TestModels.SPM), new RunInput.Sentences(sentences, "ja"),
                                        out, settings(true), SILENT),
                                TransferType.TYPE2)
                                .execute());
        assertTrue(e.getMessage().contains("another model, data or parameters"), e.getMessage());
    }

    /**
     * The run in dir was resumed after done of total items and this process ran only the rest: what
     * a --resume that started over (and still gave the same numbers, runs being deterministic)
     * would fail.
     */
    public static void assertResumed(Path dir, int done, int total) {
        RunJson json = RunJson.of(dir);
        assertEquals(done, json.integer("run.resumed_from_item"), "resumed_from_item");
        assertEquals(total - done, json.integer("run.items_this_process"), "items run by the resuming process");
    }

    /**
     * Runs tn with args in another JVM and SIGKILLs it as soon as checkpoint appears, checking
     * that it had not finished (finalOutput is not there yet).
     */
    public static void killAfterCheckpoint(Path checkpoint, Path finalOutput, Path log, String... args)
            throws Exception {
        Process p = new ProcessBuilder(Hostile.javaCommand(Tn.class, args))
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(50);
        p.destroyForcibly().waitFor();
        assertTrue(Files.exists(checkpoint), "no checkpoint appeared: " + Files.readString(log));
        assertFalse(Files.exists(finalOutput), "the run finished before it was killed");
    }

    /** The items a checkpoint has done: where a resumed run must start. */
    public static int checkpointedItems(Path checkpoint) {
        return Checkpoint.peek(checkpoint).next();
    }
}
