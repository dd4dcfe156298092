package tn.hub;

import tn.gguf.GgufFile;
import tn.bridge.LlamaException;
import tn.model.FileType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a GGUF file in the cache is, read from its header: file type and architecture, with the
 * recorded sha256 if any. A file that cannot be read (truncated, not GGUF) carries the reason in
 * error instead, so one bad file does not hide the others.
 */
public record CachedModel(Path path, long bytes, String fileType, String architecture, String sha256, String error) {
    public static CachedModel inspect(Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            return new CachedModel(file, -1, null, null, null, "cannot read: " + e.getMessage());
        }
        String sha = ModelCache.recordedSha256(file).orElse(null);
        try (GgufFile gguf = GgufFile.open(file)) {
            return new CachedModel(file, bytes, FileType.recordedIn(gguf).orElse("unknown"),
                    gguf.string("general.architecture").orElse("unknown"), sha, null);
        } catch (LlamaException e) {
            String why = e.getMessage().startsWith(file + ": ") ? e.getMessage().substring(file.toString().length() + 2)
                                                                : e.getMessage();
            return new CachedModel(file, bytes, null, null, sha, why);
        }
    }

    public boolean readable() {
        return error == null;
    }
}
