package tn.io;

/**
 * A problem with what the user gave tn (a file, a line of it, a field), as opposed to a failure
 * inside tn. The message names the file and, where there is one, the line or field; the command
 * line exits with code 3.
 */
public class InputException extends RuntimeException {
    /** The message as words that name settings, for the interface to name them; null when it names none. */
    private final transient Wording wording;

    public InputException(String message) {
        this(message, null);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.wording = null;
    }

    /** A message that names settings (advice such as "raise {ctx}"), as {@link Wording#of}. */
    public InputException(Wording wording) {
        super(wording.toString());
        this.wording = wording;
    }

    /** The message's words, or null when it names no setting and is the message itself. */
    public Wording wording() {
        return wording;
    }

    /**
     * An output folder that cannot be created (a file in the way, no permission): the same
     * failure, and the same words, wherever a command writes.
     */
    public static InputException cannotCreate(java.nio.file.Path dir, java.io.IOException e) {
        return new InputException("cannot create the output folder " + dir + ": " + reason(e), e);
    }

    /** The operating system's reason, without Java's repetition of the path. */
    public static String reason(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or folder (" + e.getMessage() + ")";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied (" + e.getMessage() + ")";
        if (e instanceof java.nio.file.FileAlreadyExistsException)
            return e.getMessage() + " is in the way (not a folder)";
        String why = e.getMessage();
        return why == null ? e.getClass().getSimpleName() : why;
    }

    /** A file that cannot be read, saying why in words (Java's own message is often just the path). */
    public static InputException unreadable(java.nio.file.Path file, java.io.IOException e) {
        return new InputException("cannot read " + file + ": " + InputFile.reason(e), e);
    }
}
