package tn.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.TnCli;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.net.Downloader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tn model pull against a hub that stalls or lies: a stall ends within the timeout as a network
 * failure (exit 4) keeping the partial file to resume; bytes that are not the model (an HTML
 * page, a GGUF header over garbage, more than announced) are refused (exit 3) and deleted; a
 * body cut short with no Content-Length is caught by the announced size or by the GGUF itself,
 * and resumes to the right file. Nothing is printed on stdout when a pull fails.
 */
class HostileHubTest {
    static final String REPO = "tn-test/hostile-GGUF";
    static final String FILE = "tiny.gguf";
    /** Seconds of silence before a stalled pull fails; short, so that the stall tests are quick. */
    static final String STALL_TIMEOUT = "2";

    @TempDir
    static Path shared;
    static byte[] model;

    @TempDir
    Path tmp;
    FakeHub hub;

    @BeforeAll
    static void writeModel() throws IOException {
        Path file = shared.resolve(FILE);
        new SyntheticModel(1, 16, 16, 2, 1, Vocabulary.LLAMA_SPM, 9, FileType.F32).write(file);
        model = Files.readAllBytes(file);
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        hub.put(REPO, FILE, model);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    TnCli.Result pull(String... extra) {
        List<String> args = new ArrayList<>(List.of("model", "pull", REPO, FILE, "--hub", hub.url(), "--cache",
                tmp.resolve("cache").toString(), "--quiet"));
        args.addAll(List.of(extra));
        return TnCli.run(args.toArray(String[] ::new));
    }

    Path target() {
        return tmp.resolve("cache").resolve(REPO).resolve(FILE);
    }

    Path part() {
        return Downloader.partial(target());
    }

    /** The failure's exit code and message, nothing on stdout, no model file. */
    void fails(TnCli.Result r, int code, String... says) {
        r.expect(code);
        assertEquals("", r.out(), "nothing on stdout on failure");
        for (String s : says) assertTrue(r.err().contains(s), "the message says '" + s + "': " + r.err());
        assertFalse(Files.exists(target()), "no model file is left by a failed pull");
    }

    @Test
    @Timeout(60) // a pull that hangs fails the test rather than the build
    void aBodyThatStallsFailsWithinTheTimeoutAndResumes() throws IOException {
        hub.stallNextAfter(5000);
        fails(pull("--timeout", STALL_TIMEOUT), 4, "no data for 2 s", "stalled",
                "run the same command again to resume");
        assertEquals(5000, Files.size(part()), "the partial file keeps what arrived");
        pull().expect(0);
        assertArrayEquals(model, Files.readAllBytes(target()));
        assertFalse(Files.exists(part()));
    }

    @Test
    @Timeout(60)
    void aServerThatNeverAnswersFailsWithinTheTimeout() {
        hub.stallNextAnswer();
        fails(pull("--timeout", STALL_TIMEOUT), 4, "no answer within 2 s");
        assertFalse(Files.exists(part()), "nothing arrived, nothing is kept");
    }

    @Test
    void anHtmlPageIsRefusedAndDeleted() {
        hub.serveNextInstead(
                "<!DOCTYPE html><html><body>Rate limited</body></html>".getBytes(StandardCharsets.UTF_8), true);
        fails(pull(), 3, "not a GGUF file", "<!DOCTYPE html>");
        assertFalse(Files.exists(part()), "an HTML page is not kept to resume");
    }

    @Test
    void aGgufHeaderOverGarbageIsRefusedAndDeleted() {
        byte[] junk = new byte[model.length];
        new Random(1).nextBytes(junk);
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 4);
        hub.advertiseNoChecksum(); // else the checksum refuses it first
        hub.serveNextInstead(junk, true);
        fails(pull(), 3, "not a valid GGUF");
        assertFalse(Files.exists(part()));
    }

    @Test
    void aBodyCutShortWithoutContentLengthIsCaughtByTheAnnouncedSize() throws IOException {
        hub.serveNextInstead(Arrays.copyOf(model, model.length / 2), false);
        fails(pull(), 4, "ended before the " + model.length + " bytes announced");
        assertEquals(model.length / 2, Files.size(part()));
        pull().expect(0);
        assertArrayEquals(model, Files.readAllBytes(target()));
    }

    @Test
    void aBodyCutShortWithNoSizeAnywhereIsCaughtByTheGgufAndResumes() throws IOException {
        hub.advertiseSizeOff(FakeHub.NO_SIZE);
        hub.serveNextInstead(Arrays.copyOf(model, model.length / 2), false);
        fails(pull(), 4, "ended early", "truncated", "run the same command again to resume");
        assertEquals(model.length / 2, Files.size(part()));
        pull().expect(0);
        assertArrayEquals(model, Files.readAllBytes(target()));
    }

    @Test
    void moreBytesThanAnnouncedAreRefused() {
        hub.advertiseSizeOff(-100);
        fails(pull(), 3, "were announced");
        assertFalse(Files.exists(part()));
    }

    @Test
    void theTimeoutIsBounded() {
        for (String t : List.of("0", "-1", "3601")) {
            TnCli.Result r = TnCli.run("model", "pull", REPO, FILE, "--hub", hub.url(), "--timeout", t);
            fails(r, 2, "--timeout must be 1..3600");
        }
    }
}
