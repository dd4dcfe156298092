package tn.run;

import tn.io.Wording;
import tn.io.InvalidValueException;
import tn.data.Dataset;
import tn.data.SentenceFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a run reads besides the model: one file of one language's sentences, one file of en/L2
 * pairs, one sentence file per language (the analyses across languages), or a file of questions.
 */
public sealed interface RunInput {
    Pattern LANG = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** The language the run is about (the L2), or null for a run across languages. */
    String lang();

    /** The files, in the order they are read. */
    List<Path> files();

    /** Monolingual sentences of one language. */
    record Sentences(Path file, String lang) implements RunInput {
        public Sentences {
            checkLang("{lang}", lang);
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    /** English/L2 pairs. */
    record Pairs(Path file, String lang) implements RunInput {
        public Pairs {
            checkLang("{lang}", lang);
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    /** One monolingual sentence file per language, in the order of tables and plots; two or more. */
    record Languages(Map<String, Path> byLanguage) implements RunInput {
        public Languages {
            if (byLanguage.size() < 2)
                throw new InvalidValueException("{sentences} needs at least two languages to compare");
            for (String lang : byLanguage.keySet()) checkLang("{sentences} language", lang);
            byLanguage = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLanguage));
        }

        @Override
        public String lang() {
            return null;
        }

        public List<String> langs() {
            return List.copyOf(byLanguage.keySet());
        }

        @Override
        public List<Path> files() {
            return List.copyOf(byLanguage.values());
        }
    }

    /** Questions in one language, which the run reads in its own format. */
    record Questions(Path file, String lang) implements RunInput {
        public Questions {
            checkLang("{lang}", lang);
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    /** The sentence files, one dataset per file in order (their shape is checked where items are made); questions are read by their run. */
    default List<Dataset> readSentences() {
        List<Dataset> data = new ArrayList<>();
        if (this instanceof Sentences s) {
            data.add(SentenceFiles.read(s.file(), s.lang()));
        } else if (this instanceof Pairs p) {
            data.add(SentenceFiles.read(p.file(), p.lang()));
        } else if (this instanceof Languages l) {
            l.byLanguage().forEach((lang, file) -> data.add(SentenceFiles.read(file, lang)));
        } else {
            throw new IllegalStateException("questions are read by their run");
        }
        return data;
    }

    /** Refuses a language code that could not name files and plots; what names the setting, as {@link Wording} does. */
    static void checkLang(String what, String lang) {
        if (lang == null || !LANG.matcher(lang).matches()) {
            throw new InvalidValueException(
                    what + " '{}': expected a language code such as ja (letters, digits, - and _)", lang);
        }
    }
}
