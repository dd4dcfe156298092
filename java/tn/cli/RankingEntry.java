package tn.cli;

import picocli.CommandLine.ITypeConverter;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of --deactivate: a ranking (tn's ranking.tsv or the original implementation's .pkl),
 * optionally for one language only, LANG=RANKING (tn latent switches each L2 off with its own).
 *
 * @param lang the language, or null for an entry without one
 */
record RankingEntry(String lang, Path file) {
    private static final Pattern WITH_LANG = Pattern.compile("([A-Za-z0-9_-]{1,32})=(.+)");

    /** [LANG=]RANKING, the file as --model's and --out's paths are read. */
    static final class Converter implements ITypeConverter<RankingEntry> {
        private final PathConverter paths;

        Converter(PathConverter paths) {
            this.paths = paths;
        }

        @Override
        public RankingEntry convert(String entry) {
            Matcher m = WITH_LANG.matcher(entry.strip());
            return m.matches() ? new RankingEntry(m.group(1), paths.convert(m.group(2).strip()))
                               : new RankingEntry(null, paths.convert(entry.strip()));
        }
    }
}
