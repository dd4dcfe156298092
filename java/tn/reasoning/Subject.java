package tn.reasoning;

import tn.io.InvalidValueException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * MMLU-ProX's 14 subjects, in the order of the task's group: the name tn writes (the task's
 * suffix, e.g. computer_science) and the dataset's category (e.g. "computer science").
 */
public enum Subject {
    BIOLOGY,
    BUSINESS,
    CHEMISTRY,
    COMPUTER_SCIENCE,
    ECONOMICS,
    ENGINEERING,
    HEALTH,
    HISTORY,
    LAW,
    MATH,
    OTHER,
    PHILOSOPHY,
    PHYSICS,
    PSYCHOLOGY;

    /** The name in outputs and --subjects: biology, ..., computer_science, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of the dataset's category field for this subject. */
    public String category() {
        return id().replace('_', ' ');
    }

    /** The subject named by its id or its category; usage errors list the names. */
    public static Subject parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
        for (Subject s : values())
            if (s.id().equals(n)) return s;
        throw new InvalidValueException("unknown subject '{}'; MMLU-ProX has {}", name,
                Arrays.stream(values()).map(Subject::id).collect(Collectors.joining(", ")));
    }

    /** The subject of a dataset category, or null for another category. */
    public static Subject ofCategory(String category) {
        for (Subject s : values())
            if (s.category().equals(category)) return s;
        return null;
    }
}
