package tn.analysis;

import tn.io.InvalidValueException;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which sentences the specificity analysis labels 1 for a target language, as the original
 * implementation's htest.py offers both: the target's own sentences (LANGUAGE), or those of every
 * language in the target's family (FAMILY: ja and ko together, nl, it and en together). Its
 * htest/README.md says the paper's Tables 13-16 show the family setting, by mistake for the
 * language one.
 */
public enum LabelSetting {
    LANGUAGE,
    FAMILY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "language", "family", or "both" for the two in that order. */
    public static List<LabelSetting> parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "language" -> List.of(LANGUAGE);
            case "family" -> List.of(FAMILY);
            case "both" -> List.of(LANGUAGE, FAMILY);
            default -> throw new InvalidValueException("{labels} '{}': expected language, family or both", s);
        };
    }

    /** Per language of langs, whether its sentences are labelled 1 when testing for target. */
    public boolean[] labelOne(List<String> langs, String target, LanguageFamilies families) {
        Set<String> one = this == LANGUAGE ? Set.of(target) : families.familyOf(target);
        boolean[] out = new boolean[langs.size()];
        for (int g = 0; g < out.length; g++) {
            if (this == FAMILY) families.familyOf(langs.get(g)); // every language needs a family here
            out[g] = one.contains(langs.get(g));
        }
        return out;
    }
}
