package tn.io;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class Sha256CacheTest {
    @TempDir
    Path dir;
    private String saved;

    @BeforeEach
    void useTemporaryCache() {
        saved = System.getProperty("tn.cache");
        System.setProperty("tn.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (saved == null)
            System.clearProperty("tn.cache");
        else
            System.setProperty("tn.cache", saved);
    }

    @Test
    void cachedHashIsUsedWhileTheFileIsUnchangedAndDroppedWhenItChanges() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "weights");
        String sha = Sha256Cache.of(file);
        assertEquals(Sha256.of(file), sha);

        // tamper with the entry: an unchanged file must be answered from the cache
        List<Path> entries;
        try (var s = Files.list(dir.resolve("cache/sha256"))) {
            entries = s.toList();
        }
        assertEquals(1, entries.size());
        String fake = "0".repeat(64);
        Files.writeString(entries.get(0), Files.readString(entries.get(0)).replace(sha, fake));
        assertEquals(fake, Sha256Cache.of(file));

        // a new modification time (same content) invalidates it
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertEquals(sha, Sha256Cache.of(file));

        // new content: a new hash
        Files.writeString(file, "other weights");
        assertNotEquals(sha, Sha256Cache.of(file));
        assertEquals(Sha256.of(file), Sha256Cache.of(file));
    }
}
