package tn.generate;

/** When a continuation stops besides end of generation and its length: after each new token. */
public interface StopRule {
    /** Never: only end of generation and the length limit stop. */
    StopRule NONE = (tokens, n) -> false;

    /** Whether the first n tokens of the continuation (n >= 1, the last just chosen) end it. */
    boolean stopsAfter(int[] tokens, int n);
}
