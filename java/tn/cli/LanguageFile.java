package tn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tn.data.LanguageCodes;
import tn.io.InvalidValueException;

import java.nio.file.Path;

/** One LANG=FILE entry of --sentences, for the runs across languages. */
record LanguageFile(String lang, Path file) {
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
                throw new TypeConversionException("entry '" + entry + "': expected LANG=FILE, e.g. ja=ja.txt");
            }
            String lang;
            try {
                lang = LanguageCodes.check(entry.substring(0, eq));
            } catch (InvalidValueException e) {
                throw new TypeConversionException("entry '" + entry + "': " + e.getMessage());
            }
            return new LanguageFile(lang, paths.convert(entry.substring(eq + 1).strip()));
        }
    }
}
