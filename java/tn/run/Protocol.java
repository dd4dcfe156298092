package tn.run;

import tn.io.InvalidValueException;

import java.util.Locale;

/**
 * Whose settings a downstream experiment (qa, reasoning) follows where the paper's and tn's
 * differ: the paper's, as the original implementation ran them (the default, so that tn's
 * numbers are the paper's), or tn's own, kept for what they are good for (docs/method.md).
 * <ul>
 * <li>qa: the original's prompt per language, the whole continuation scored, 10 new tokens;
 * tn's: an instruction template (works in any language), the first line scored (models go on
 * past the answer), 20 new tokens.</li>
 * <li>reasoning: a prompt longer than the model's trained context minus the answer's tokens is
 * cut from the left, as lm-evaluation-harness does; tn's: such a prompt is skipped (no
 * question is answered from a prompt that lost its beginning).</li>
 * </ul>
 */
public enum Protocol {
    PAPER,
    TN;

    /** "paper" or "tn". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol parse(String s) {
        for (Protocol p : values())
            if (p.id().equals(s.strip())) return p;
        throw new InvalidValueException("{protocol} '{}': expected paper or tn", s);
    }
}
