package tn.cli;

import picocli.CommandLine.Option;
import tn.data.LanguageCodes;
import tn.io.InvalidValueException;
import tn.run.RunInput;

import java.nio.file.Path;

/** --pairs and its --lang, the parallel pairs of the representation analyses (a picocli mixin). */
final class PairsOptions {
    @Option(names = "--pairs", required = true, paramLabel = "PAIRS", order = -1,
            description =
                    "Parallel en/L2 pairs: .tsv (en<TAB>L2), .jsonl of {\"en\": ..., \"l2\": ...}, or a pickled list "
                    + "of (en, L2) tuples (the paper: 1000).")
    Path pairs;

    @Option(names = "--lang", paramLabel = "XX", order = -1, converter = Converters.LanguageCodes.class,
            description =
                    "The L2's code, for titles and run.json (default: from a file named en-XX..., e.g. en-ja.tsv).")
    String lang;

    /** The pairs, of --lang or of the L2 their file's name gives. */
    RunInput.Pairs input() {
        return new RunInput.Pairs(pairs, lang != null ? checkedName(pairs, lang) : languageOfName());
    }

    /** lang, once the pairs file's name (en-XX...) is checked not to name another language. */
    static String checkedName(Path pairs, String lang) {
        Path name = pairs.getFileName();
        if (name != null) LanguageCodes.checkPairsFileName(name.toString(), lang);
        return lang;
    }

    private String languageOfName() {
        Path name = pairs.getFileName();
        String named = name == null ? null : LanguageCodes.ofPairsFileName(name.toString());
        if (named == null)
            throw new InvalidValueException("{lang} is needed: the L2 cannot be read from the name of {}", pairs);
        return LanguageCodes.check(named);
    }
}
