package tn.cli;

import picocli.CommandLine.ITypeConverter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One LANG=FILE entry of --sentences, for the runs across languages. */
record LanguageFile(String lang, Path file) {

    /** The entries as an ordered map; a language given twice is a usage error. */
    static Map<String, Path> byLanguage(List<LanguageFile> entries) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (LanguageFile e : entries) {
            if (files.put(e.lang(), e.file()) != null) {
                throw new IllegalArgumentException("--sentences: language '" + e.lang() + "' is given twice");
            }
        }
        return files;
    }

    /** LANG=FILE, the file as --model's and --out's paths are read. */
    static final class Converter implements ITypeConverter<LanguageFile> {
        private final PathConverter paths;

        Converter(PathConverter paths) {
            this.paths = paths;
        }

        @Override
        public LanguageFile convert(String entry) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--sentences entry '" + entry + "': expected LANG=FILE, e.g. ja=ja.txt");
            }
            return new LanguageFile(entry.substring(0, eq).strip(), paths.convert(entry.substring(eq + 1).strip()));
        }
    }
}
