package tn.io;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Text read as a stream with bounds: no line longer than {@link #MAX_LINE} bytes and no more than
 * a given total. A few kB of gzip or bzip2 inflate to gigabytes, on one line or many; read
 * unbounded, they run until the memory or the patience is gone. Past a bound, reading fails with
 * an {@link InputException} that names the file and the limit. Every reader of compressed input
 * (and of text from outside that it reads by lines) goes through here.
 */
public final class BoundedInput {
    /** Far beyond any line of a data file (a sentence, a question, a table row, a Tatoeba record). */
    public static final int MAX_LINE = 16 << 20;

    private BoundedInput() {}

    /** file's bytes, through gunzip or bunzip2 where its name ends in .gz or .bz2, within maxBytes. */
    public static InputStream open(Path file, long maxBytes) {
        InputStream raw = InputFile.newInputStream(file);
        try {
            return bounded(decompressed(file, raw), file.toString(), maxBytes);
        } catch (IOException e) {
            close(raw);
            throw new InputException(file + ": not valid " + compression(file) + " data (" + e.getMessage() + ")", e);
        }
    }

    /** The gzip data bytes, the contents of file, inflated within the memory a file read whole may take. */
    public static byte[] gunzip(Path file, byte[] bytes) {
        try (InputStream in = bounded(new GZIPInputStream(new ByteArrayInputStream(bytes)), file.toString(),
                     InputFile.memoryLimit())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InputException(file + ": not valid gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** in, failing once a line passes {@link #MAX_LINE} bytes or the whole passes maxBytes; where names it. */
    public static InputStream bounded(InputStream in, String where, long maxBytes) {
        return new Bounded(in, where, maxBytes);
    }

    private static InputStream decompressed(Path file, InputStream raw) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) return new GZIPInputStream(raw, 1 << 16);
        if (name.endsWith(".bz2")) return new BZip2CompressorInputStream(raw, true);
        return raw;
    }

    private static String compression(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bz2") ? "bzip2" : "gzip";
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // refused already
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final String where;
        private final long maxBytes;
        private long total;
        private long line; // bytes since the last '\n'

        Bounded(InputStream in, String where, long maxBytes) {
            super(in);
            this.where = where;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count((byte) b);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            for (int i = 0; i < n; i++) count(buf[off + i]);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        private void count(byte b) {
            total++;
            line = b == '\n' ? 0 : line + 1;
            if (line > MAX_LINE) {
                throw new InputException(String.format(Locale.ROOT,
                        "%s: a line longer than %s (tn's limit for a line of text) after %s read; not a text file "
                                + "of lines, or a compressed file that inflates without end",
                        where, Sizes.human(MAX_LINE), Sizes.human(total)));
            }
            if (total > maxBytes) {
                throw new InputException(String.format(Locale.ROOT,
                        "%s: more than %s of data (tn's limit for it); a compressed file that inflates without end?",
                        where, Sizes.human(maxBytes)));
            }
        }
    }
}
