package tn.cli;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The L2 of a pairs file: --lang if given, else read from a name like en-ja.tsv or en-ja.test.tsv. */
final class PairsLanguage {
    static final String HELP = "The L2's code, for titles and run.json (default: from a file named en-XX..., e.g. en-ja.tsv).";
    private static final Pattern EN_L2 = Pattern.compile("en-([A-Za-z]{2,3})\\b.*");

    private PairsLanguage() {
    }

    static String of(String lang, Path pairs) {
        if (lang != null) return lang;
        Path name = pairs.getFileName();
        Matcher m = EN_L2.matcher(name == null ? "" : name.toString());
        if (!m.matches()) throw new IllegalArgumentException("--lang is needed: the L2 cannot be read from the name of " + pairs);
        return m.group(1);
    }
}
