package tn.generate;

/** Why a greedy continuation ended. */
public enum StopReason {
    /** The model chose a token that ends generation (EOS, EOT, ...); it is not part of the continuation. */
    END_OF_GENERATION("end_of_generation"),
    /** The text reached one of the request's stop strings; the token that completed it is the last. */
    STOP_STRING("stop_string"),
    /** The continuation reached the request's maximum number of new tokens. */
    MAX_NEW_TOKENS("max_new_tokens");

    /** The name written in outputs. */
    public final String id;

    StopReason(String id) {
        this.id = id;
    }

    /** The reason written as id. */
    public static StopReason of(String id) {
        for (StopReason r : values())
            if (r.id.equals(id)) return r;
        throw new IllegalArgumentException("unknown stop reason '" + id + "'");
    }
}
