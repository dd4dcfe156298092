package tn.analysis;

import tn.io.InvalidValueException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Languages grouped into families, for the specificity analysis's family label: a sentence is
 * labelled 1 when its language is in the target's family. The original implementation groups its
 * five languages as ja+ko and nl+it+en ({@link #SEED}); its htest.py calls this the
 * language-family setting. Written "ja+ko,nl+it+en": families separated by commas, languages of
 * one family by '+', each language in one family.
 */
public record LanguageFamilies(List<Set<String>> families) {
    public static final LanguageFamilies SEED = parse("ja+ko,nl+it+en");

    public LanguageFamilies {
        families = families.stream().map(f -> Collections.unmodifiableSet(new LinkedHashSet<>(f))).toList();
    }

    public static LanguageFamilies parse(String spec) {
        Map<String, Integer> familyOf = new LinkedHashMap<>();
        List<Set<String>> families = new ArrayList<>();
        for (String group : spec.split(",", -1)) {
            Set<String> family = new LinkedHashSet<>();
            for (String lang : group.split("\\+", -1)) {
                String l = lang.strip();
                if (l.isEmpty())
                    throw new InvalidValueException(
                            "{}", "--families '" + spec + "': an empty language; expected e.g. ja+ko,nl+it+en");
                Integer before = familyOf.putIfAbsent(l, families.size());
                if (before != null)
                    throw new InvalidValueException(
                            "{}", "--families '" + spec + "': language '" + l + "' is in two families");
                family.add(l);
            }
            families.add(family);
        }
        return new LanguageFamilies(families);
    }

    /** The family lang belongs to; a language in none is a usage error naming it. */
    public Set<String> familyOf(String lang) {
        for (Set<String> f : families)
            if (f.contains(lang)) return f;
        throw new InvalidValueException(
                "language '{}' is in no family of {}: name its family with {families}, e.g. {families} ja+ko,nl+it+en+{}",
                lang, this, lang);
    }

    @Override
    public String toString() {
        return String.join(",", families.stream().map(f -> String.join("+", f)).toList());
    }
}
