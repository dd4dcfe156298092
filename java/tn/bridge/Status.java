package tn.bridge;

/** native/tn.h's tn_status, one constant per code: what a libtn call returned. */
public enum Status {
    OK(0, false),
    /** a bad argument: out of range, null, too long, ... */
    ARG(-1, true),
    /** a file is missing, unreadable, not a regular file, or not writable */
    IO(-2, true),
    /** a file is not a valid GGUF, is truncated, lacks a tensor, ... */
    FORMAT(-3, true),
    /** llama.cpp refused the model (unsupported architecture, ...) */
    MODEL(-4, true),
    /** llama_decode failed */
    DECODE(-5, false),
    /** a requested tensor was not found in the graph */
    CAPTURE(-6, false),
    /** a tensor type without a float conversion, ... */
    UNSUPPORTED(-7, true),
    /** an unexpected exception inside llama.cpp or tn */
    INTERNAL(-8, false),
    /** a forward pass gave NaN or infinity where it was captured: the model's weights are broken */
    NONFINITE(-9, true);

    /** The code as tn.h defines it. */
    public final int code;
    /** Whether the input (a file or an argument) was at fault rather than tn or llama.cpp. */
    public final boolean inputError;

    Status(int code, boolean inputError) {
        this.code = code;
        this.inputError = inputError;
    }

    /** The status of a code a libtn call returned; a code tn.h does not define is INTERNAL. */
    public static Status of(int code) {
        for (Status s : values())
            if (s.code == code) return s;
        return INTERNAL;
    }
}
