package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.TnCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run kinds that checkpoint and have no resume test of their own (centroids, mknn, latent,
 * lape): each is SIGKILLed in another JVM after a checkpoint, resumed, and must write the
 * uninterrupted run's files byte for byte, from a process that ran only the items after the
 * checkpoint (detect, similarity, specificity and qa have theirs in ResumeTest, SimilarityRunTest,
 * SpecificityRunTest and QaResumeTest).
 */
class RunKindsResumeTest {
    static final int SENTENCES = 400;

    @TempDir
    Path dir;

    /** SENTENCES numbered test sentences, shifted by offset so that two languages differ. */
    Path sentences(String name, int offset) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < SENTENCES; k++) {
            sb.append(TestModels.SENTENCES[(k + offset) % TestModels.SENTENCES.length])
                    .append(' ')
                    .append(k)
                    .append('\n');
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    Path pairs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < SENTENCES; k++) {
            sb.append(TestModels.SENTENCES[k % 2 == 0 ? 0 : 3] + " " + k + "\t"
                    + TestModels.SENTENCES[k % 2 == 0 ? 1 : 4] + " " + k + "\n");
        }
        return Files.writeString(dir.resolve("en-ja.tsv"), sb);
    }

    String languages() throws IOException {
        return "ja=" + sentences("ja.txt", 1) + ",en=" + sentences("en.txt", 0);
    }

    @Test
    void centroids() throws Exception {
        assertKilledRunResumes("centroids", SENTENCES, List.of("centroids.npy"), "--type", "type2", "--lang", "ja",
                "--sentences", sentences("ja.txt", 1).toString());
    }

    @Test
    void mknn() throws Exception {
        assertKilledRunResumes(
                "mknn", SENTENCES, List.of("mknn.csv", "deactivated.tsv"), "--pairs", pairs().toString(), "--k", "5");
    }

    @Test
    void latent() throws Exception {
        assertKilledRunResumes("latent", 2 * SENTENCES, List.of("centroid_similarity.csv", "pca.csv"), "--sentences",
                languages(), "--pca-sentences", "50");
    }

    @Test
    void lape() throws Exception {
        assertKilledRunResumes("lape", 2 * SENTENCES,
                List.of("activation_probability.npy", "entropy.npy", "language_specific.tsv"), "--sentences",
                languages());
    }

    /**
     * Runs command with args uninterrupted, then again in a child JVM SIGKILLed after its first
     * checkpoints, resumes that, and compares outputs; items is the run's item count.
     */
    void assertKilledRunResumes(String command, int items, List<String> outputs, String... args) throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        TnCli.run(argv(command, whole, args).toArray(String[] ::new)).expect(0);

        Path checkpoint = Run.checkpointFile(killed, command);
        List<String> child = argv(command, killed, args);
        child.addAll(List.of("--checkpoint-every", "0"));
        ResumeTest.killAfterCheckpoint(
                checkpoint, killed.resolve("run.json"), dir.resolve("child.log"), child.toArray(String[] ::new));
        int done = Checkpoint.peek(checkpoint).next();
        assertTrue(done > 0 && done < items, "killed after " + done + " of " + items);

        List<String> resume = argv(command, killed, args);
        resume.add("--resume");
        TnCli.run(resume.toArray(String[] ::new)).expect(0);
        assertFalse(Files.exists(checkpoint), "the finished run left its checkpoint");
        for (String f : outputs) {
            assertArrayEquals(
                    Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(killed.resolve(f)), command + ": " + f);
        }
        ResumeTest.assertResumed(killed, done, items);
    }

    /**
     * tn COMMAND --model (the test model) ARGS --out OUT, one item per batch, quietly, on one
     * thread: llama.cpp's spinning workers crawl on a machine shared with other jobs.
     */
    static List<String> argv(String command, Path out, String... args) {
        List<String> a = new ArrayList<>(List.of(command, "--model", TestModels.file(TestModels.SPM).toString()));
        a.addAll(List.of(args));
        a.addAll(List.of("--out", out.toString(), "--batch", "1", "--threads", "1", "--quiet"));
        return a;
    }
}
