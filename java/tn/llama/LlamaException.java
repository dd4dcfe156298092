package tn.llama;

/** A failure reported by libtn or llama.cpp; the message says what and where. */
public class LlamaException extends RuntimeException {
    /** The status code of native/tn.h (TN_ERR_*), negative. */
    private final int status;

    public LlamaException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** True when the input was at fault (a bad file or argument) rather than tn or llama.cpp. */
    public boolean isInputError() {
        return status == -1 || status == -2 || status == -3 || status == -4 || status == -7
                || status == NonFiniteException.STATUS;
    }
}
