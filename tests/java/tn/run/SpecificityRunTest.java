package tn.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.analysis.RankedNeurons;
import tn.method.LastLayer;
import tn.model.ModelSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A specificity run killed midway (SIGKILL, in another JVM) and resumed gives the uninterrupted result. */
class SpecificityRunTest {
    static final int BATCH = 8;

    /**
     * Checkpoints only the killed child writes, after every batch; this process's runs go straight through. One
     * thread: llama.cpp's spinning workers crawl on a machine shared with other jobs.
     */
    static SpecificityRun run(Map<String, Path> sentences, Path ranking, Path out, boolean resume) {
        return new SpecificityRun(
                new RunContext(TestModels.file(TestModels.SPM), new RunInput.Languages(sentences), out,
                        new RunSettings(1, BATCH, 512, -1, LastLayer.NORMED, resume, true, false, 60, null),
                        ResumeTest.SILENT),
                new SpecificityRun.Params(List.of(RankedNeurons.read(ranking, null, null))));
    }

    @Test
    void killedRunResumesToTheSameResult(@TempDir Path dir) throws Exception {
        Map<String, Path> sentences = new LinkedHashMap<>();
        for (String lang : List.of("ja", "en")) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 400; k++) {
                sb.append(TestModels.SENTENCES[(k + (lang.equals("ja") ? 1 : 0)) % TestModels.SENTENCES.length])
                        .append(' ')
                        .append(k)
                        .append('\n');
            }
            sentences.put(lang, Files.writeString(dir.resolve(lang + ".txt"), sb));
        }
        Path detection = Files.createDirectories(dir.resolve("ja-type1"));
        StringBuilder rows = new StringBuilder("rank\tlayer\tneuron\tscore\n");
        for (int k = 0; k < 40; k++)
            rows.append(k + 1).append('\t').append(k % 4).append('\t').append(2 * k).append("\t0.5\n");
        Path ranking = Files.writeString(detection.resolve("ranking.tsv"), rows);
        ModelSummary shape =
                ModelSummary.of(TestModels.file(TestModels.SPM)); // a ranking is checked against the model's shape
        Files.writeString(detection.resolve("run.json"),
                "{\"command\": \"detect\", \"model\": {\"n_layer\": " + shape.nLayer() + ", \"n_ff\": " + shape.nFf()
                        + "}, \"parameters\": {\"type\": \"type1\", \"lang\": \"ja\"}}");

        Path whole = dir.resolve("whole");
        run(sentences, ranking, whole, false).execute();

        Path killed = dir.resolve("killed");
        Path checkpoint = killed.resolve("checkpoint-specificity.bin");
        ResumeTest.killAfterCheckpoint(checkpoint, killed.resolve("specificity.tsv"), dir.resolve("child.log"),
                "specificity", "--model", TestModels.file(TestModels.SPM).toString(), "--ranking", ranking.toString(),
                "--sentences", "ja=" + sentences.get("ja") + ",en=" + sentences.get("en"), "--out", killed.toString(),
                "--batch", String.valueOf(BATCH), "--threads", "1", "--checkpoint-every", "0", "--quiet");
        int done = Checkpoint.peek(checkpoint).next();
        assertTrue(done > 0 && done < 800, "killed after " + done);

        assertThrows(tn.io.InputException.class, () -> run(sentences, ranking, killed, false).execute());
        run(sentences, ranking, killed, true).execute();
        assertFalse(Files.exists(checkpoint));
        for (String out : List.of("specificity.tsv", "summary.tsv")) {
            assertEquals(Files.readString(whole.resolve(out)), Files.readString(killed.resolve(out)), out);
        }
        ResumeTest.assertResumed(killed, done, 800);
    }
}
