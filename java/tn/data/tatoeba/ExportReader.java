package tn.data.tatoeba;

import tn.io.Console;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import tn.io.BoundedInput;
import tn.io.InputException;
import tn.io.InputFile;
import tn.io.Progress;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Parses Tatoeba's exports: a per-language sentences file (id TAB lang TAB text per line) and a
 * links file (sentence_id TAB translation_id per line; links.csv lists each link both ways, a
 * per-pair file L2-eng_links.tsv once), each plain, .bz2, or for links.csv inside links.tar.bz2.
 * Malformed lines are errors naming the file and line. The links are streamed: only those
 * between an L2 and an English sentence are kept.
 */
public final class ExportReader {
    /**
     * The most an export may inflate to: Tatoeba's largest, the sentences, is about 1 GB; a file
     * that inflates past this (or to a line past {@link BoundedInput#MAX_LINE}) is not an export.
     */
    private static final long MAX_BYTES = 16L << 30;

    /** Links between an L2 and an English sentence, as l2Id << 32 | enId, ascending and distinct. */
    public record Links(long lines, long[] pairs) {
        public static int l2Id(long pair) {
            return (int) (pair >>> 32);
        }

        public static int enId(long pair) {
            return (int) pair;
        }
    }

    private final boolean quiet;
    private final Console console;

    public ExportReader(boolean quiet, Console console) {
        this.quiet = quiet;
        this.console = console;
    }

    public Sentences sentences(Path file, String lang, SentenceFilter filter) {
        Sentences.Builder b = new Sentences.Builder(lang, filter);
        read(file, lines -> {
            while (lines.next()) {
                int t1 = tab(lines, 0);
                int t2 = t1 < 0 ? -1 : tab(lines, t1 + 1);
                if (t2 < 0 || tab(lines, t2 + 1) >= 0) {
                    throw new InputException(lines.at() + ": expected 3 columns, id<TAB>lang<TAB>text, found "
                            + columns(lines) + " (is this a per-language sentences export?)");
                }
                int id = id(lines, 0, t1);
                if (id < 0) {
                    throw new InputException(
                            lines.at() + ": the sentence id \"" + lines.text(0, t1) + "\" is not a positive number");
                }
                String found = lines.text(t1 + 1, t2);
                if (!found.equals(lang)) {
                    throw new InputException(lines.at() + ": the language is \"" + found + "\", expected \"" + lang
                            + "\" (a per-language export holds one language)");
                }
                b.add(id, lines.text(t2 + 1, lines.length()), lines);
            }
        });
        return b.build();
    }

    public Links links(Path file, Sentences l2, Sentences en) {
        LinkBuffer found = new LinkBuffer();
        long lineCount = read(file, lines -> {
            while (lines.next()) {
                int t = tab(lines, 0);
                if (t < 0 || tab(lines, t + 1) >= 0) {
                    throw new InputException(lines.at() + ": expected 2 columns, sentence_id<TAB>translation_id, found "
                            + columns(lines));
                }
                int a = id(lines, 0, t);
                int b = id(lines, t + 1, lines.length());
                if (a < 0 || b < 0) {
                    throw new InputException(lines.at() + ": the sentence id \""
                            + (a < 0 ? lines.text(0, t) : lines.text(t + 1, lines.length()))
                            + "\" is not a positive number");
                }
                if (l2.contains(a) && en.contains(b))
                    found.add((long) a << 32 | b);
                else if (en.contains(a) && l2.contains(b))
                    found.add((long) b << 32 | a);
            }
        });
        return new Links(lineCount, found.distinct());
    }

    /** A growing array of packed links: a list of Long would take five times the memory. */
    private static final class LinkBuffer {
        private long[] pairs = new long[1024];
        private int n;

        void add(long pair) {
            if (n == pairs.length) pairs = Arrays.copyOf(pairs, n * 2);
            pairs[n++] = pair;
        }

        long[] distinct() {
            long[] sorted = Arrays.copyOf(pairs, n);
            Arrays.sort(sorted);
            int d = 0;
            for (int k = 0; k < sorted.length; k++) {
                if (k == 0 || sorted[k] != sorted[k - 1]) sorted[d++] = sorted[k];
            }
            return Arrays.copyOf(sorted, d);
        }
    }

    private interface LineConsumer {
        void accept(LineReader lines) throws IOException;
    }

    /**
     * Opens file as its name says (.tar.bz2, .bz2 or plain), hands its lines to body with
     * progress, and returns the number of lines.
     */
    private long read(Path file, LineConsumer body) {
        InputFile.check(file); // an export is streamed, however large
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        String name = file.getFileName().toString();
        String where = file.toString();
        LineReader lines = null;
        try (Progress progress = Progress.bytes("read " + name, size, 0, quiet, console);
                InputStream raw =
                        new BufferedInputStream(new Counting(Files.newInputStream(file), progress), 1 << 16)) {
            InputStream in = name.endsWith(".bz2") ? new BZip2CompressorInputStream(raw, true) : raw;
            if (name.endsWith(".tar.bz2")) {
                String entry = ExportFiles.decompressedName(name);
                in = tarEntry(new TarArchiveInputStream(in), entry, file);
                where = file + " (" + entry + ")";
            }
            lines = new LineReader(BoundedInput.bounded(in, where, MAX_BYTES), where);
            body.accept(lines);
            return lines.number();
        } catch (IOException e) {
            throw new InputException("cannot read " + where
                            + (lines != null && lines.number() > 0 ? " after line " + lines.number() : "") + ": "
                            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
                    e);
        }
    }

    private static InputStream tarEntry(TarArchiveInputStream tar, String entry, Path file) throws IOException {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null;) {
            String n = e.getName();
            if (e.isFile() && n.substring(n.lastIndexOf('/') + 1).equals(entry)) return tar;
        }
        throw new InputException(file + ": the archive holds no " + entry);
    }

    private static int tab(LineReader lines, int from) {
        for (int i = from; i < lines.length(); i++)
            if (lines.byteAt(i) == '\t') return i;
        return -1;
    }

    private static int columns(LineReader lines) {
        int n = 1;
        for (int i = 0; i < lines.length(); i++)
            if (lines.byteAt(i) == '\t') n++;
        return n;
    }

    /** The decimal number in bytes [from, to), or -1 where it is not one in 1..Integer.MAX_VALUE. */
    private static int id(LineReader lines, int from, int to) {
        if (to <= from || to - from > 10) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = lines.byteAt(i) - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v >= 1 && v <= Integer.MAX_VALUE ? (int) v : -1;
    }

    /** Counts the compressed bytes read, for progress: the decompressed size is not known ahead. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) progress.advance(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) progress.advance(n);
            return n;
        }
    }
}
