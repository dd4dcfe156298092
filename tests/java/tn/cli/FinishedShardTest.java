package tn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard run again with --resume into its own finished folder (a job requeued or resubmitted by
 * hand) does nothing and leaves every file as it was; the same shard of other inputs runs over it.
 */
class FinishedShardTest {
    @TempDir
    Path dir;

    String[] shard(Path sentences, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("centroids", "--model", TestModels.file(TestModels.SPM).toString(),
                "--type", "type2", "--lang", "ja", "--sentences", sentences.toString(), "--out", out.toString(),
                "--shard", "2/3", "--batch", "4", "--threads", "1"));
        a.addAll(List.of(more));
        return a.toArray(String[] ::new);
    }

    @Test
    void aFinishedShardIsLeftAloneAndAShardOfOtherInputsRunsOverIt() throws Exception {
        Path sentences = Files.copy(Path.of("data/demo/ja.txt"), dir.resolve("ja.txt"));
        Path out = dir.resolve("shard");
        TnCli.run(shard(sentences, out, "--quiet")).expect(0);
        Map<Path, String> finished = SlurmCommandTest.fingerprints(out);

        TnCli.Result again = TnCli.run(shard(sentences, out, "--resume")).expect(0);
        assertTrue(again.out().contains("shard 2/3 in " + out + " had finished; nothing to do"), again.out());
        assertEquals(finished, SlurmCommandTest.fingerprints(out));

        Files.writeString(sentences, Files.readString(Path.of("data/demo/ko.txt")));
        TnCli.run(shard(sentences, out, "--resume", "--quiet")).expect(0);
        Map<Path, String> other = SlurmCommandTest.fingerprints(out);
        assertNotEquals(finished.get(out.resolve("shard-state.bin")), other.get(out.resolve("shard-state.bin")));
    }
}
