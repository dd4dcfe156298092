package tn.model;

import tn.bridge.NativeAbort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where llama.cpp writes a quantized model until it has been checked: a file of out's name in a
 * hidden folder beside out (.OUT.partial-NNN), moved onto out by {@link #commit}. The folder is
 * removed on any failure, on Ctrl-C and SIGTERM (a shutdown hook) and when llama.cpp stops the
 * process (NativeAbort).
 * <p>
 * A folder rather than a temporary file: llama.cpp creates its output by name only once it has
 * read the input's metadata, and the JVM's main thread goes on running while the shutdown hooks
 * do, so a temporary file the hook removed before then was created again, and left, before the
 * JVM ended. In a removed folder nothing can be created.
 */
final class PartialOutput implements AutoCloseable {
    private final Path out;
    private final Thread hook;
    private final NativeAbort.Registration onAbort;
    private Path folder; // guarded by this
    private boolean removed; // guarded by this: once true, nothing is created any more

    /** Makes the folder; the hook is registered first, so that no moment is left uncovered. */
    PartialOutput(Path out) {
        this.out = out.toAbsolutePath();
        hook = new Thread(this::remove, "tn-quantize-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        onAbort = NativeAbort.cleanup(this::remove);
        try {
            create();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private synchronized void create() {
        if (removed) throw new IllegalStateException("the JVM is shutting down");
        try {
            Path dir = out.getParent();
            Files.createDirectories(dir);
            folder = Files.createTempDirectory(dir, "." + out.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** The file for llama.cpp to write. */
    synchronized Path file() {
        return folder.resolve(out.getFileName());
    }

    /** Moves the written file onto out, replacing it. */
    void commit() {
        Path written = file();
        try {
            Files.move(written, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + written + " to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Removes the folder and whatever it holds; from here on nothing is created in it. */
    private synchronized void remove() {
        removed = true;
        if (folder == null) return;
        Path file = folder.resolve(out.getFileName());
        // llama.cpp may create its file between the two deletions; the folder is then not empty, so again
        for (int attempt = 0; attempt < 100 && Files.exists(folder, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            } catch (IOException notYet) {
                // DirectoryNotEmptyException: created again in between
            }
        }
    }

    /** Removes the folder (empty after a commit) and the hook. */
    @Override
    public void close() {
        remove();
        onAbort.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
