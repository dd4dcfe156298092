package tn.bridge;

/** A failure reported by libtn or llama.cpp; the message says what and where. */
public class LlamaException extends RuntimeException {
    private final Status status;

    public LlamaException(Status status, String message) {
        super(message);
        this.status = status;
    }

    /** A failure a libtn call returned as code (TN_ERR_*, negative). */
    public LlamaException(int code, String message) {
        this(Status.of(code), message);
    }

    public Status status() {
        return status;
    }

    /** True when the input was at fault (a bad file or argument) rather than tn or llama.cpp. */
    public boolean isInputError() {
        return status.inputError;
    }
}
