package tn.record;

import tn.io.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The run.json beside an input that an earlier tn run wrote (centroids.npy, ranking.tsv,
 * scores.npy), and what a consumer checks against it: that the input comes from the right
 * command, transfer type, language and model. Centroids of another type or language, or a
 * ranking of another model, give numbers with exit 0 that mean nothing; these checks refuse them.
 */
public final class Provenance {
    private final Path input;
    private final RunJson run;

    private Provenance(Path input, RunJson run) {
        this.input = input;
        this.run = run;
    }

    /** The run.json in input's folder, if there is one (a file from elsewhere has none to check). */
    public static Optional<Provenance> of(Path input) {
        Path dir = input.toAbsolutePath().getParent();
        if (dir == null || !Files.exists(dir.resolve("run.json"))) return Optional.empty();
        return Optional.of(new Provenance(input, RunJson.of(dir)));
    }

    /**
     * Refuses the input unless run.json's field (a dotted path) is expected; what names the field for
     * people ("transfer type").
     */
    public Provenance require(String field, String expected, String what) {
        String recorded = run.optionalText(field).orElse(null);
        if (recorded == null) {
            throw new InputException(run.file() + ": field '" + field + "' is missing, so the " + what + " of " + input
                    + " cannot be checked; it is not the run.json of a finished tn run");
        }
        if (!recorded.equals(expected)) {
            throw new InputException(input + " comes from a run whose " + what + " is " + recorded + " (" + run.file()
                    + ", field '" + field + "'), but this needs " + expected);
        }
        return this;
    }

    /** The same for a number. */
    public Provenance require(String field, long expected, String what) {
        return require(field, Long.toString(expected), what);
    }

    public RunJson runJson() {
        return run;
    }
}
