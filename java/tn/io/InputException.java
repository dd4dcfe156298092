package tn.io;

/**
 * A problem with what the user gave tn (a file, a line of it, a field), as opposed to a failure
 * inside tn. The message names the file and, where there is one, the line or field; the command
 * line exits with code 3.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A file that cannot be read, saying why in words (Java's own message is often just the path). */
    public static InputException unreadable(java.nio.file.Path file, java.io.IOException e) {
        return new InputException("cannot read " + file + ": " + InputFile.reason(e), e);
    }
}
