package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.method.TransferType;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A detection killed midway (SIGKILL, in another JVM) and resumed gives the uninterrupted result. */
class ResumeTest {
    static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

    static RunSettings settings(boolean resume) {
        return RunSettings.defaults().withBatch(1).withCheckpointSeconds(0).withResume(resume);
    }

    static DetectionRun detect(Path centroids, Path sentences, Path out, boolean resume) {
        return new DetectionRun(TestModels.file(TestModels.SPM), TransferType.TYPE1, "ja", 50, centroids, sentences,
                out, null, false, settings(resume), SILENT, SILENT);
    }

    @Test
    void killedRunResumesToTheSameResult(@TempDir Path dir) throws Exception {
        Path sentences = dir.resolve("ja.txt");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 1500; k++) sb.append(TestModels.SENTENCES[k % TestModels.SENTENCES.length]).append(" ").append(k).append('\n');
        Files.writeString(sentences, sb);
        Path c = dir.resolve("c");
        new CentroidRun(TestModels.file(TestModels.SPM), TransferType.TYPE2, "ja", sentences, c, RunSettings.defaults(),
                SILENT, SILENT).execute();
        Path centroids = c.resolve("centroids.npy");

        Path whole = dir.resolve("whole");
        detect(centroids, sentences, whole, false).execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-detect.bin");
        killAfterCheckpoint(checkpoint, killed.resolve("ranking.tsv"), dir.resolve("child.log"), "detect", "--model",
                TestModels.file(TestModels.SPM).toString(), "--type", "type1", "--lang", "ja", "--top-n", "50", "--centroids",
                centroids.toString(), "--sentences", sentences.toString(), "--out", killed.toString(), "--batch", "1",
                "--checkpoint-every", "0", "--quiet");
        int done = Checkpoint.read(checkpoint).itemsDone();
        assertTrue(done > 0 && done < 1500, "killed after " + done);

        // without --resume the checkpoint is not silently thrown away
        assertThrows(IllegalArgumentException.class, () -> detect(centroids, sentences, killed, false).execute());

        detect(centroids, sentences, killed, true).execute();
        assertFalse(Files.exists(checkpoint));
        assertArrayEquals(Files.readAllBytes(whole.resolve("scores.npy")), Files.readAllBytes(killed.resolve("scores.npy")));
        assertEquals(Files.readString(whole.resolve("ranking.tsv")), Files.readString(killed.resolve("ranking.tsv")));
        assertTrue(Files.readString(killed.resolve("run.json")).contains("\"resumed_from_item\": "));
    }

    @Test
    void aCheckpointOfOtherParametersIsRefused(@TempDir Path dir) throws IOException {
        Path sentences = dir.resolve("ja.txt");
        Files.writeString(sentences, String.join("\n", TestModels.SENTENCES) + "\n");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        new Checkpoint("{}", 1, 1, 1, 0, 0, new double[0]).write(out.resolve("checkpoint-centroids.bin"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> new CentroidRun(TestModels.file(TestModels.SPM),
                TransferType.TYPE2, "ja", sentences, out, settings(true), SILENT, SILENT).execute());
        assertTrue(e.getMessage().contains("another model, data or parameters"), e.getMessage());
    }

    /**
     * Runs tn with args in another JVM and SIGKILLs it as soon as checkpoint appears, checking
     * that it had not finished (finalOutput is not there yet).
     */
    static void killAfterCheckpoint(Path checkpoint, Path finalOutput, Path log, String... args) throws Exception {
        Process p = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(50);
        p.destroyForcibly().waitFor();
        assertTrue(Files.exists(checkpoint), "no checkpoint appeared: " + Files.readString(log));
        assertFalse(Files.exists(finalOutput), "the run finished before it was killed");
    }

    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("tn.cli.Tn");
        cmd.addAll(List.of(args));
        return cmd;
    }
}
