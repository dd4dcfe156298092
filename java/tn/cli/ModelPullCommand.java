package tn.cli;

import tn.io.Console;
import picocli.CommandLine.Mixin;
import tn.io.InvalidValueException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tn.hub.Catalog;
import tn.hub.Hub;
import tn.hub.HubFile;
import tn.hub.ModelCache;
import tn.io.InputException;
import tn.io.Sha256;
import tn.io.Sha256Cache;
import tn.net.Downloader;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Downloads a GGUF file from the Hugging Face hub into the model cache.", "",
                "  tn model pull Qwen/Qwen2.5-0.5B-Instruct-GGUF qwen2.5-0.5b-instruct-q8_0.gguf",
                "  tn model pull qwen2.5-0.5b-instruct --quant Q8_0", "",
                "The second form takes a model of tn's catalog (tn model list shows them).", "",
                "The file goes to CACHE/OWNER/NAME/FILE; the bytes arrive in FILE.part and a cut-off download "
                        + "resumes where it stopped when the same command runs again (exit code 4 says so). The file's "
                        + "sha256 is checked against --sha256, else against the checksum the hub advertises, and recorded "
                        + "in FILE.sha256. For a gated or private repository set HF_TOKEN (or HUGGING_FACE_HUB_TOKEN); "
                        + "the token is sent to the hub's host only, never to the storage it redirects to."})
final class ModelPullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO|NAME",
            description = "A hub repository OWNER/NAME, or the name of a catalog model (with --quant).")
    String what;
    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
            description = "The file in REPO, e.g. model-q8_0.gguf; not with a catalog NAME.")
    String file;
    @Option(names = "--quant", paramLabel = "QUANT",
            description = "Which quantization of a catalog model, e.g. Q4_K_M or Q8_0.")
    String quant;
    @Option(names = "--revision", defaultValue = "main", paramLabel = "REV",
            description = "Branch, tag or commit of the repository (default: ${DEFAULT-VALUE}). The cache keeps "
                    + "one copy per file name, whatever its revision.")
    String revision;
    @Option(names = "--sha256", paramLabel = "HEX",
            description = "The expected sha256 of the file; a download that differs is deleted (exit code 3).")
    String sha256;
    @Option(names = "--hub", paramLabel = "URL",
            description = "The hub to download from (default: $TN_HUB_URL, else " + Hub.DEFAULT_URL + ").")
    String hubUrl;
    @Mixin
    ModelCacheOption cache;
    @Option(names = "--force", description = "Download again even if the file is already in the cache.")
    boolean force;
    @Mixin
    QuietOption quiet;
    @Option(names = "--timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "How long connecting, the server's answer, or a pause in the download may last before it "
                    + "fails as a network failure (exit code 4, the partial file kept), 1..3600 (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new InvalidValueException("{timeout} must be 1..3600 seconds, is {}", timeoutSeconds);
        }
        if (sha256 != null && !Sha256.isHex(sha256)) {
            throw new InvalidValueException("--sha256 must be 64 hex digits, got '{}'", sha256);
        }
        String expected = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        HubFile target = target();
        Hub hub = Hub.locate(hubUrl, System.getenv());
        Path path = ModelCache.locate(cache.dir).path(target);
        Console console = Cli.console(spec);
        PrintWriter out = console.out();

        if (Files.exists(path) && !force) {
            if (expected == null) {
                out.println(path + " is already present; nothing to do (--force downloads it again)");
                return 0;
            }
            String actual = Sha256Cache.of(path); // hashed once per file, not on every pull
            if (!actual.equals(expected)) {
                throw new InputException(path + " is already present but its sha256 is " + actual
                        + ", not the expected " + expected + "; --force downloads it again");
            }
            ModelCache.recordSha256(path, actual);
            out.println(path + " is already present, sha256 " + actual + " verified");
            return 0;
        }

        Downloader.Result r =
                new Downloader(hub.bearerTokens(), Hub.ADVICE, quiet.quiet, console, Duration.ofSeconds(timeoutSeconds))
                        .fetch(hub.fileUri(target), path, expected, Hub.GGUF);
        ModelCache.recordSha256(path, r.sha256());
        out.println(
                "downloaded " + r.file() + (r.resumedFrom() > 0 ? " (resumed at byte " + r.resumedFrom() + ")" : ""));
        out.printf("  size    %,d bytes%n", r.bytes());
        out.println("  sha256  " + r.sha256() + switch (r.check()) {
            case GIVEN -> " (verified: matches --sha256)";
            case ADVERTISED -> " (verified: matches the checksum the hub advertised)";
            case NONE -> " (not verified: no --sha256 given and the server advertised no checksum)";
        });
        return 0;
    }

    /** REPO FILE as given, or the file of a catalog model NAME --quant QUANT. */
    private HubFile target() {
        if (what.contains("/")) {
            if (quant != null) {
                throw new InvalidValueException("--quant picks a file of a catalog model; with a repository give FILE");
            }
            if (file == null) throw new InvalidValueException("missing FILE: which file of {} to download", what);
            return new HubFile(what, file, revision);
        }
        Catalog.Entry entry = Catalog.bundled().find(what);
        if (file != null) {
            throw new InvalidValueException("{} is a catalog model: choose its file with --quant, not FILE", what);
        }
        if (quant == null) {
            throw new InvalidValueException("choose a quantization of {} with --quant: {}", entry.name(),
                    String.join(", ", entry.files().keySet()));
        }
        return new HubFile(entry.repo(), entry.file(quant), revision);
    }
}
