package tn.hub;

import tn.io.AtomicFile;
import tn.io.InputException;
import tn.io.Sha256;
import tn.io.Sha256Cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder downloaded models live in, laid out as DIR/OWNER/NAME/FILE like the hub itself, so
 * the same file name from two repositories cannot collide. Next to each download, FILE.sha256
 * (in sha256sum's format) records its checksum, so later commands need not hash gigabytes again.
 */
public final class ModelCache {
    private final Path dir;

    public ModelCache(Path dir) {
        this.dir = dir;
    }

    /** The cache of the --cache option, else of TN_MODELS, else TN_HOME's models/, else ./models. */
    public static ModelCache locate(Path option, Map<String, String> env, String tnHome) {
        if (option != null) return new ModelCache(option);
        String fromEnv = env.get("TN_MODELS");
        if (fromEnv != null && !fromEnv.isBlank()) return new ModelCache(Path.of(fromEnv.strip()));
        return new ModelCache(Path.of(tnHome != null ? tnHome : ".", "models"));
    }

    /** As {@link #locate(Path, Map, String)} with this process's environment and -Dtn.home (set by scripts/tn). */
    public static ModelCache locate(Path option) {
        return locate(option, System.getenv(), System.getProperty("tn.home"));
    }

    public Path dir() {
        return dir;
    }

    /** Where a hub file is kept. The revision is not part of the path: one copy per file name. */
    public Path path(HubFile file) {
        Path p = dir;
        for (String s : file.repo().split("/")) p = p.resolve(s);
        for (String s : file.path().split("/")) p = p.resolve(s);
        return p;
    }

    /** Every .gguf file under the cache, sorted; none if the cache does not exist yet. */
    public List<Path> ggufFiles() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files
                    .filter(p
                            -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")
                                    && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InputException("cannot list the model cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** FILE.sha256 beside a model file. */
    public static Path checksumFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".sha256");
    }

    /**
     * The recorded sha256 of a model file, if its checksum file is there, well-formed and not older
     * than the model (a model replaced by hand must not keep the old checksum).
     */
    public static Optional<String> recordedSha256(Path model) {
        Path sidecar = checksumFile(model);
        try {
            if (!Files.isRegularFile(sidecar)
                    || Files.getLastModifiedTime(sidecar).compareTo(Files.getLastModifiedTime(model)) < 0) {
                return Optional.empty();
            }
            String[] fields = Files.readString(sidecar, StandardCharsets.UTF_8).strip().split("\\s+", 2);
            return Sha256.isHex(fields[0]) ? Optional.of(fields[0].toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Records a model file's sha256 beside it, as "HASH  NAME" so that sha256sum -c checks it, and
     * in tn's hash cache, so that runs and `tn model info` on the file do not hash it again.
     */
    public static void recordSha256(Path model, String sha256) {
        Sha256Cache.remember(model, sha256);
        AtomicFile.writeString(checksumFile(model), sha256 + "  " + model.getFileName() + "\n");
    }
}
