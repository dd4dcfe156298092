package tn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * SHA-256 of large files (models), remembered per file so that each command does not spend
 * seconds rehashing gigabytes. An entry is keyed by the file's absolute path and trusted only
 * while the file's size and modification time are what they were when it was hashed. Entries
 * live in the cache folder (system property tn.cache, else $TN_CACHE, else ~/.cache/tn), one
 * small file each; a cache that cannot be written just means hashing again next time.
 */
public final class Sha256Cache {
    private Sha256Cache() {}

    public static String of(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String stamp = stamp(abs);
        Path entry = folder().resolve(Sha256.of(abs.toString().getBytes(StandardCharsets.UTF_8)));
        try {
            String[] cached = Files.readString(entry, StandardCharsets.UTF_8).strip().split("\t");
            if (cached.length == 2 && cached[0].equals(stamp) && cached[1].matches("[0-9a-f]{64}")) return cached[1];
        } catch (IOException e) {
            // no entry yet
        }
        String sha = Sha256.of(abs);
        remember(entry, stamp, sha);
        return sha;
    }

    /** Records a hash computed elsewhere (a verified download) for file as it is now. */
    public static void remember(Path file, String sha256) {
        Path abs = file.toAbsolutePath().normalize();
        remember(folder().resolve(Sha256.of(abs.toString().getBytes(StandardCharsets.UTF_8))), stamp(abs), sha256);
    }

    private static void remember(Path entry, String stamp, String sha) {
        try {
            Files.createDirectories(entry.getParent());
            AtomicFile.writeString(entry, stamp + "\t" + sha + "\n");
        } catch (IOException | RuntimeException e) {
            // a read-only home: the hash is simply computed again next time
        }
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + ":" + a.lastModifiedTime().toMillis() + ":" + a.fileKey();
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    private static Path folder() {
        String prop = System.getProperty("tn.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop, "sha256");
        String env = System.getenv("TN_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env, "sha256");
        return Path.of(System.getProperty("user.home"), ".cache", "tn", "sha256");
    }
}
