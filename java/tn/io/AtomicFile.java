package tn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An output file that appears complete or not at all: written to a temporary file in the same
 * folder, then renamed over the target. Closing without committing removes the temporary file.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path path;
    private final Path temporary;
    private boolean done;

    private AtomicFile(Path path, Path temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    public static AtomicFile create(Path path) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".partial");
            // temporary files are private; the finished file is an ordinary one
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            return new AtomicFile(abs, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes text (UTF-8) to path atomically. */
    public static void writeString(Path path, String text) {
        try (AtomicFile out = create(path)) {
            Files.writeString(out.temporary(), text, java.nio.charset.StandardCharsets.UTF_8);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public Path temporary() {
        return temporary;
    }

    public void commit() {
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + temporary + " to " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to do: the target was never touched
            }
            done = true;
        }
    }
}
