package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.NeuronSet;
import tn.method.LastLayer;
import tn.llama.Positions;
import tn.qa.AnswerMode;
import tn.qa.PromptTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A qa run killed midway (SIGKILL, in another JVM) and resumed writes the uninterrupted run's answers. */
class QaResumeTest {
    static final int BATCH = 4, MAX_NEW = 8;

    static QaRun run(Path questions, Path out, boolean resume) {
        return new QaRun(new RunContext(TestModels.file(TestModels.SPM), new RunInput.Questions(questions, "ja"), out,
                                 new RunSettings(1, BATCH, 512, -1, LastLayer.NORMED, resume, true, false, 60, null),
                                 ResumeTest.SILENT),
                // what the command's defaults (the paper's protocol) give with --max-new-tokens MAX_NEW
                new QaRun.Params(NeuronSet.Choice.none(), 42, PromptTemplate.original("ja"), MAX_NEW,
                        Positions.ALL_TOKENS, AnswerMode.ALL, false, 3, Protocol.PAPER));
    }

    @Test
    void killedRunResumesToTheSameAnswers(@TempDir Path dir) throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int k = 0; k < 400; k++) {
            jsonl.append(String.format("{\"question\": \"%s %d\", \"answers\": [\"%d\"], \"lang\": \"ja\"}\n",
                    TestModels.SENTENCES[k % TestModels.SENTENCES.length], k, k));
        }
        Path questions = Files.writeString(dir.resolve("q.jsonl"), jsonl);
        Path whole = dir.resolve("whole");
        run(questions, whole, false).execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-qa.bin");
        ResumeTest.killAfterCheckpoint(checkpoint, killed.resolve("answers.tsv"), dir.resolve("child.log"), "qa",
                "--model", TestModels.file(TestModels.SPM).toString(), "--questions", questions.toString(), "--lang",
                "ja", "--max-new-tokens", String.valueOf(MAX_NEW), "--out", killed.toString(), "--batch",
                String.valueOf(BATCH), "--threads", "1", "--checkpoint-every", "0", "--quiet");
        int done = Checkpoint.peek(checkpoint).next();
        assertTrue(done > 0 && done < 400, "killed after " + done);

        run(questions, killed, true).execute();
        assertFalse(Files.exists(checkpoint));
        ResumeTest.assertResumed(killed, done, 400);
        for (String out : List.of("answers.tsv", "qa.json")) {
            assertEquals(Files.readString(whole.resolve(out)), Files.readString(killed.resolve(out)), out);
        }
    }
}
