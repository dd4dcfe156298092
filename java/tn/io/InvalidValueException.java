package tn.io;

/**
 * A setting the user chose that cannot be used: out of range, or inconsistent with another
 * setting or with the input (a top n larger than the candidates). The message names the settings
 * as {@link Wording} does, so that the command line names its flags and exits with code 2 (bad
 * usage), where an IllegalArgumentException is a broken contract inside tn.
 */
public class InvalidValueException extends RuntimeException {
    private final transient Wording wording;

    public InvalidValueException(Wording wording) {
        super(wording.toString());
        this.wording = wording;
    }

    /** A template of {name}s and {}s, as {@link Wording#of}. */
    public InvalidValueException(String template, Object... values) {
        this(Wording.of(template, values));
    }

    public Wording wording() {
        return wording;
    }
}
