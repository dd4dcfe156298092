package tn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;

/**
 * Opening a file the user named, the same careful way everywhere: it must be a readable regular
 * file (a FIFO or /dev/zero would block or never end; a directory or a symlink loop is not "no
 * such file"), and a file read whole must fit in the JVM's memory. Every refusal is an
 * {@link InputException} that names the file and says why, with the operating system's reason
 * where there is one.
 */
public final class InputFile {
    /** The share of the JVM's heap one file read whole may take: the rest is for what is made of it. */
    private static final double MAX_HEAP_SHARE = 0.25;

    private InputFile() {}

    /** Refuses anything but a readable regular file (symbolic links followed). */
    public static void check(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        if (a.isDirectory()) throw new InputException("cannot read " + file + ": it is a directory, not a file");
        if (!a.isRegularFile()) {
            throw new InputException("cannot read " + file + ": it is " + kind(file) + ", not a regular file (reading "
                    + "it could block forever or never end)");
        }
        if (!Files.isReadable(file)) throw new InputException("cannot read " + file + ": permission denied");
    }

    /** The file's bytes, once {@link #check} passes and the file fits in memory. */
    public static byte[] readAllBytes(Path file) {
        checkFitsInMemory(file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** The file as UTF-8 text (malformed bytes are an error naming the file). */
    public static String readString(Path file) {
        checkFitsInMemory(file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** The file's lines as UTF-8 text. */
    public static List<String> readAllLines(Path file) {
        return readString(file).lines().toList();
    }

    /** A stream over the file, once {@link #check} passes (for files read piece by piece). */
    public static InputStream newInputStream(Path file) {
        check(file);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** {@link #check}, and that reading the file whole leaves the JVM room for what is made of it. */
    public static void checkFitsInMemory(Path file) {
        check(file);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        long limit = memoryLimit();
        if (size > limit) {
            throw new InputException(String.format(Locale.ROOT,
                    "%s is %s; tn reads such a file whole and allows "
                            + "it %s of this JVM's %s of memory (raise it with TN_JAVA_OPTS=-Xmx...)",
                    file, Sizes.human(size), Sizes.human(limit), Sizes.human(Runtime.getRuntime().maxMemory())));
        }
    }

    /** The most bytes one file read whole may have: a share of the JVM's heap, and what one array holds. */
    public static long memoryLimit() {
        return (long) Math.min(Integer.MAX_VALUE - 64, Runtime.getRuntime().maxMemory() * MAX_HEAP_SHARE);
    }

    /** What a non-regular file is, in words, from its type bits where the platform tells them. */
    private static String kind(Path file) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    /** Why the OS refused, in its own words ("Too many levels of symbolic links"), for messages. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
