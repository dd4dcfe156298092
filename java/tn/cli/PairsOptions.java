package tn.cli;

import picocli.CommandLine.Option;
import tn.io.InvalidValueException;
import tn.run.RunInput;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** --pairs and its --lang, the parallel pairs of the representation analyses (a picocli mixin). */
final class PairsOptions {
    private static final Pattern EN_L2 = Pattern.compile("en-([A-Za-z]{2,3})\\b.*");

    @Option(names = "--pairs", required = true, paramLabel = "PAIRS", order = -1,
            description =
                    "Parallel en/L2 pairs: .tsv (en<TAB>L2), .jsonl of {\"en\": ..., \"l2\": ...}, or a pickled list "
                    + "of (en, L2) tuples (the paper: 1000).")
    Path pairs;

    @Option(names = "--lang", paramLabel = "XX", order = -1,
            description =
                    "The L2's code, for titles and run.json (default: from a file named en-XX..., e.g. en-ja.tsv).")
    String lang;

    /** The pairs, of --lang or of the L2 their file's name gives. */
    RunInput.Pairs input() {
        return new RunInput.Pairs(pairs, lang != null ? lang : languageOfName());
    }

    private String languageOfName() {
        Path name = pairs.getFileName();
        Matcher m = EN_L2.matcher(name == null ? "" : name.toString());
        if (!m.matches())
            throw new InvalidValueException("{lang} is needed: the L2 cannot be read from the name of {}", pairs);
        return m.group(1);
    }
}
