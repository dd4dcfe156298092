package tn.cli;

import picocli.CommandLine.Option;
import tn.io.InvalidValueException;
import tn.run.RunInput;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** --sentences LANG=FILE,...: one sentence file per language, for the runs across languages (a picocli mixin). */
final class LanguageFilesOption {
    @Option(names = "--sentences", required = true, split = ",", paramLabel = "LANG=FILE", order = -1,
            description =
                    "Monolingual sentences of each language, e.g. ja=ja.txt,nl=nl.txt,ko=ko.txt,it=it.txt,en=en.txt "
                    + "(.txt, .jsonl of {\"text\": ...}, a .pkl list of str, or the original's .pkl dict {lang: [str]}, of "
                    + "which LANG's list is read); at least two languages, each once. Tables, columns and plots follow "
                    + "this order.")
    List<LanguageFile> entries;

    /** The files by language, in the order given; a language given twice is a usage error. */
    RunInput.Languages input() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (LanguageFile e : entries) {
            if (files.put(e.lang(), e.file()) != null) {
                throw new InvalidValueException("{sentences}: language '{}' is given twice", e.lang());
            }
        }
        return new RunInput.Languages(files);
    }
}
