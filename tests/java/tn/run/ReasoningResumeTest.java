package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.NeuronSet;
import tn.method.LastLayer;
import tn.model.SyntheticModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reasoning run killed midway (SIGKILL, in another JVM, 3 at a time) and resumed 2 at a time
 * writes the uninterrupted run's files, and generates only the questions its checkpoint did not
 * hold, those generated ahead of the checkpoint's batch included.
 */
class ReasoningResumeTest {
    static final Path DATA = Path.of(System.getProperty("tn.repo", "."), "tests", "data", "reasoning", "sample");
    static final int MAX_NEW = 8;

    static ReasoningRun run(Path out, boolean resume) {
        return new ReasoningRun(
                new RunContext(TestModels.file(TestModels.SPM),
                        new RunInput.Questions(DATA.resolve("test.jsonl"), "ko"),
                        // the command's default --ctx: 4096 + MAX_NEW, at most the context the model was trained for
                        out,
                        new RunSettings(1, 1, Math.min(4096 + MAX_NEW, SyntheticModel.CONTEXT_LENGTH), -1,
                                LastLayer.NORMED, resume, true, false, 60, null),
                        ResumeTest.SILENT),
                new ReasoningRun.Params(
                        DATA.resolve("validation.jsonl"), Set.of(), 0, NeuronSet.Choice.none(), 42, MAX_NEW, 2));
    }

    @Test
    void killedRunResumesWithoutGeneratingAQuestionTwice(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        run(whole, false).execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-reasoning.bin");
        ResumeTest.killAfterCheckpoint(checkpoint, killed.resolve("generations.jsonl"), dir.resolve("child.log"),
                "reasoning", "--model", TestModels.file(TestModels.SPM).toString(), "--test",
                DATA.resolve("test.jsonl").toString(), "--fewshot", DATA.resolve("validation.jsonl").toString(),
                "--lang", "ko", "--max-new-tokens", String.valueOf(MAX_NEW), "--parallel", "3", "--out",
                killed.toString(), "--batch", "1", "--threads", "1", "--checkpoint-every", "0", "--quiet");
        int done = Checkpoint.peek(checkpoint).next();
        assertTrue(done > 0 && done < 9, "killed after " + done);

        ReasoningRun resumed = run(killed, true);
        resumed.execute();
        assertFalse(Files.exists(checkpoint));
        ResumeTest.assertResumed(killed, done, 9);
        int[] counts = resumed.generatedAndFoundDone();
        assertEquals(9 - done, counts[0] + counts[1], "generated " + counts[0] + ", found done " + counts[1]);
        for (String out : List.of("prompts.jsonl", "generations.jsonl", "accuracy.tsv", "accuracy.json")) {
            assertEquals(Files.readString(whole.resolve(out)), Files.readString(killed.resolve(out)), out);
        }
        System.out.printf("killed after %d of 9 questions; the resumed run generated %d and found %d done ahead%n",
                done, counts[0], counts[1]);
    }
}
