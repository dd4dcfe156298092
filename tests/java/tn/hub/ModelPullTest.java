package tn.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tn.cli.Tn;
import tn.cli.TnCli;
import tn.io.Sha256;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.net.Downloader;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tn model pull and tn model list end to end, against a local fake hub. */
class ModelPullTest {
    static final String REPO = "tn-test/tiny-GGUF";
    static final String FILE = "tiny-f32.gguf";

    @TempDir
    static Path shared;
    static byte[] model;
    static String modelSha;

    @TempDir
    Path tmp;
    Path cache;
    FakeHub hub;

    @BeforeAll
    static void writeModel() throws IOException {
        Path file = shared.resolve(FILE);
        new SyntheticModel(1, 16, 16, 2, 1, Vocabulary.LLAMA_SPM, 5, FileType.F32).write(file);
        model = Files.readAllBytes(file);
        modelSha = Sha256.of(model);
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        hub.put(REPO, FILE, model);
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    TnCli.Result pull(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("model", "pull", REPO, FILE, "--hub", hub.url(), "--cache", cache.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return TnCli.run(args.toArray(String[] ::new));
    }

    Path target() {
        return cache.resolve(REPO).resolve(FILE);
    }

    List<FakeHub.Request> storageRequests() {
        return hub.requests.stream().filter(r -> r.path().startsWith("/storage/")).toList();
    }

    @Test
    void downloadsVerifiesRecordsAndLists() throws IOException {
        TnCli.Result r = pull();
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(model, Files.readAllBytes(target()));
        assertFalse(Files.exists(Downloader.partial(target())));
        assertTrue(r.out().contains(target().toString()), r.out());
        assertTrue(r.out().contains(String.format("%,d bytes", model.length)), r.out());
        assertTrue(r.out().contains(modelSha + " (verified: matches the checksum the hub advertised)"), r.out());
        assertEquals(modelSha + "  " + FILE + "\n", Files.readString(ModelCache.checksumFile(target())));
        // the request went to the hub, the bytes came from storage on the other host name
        assertTrue(hub.requests.get(0).host().startsWith("127.0.0.1:"), hub.requests.toString());
        assertTrue(storageRequests().get(0).host().startsWith("localhost:"), hub.requests.toString());

        TnCli.Result list = TnCli.run("model", "list", "--cache", cache.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("1 GGUF file"), list.out());
        String line = list.out()
                              .lines()
                              .filter(l -> l.contains(target().toAbsolutePath().toString()))
                              .findFirst()
                              .orElseThrow();
        assertTrue(line.contains("F32") && line.contains("llama"), line);

        TnCli.Result json = TnCli.run("model", "list", "--cache", cache.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"sha256\": \"" + modelSha + "\""), json.out());
        assertTrue(json.out().contains("\"fileType\": \"F32\""), json.out());
    }

    @Test
    void anInterruptedDownloadResumesWhereItStopped() throws IOException {
        long cut = 1 << 20;
        hub.cutNextAfter(cut);
        TnCli.Result first = pull();
        assertEquals(Tn.EXIT_NETWORK, first.code(), first.err());
        assertTrue(first.err().contains("run the same command again to resume"), first.err());
        Path part = Downloader.partial(target());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= cut, "kept " + kept);
        assertFalse(Files.exists(target()));

        TnCli.Result second = pull();
        assertEquals(0, second.code(), second.err());
        List<FakeHub.Request> storage = storageRequests();
        assertNull(storage.get(0).range());
        assertEquals("bytes=" + kept + "-", storage.get(storage.size() - 1).range());
        assertTrue(second.out().contains("resumed at byte " + kept), second.out());
        assertArrayEquals(model, Files.readAllBytes(target()));
        assertFalse(Files.exists(part));
    }

    @Test
    void aServerThatGoesAwayKeepsThePartialFile() throws IOException {
        hub.stopNextAfter(1 << 20);
        TnCli.Result r = pull();
        assertEquals(Tn.EXIT_NETWORK, r.code(), r.err());
        assertTrue(r.err().contains("interrupted"), r.err());
        Path part = Downloader.partial(target());
        long kept = Files.size(part);
        assertTrue(kept > 0, r.err());
        assertFalse(Files.exists(target()));

        TnCli.Result again = pull(); // the server is still gone
        assertEquals(Tn.EXIT_NETWORK, again.code(), again.err());
        assertTrue(again.err().contains("cannot reach"), again.err());
        assertEquals(kept, Files.size(part));
    }

    @Test
    void aWrongChecksumDeletesTheDownload() {
        String wrong = "0".repeat(64);
        TnCli.Result r = pull("--sha256", wrong);
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(wrong) && r.err().contains(modelSha), r.err());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(Downloader.partial(target())));
        assertFalse(Files.exists(ModelCache.checksumFile(target())));
    }

    @Test
    void aStalePartialFileFailsTheHubsChecksumAndIsDiscarded() throws IOException {
        Path part = Downloader.partial(target());
        Files.createDirectories(part.getParent());
        byte[] stale = new byte[1000]; // not the first 1000 bytes of the model, though it begins as a GGUF does
        System.arraycopy(model, 0, stale, 0, 4);
        Files.write(part, stale);
        TnCli.Result r = pull();
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("expected sha256 " + modelSha + " (advertised by the server)"), r.err());
        assertEquals("bytes=1000-", storageRequests().get(0).range());
        assertFalse(Files.exists(part));
        assertFalse(Files.exists(target()));

        TnCli.Result again = pull();
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(model, Files.readAllBytes(target()));
    }

    @Test
    void aMissingFileWritesNothing() {
        TnCli.Result r = TnCli.run(
                "model", "pull", REPO, "nope.gguf", "--hub", hub.url(), "--cache", cache.toString(), "--quiet");
        assertEquals(Tn.EXIT_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("not found (HTTP 404)")
                        && r.err().contains("/tn-test/tiny-GGUF/resolve/main/nope.gguf"),
                r.err());
        assertFalse(Files.exists(cache), "nothing written, not even folders");
    }

    @Test
    void aPresentFileIsLeftAloneUnlessForced() throws IOException {
        assertEquals(0, pull().code());
        int requests = hub.requests.size();

        TnCli.Result again = pull();
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already present"), again.out());
        TnCli.Result verified = pull("--sha256", modelSha.toUpperCase());
        assertEquals(0, verified.code(), verified.err());
        assertTrue(verified.out().contains("sha256 " + modelSha + " verified"), verified.out());
        TnCli.Result mismatch = pull("--sha256", "f".repeat(64));
        assertEquals(Tn.EXIT_INPUT, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains(modelSha) && mismatch.err().contains("f".repeat(64)), mismatch.err());
        assertEquals(requests, hub.requests.size(), "no download without --force");

        TnCli.Result forced = pull("--force", "--sha256", modelSha);
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().contains("(verified: matches --sha256)"), forced.out());
        assertTrue(hub.requests.size() > requests);
        assertArrayEquals(model, Files.readAllBytes(target()));
    }

    @Test
    void catalogModelsArePulledByNameAndQuantization() {
        Catalog.Entry qwen = Catalog.bundled().find("qwen2.5-0.5b-instruct");
        hub.put(qwen.repo(), qwen.file("Q8_0"), model);
        TnCli.Result r = TnCli.run("model", "pull", "qwen2.5-0.5b-instruct", "--quant", "q8_0", "--hub", hub.url(),
                "--cache", cache.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(cache.resolve(qwen.repo()).resolve(qwen.file("Q8_0"))));

        TnCli.Result list = TnCli.run("model", "list", "--cache", cache.toString());
        String line = list.out().lines().filter(l -> l.contains("qwen2.5-0.5b-instruct ")).findFirst().orElseThrow();
        assertTrue(line.contains("Q8_0 (present)") && !line.contains("Q4_K_M (present)"), line);

        TnCli.Result noQuant = TnCli.run("model", "pull", "qwen2.5-0.5b-instruct", "--cache", cache.toString());
        assertEquals(Tn.EXIT_USAGE, noQuant.code());
        assertTrue(noQuant.err().contains("--quant: Q4_K_M, Q8_0"), noQuant.err());
        TnCli.Result unknown =
                TnCli.run("model", "pull", "no-such-model", "--quant", "Q8_0", "--cache", cache.toString());
        assertEquals(Tn.EXIT_USAGE, unknown.code());
        assertTrue(unknown.err().contains("no model 'no-such-model' in the catalog"), unknown.err());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        for (String[] args : new String[][] {
                     {"model", "pull", REPO},
                     {"model", "pull", REPO, "../../etc/passwd"},
                     {"model", "pull", "not a repo/x", FILE},
                     {"model", "pull", REPO, FILE, "--sha256", "abc"},
                     {"model", "pull", REPO, FILE, "--hub", "ftp://example.org"},
             }) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--cache", cache.toString()));
            TnCli.Result r = TnCli.run(all.toArray(String[] ::new));
            assertEquals(Tn.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
        }
        assertFalse(Files.exists(cache));
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void anUnreadableFileIsListedAsSuch() throws IOException {
        Path bad = cache.resolve("someone/broken/broken.gguf");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "not a gguf file", StandardCharsets.UTF_8);
        assertEquals(0, pull().code());
        TnCli.Result list = TnCli.run("model", "list", "--cache", cache.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("2 GGUF files"), list.out());
        String line = list.out().lines().filter(l -> l.contains("broken.gguf")).findFirst().orElseThrow();
        assertTrue(line.contains("unreadable"), line);
    }

    /** Through a separate tn process, since HF_TOKEN is read from the environment. */
    @Test
    void theTokenGoesToTheHubHostOnly() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Tn.class.getName(), "model", "pull", REPO, FILE, "--hub",
                hub.url(), "--cache", cache.toString(), "--quiet");
        pb.environment().put("HF_TOKEN", "hf_secret");
        pb.environment().remove("TN_HUB_URL");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertArrayEquals(model, Files.readAllBytes(target()));

        List<FakeHub.Request> toHub = hub.requests.stream().filter(r -> r.host().startsWith("127.0.0.1:")).toList();
        List<FakeHub.Request> toStorage = hub.requests.stream().filter(r -> r.host().startsWith("localhost:")).toList();
        assertFalse(toHub.isEmpty() || toStorage.isEmpty(), hub.requests.toString());
        toHub.forEach(r -> assertEquals("Bearer hf_secret", r.authorization(), r.toString()));
        toStorage.forEach(r -> assertNull(r.authorization(), r.toString()));
    }

    @Test
    void helpExplainsEveryOption() {
        TnCli.Result help = TnCli.run("model", "pull", "--help");
        assertEquals(0, help.code());
        for (String option : new String[] {"--quant", "--revision", "--sha256", "--hub", "--cache", "--force",
                     "--quiet", "HF_TOKEN", "TN_HUB_URL", "TN_MODELS"}) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
        TnCli.Result list = TnCli.run("model", "list", "--help");
        assertTrue(list.out().contains("--cache") && list.out().contains("--json"), list.out());
    }
}
