package tn.data;

import tn.io.InputException;

import java.nio.file.Path;
import java.util.List;

/**
 * The sentences of one file: monolingual sentences or en/L2 pairs, with where each came from (a
 * line, or a pickle's element) and how many empty items were skipped.
 */
public final class Dataset {
    public enum Shape { MONOLINGUAL, PARALLEL }

    private final Path path;
    private final String format;
    private final String sha256;
    private final List<String> sentences; // MONOLINGUAL
    private final List<SentencePair> pairs; // PARALLEL
    private final int[] sources; // line (1-based) or element index (0-based) per item
    private final int skippedEmpty;
    private final String key; // the language's key in a pickled dict of lists, or null

    Dataset(Path path, String format, String sha256, List<String> sentences, List<SentencePair> pairs, int[] sources,
            int skippedEmpty) {
        this(path, format, null, sha256, sentences, pairs, sources, skippedEmpty);
    }

    Dataset(Path path, String format, String key, String sha256, List<String> sentences, List<SentencePair> pairs,
            int[] sources, int skippedEmpty) {
        this.path = path;
        this.key = key;
        this.format = format;
        this.sha256 = sha256;
        this.sentences = sentences == null ? null : List.copyOf(sentences);
        this.pairs = pairs == null ? null : List.copyOf(pairs);
        this.sources = sources;
        this.skippedEmpty = skippedEmpty;
    }

    public Path path() {
        return path;
    }

    /** txt, tsv, jsonl or pkl. */
    public String format() {
        return format;
    }

    public String sha256() {
        return sha256;
    }

    public Shape shape() {
        return pairs != null ? Shape.PARALLEL : Shape.MONOLINGUAL;
    }

    public int size() {
        return sources.length;
    }

    public int skippedEmpty() {
        return skippedEmpty;
    }

    /** Where item k came from, for messages: "FILE line 17", "FILE element 16" or "FILE ['ja'] element 16". */
    public String where(int k) {
        return place(path, format, key, sources[k]);
    }

    static String place(Path path, String format, String key, int source) {
        return path + (key == null ? "" : " ['" + key + "']") + (format.equals("pkl") ? " element " : " line ")
                + source;
    }

    public List<String> monolingual() {
        if (sentences == null) {
            throw new InputException(path + " holds en/L2 pairs; this needs monolingual sentences (.txt, .jsonl of "
                    + "{\"text\": ...}, or a pickled list of str)");
        }
        return sentences;
    }

    public List<SentencePair> parallel() {
        if (pairs == null) {
            throw new InputException(path + " holds monolingual sentences; this needs en/L2 pairs (.tsv "
                    + "en<TAB>L2, .jsonl of {\"en\": ..., \"l2\": ...}, or a pickled list of (str, str) tuples)");
        }
        return pairs;
    }
}
