package tn.gguf;

import tn.bridge.LlamaException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A look at a GGUF file's metadata before ggml parses it: ggml reads every element of every
 * array into memory, and a vocabulary of ten million tokens costs it a minute and gigabytes
 * before anything can refuse it. Here each array's length is read and the elements skipped, and
 * an array longer than {@link #MAX_ELEMENTS} is refused naming the key. Anything else about the
 * file (a bad magic, a file cut short) is left for ggml to say.
 */
final class MetadataArrays {
    /** Far beyond any real model's metadata: the largest vocabularies in use hold about 262k tokens. */
    static final long MAX_ELEMENTS = 1 << 21;
    /** Bytes of each fixed-size gguf_type, by code (strings and arrays vary). */
    private static final int[] SIZES = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};

    private final InputStream in;

    private MetadataArrays(InputStream in) {
        this.in = in;
    }

    /** Refuses file if its metadata holds an array of more than {@link #MAX_ELEMENTS} elements. */
    static void check(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            new MetadataArrays(in).scan(file);
        } catch (IOException e) {
            // not a GGUF, or cut short: ggml's open says so in its own words
        }
    }

    private void scan(Path file) throws IOException {
        if (u32() != 0x46554747) return; // "GGUF", little-endian; anything else is ggml's to refuse
        long version = u32();
        if (version < 2 || version > 3) return;
        u64(); // tensors
        long kvs = u64();
        for (long i = 0; i < kvs; i++) {
            String key = new String(bytes(u64()), StandardCharsets.UTF_8);
            int type = (int) u32();
            if (type != GgufFile.TYPE_ARRAY) {
                skipValue(type);
                continue;
            }
            int element = (int) u32();
            long n = u64();
            if (n > MAX_ELEMENTS) {
                throw new LlamaException(-3, String.format(Locale.ROOT,
                        "%s: metadata '%s' is an array of %,d elements; tn reads arrays of up to %,d (a vocabulary "
                                + "of a real model has a few hundred thousand tokens at most)",
                        file, key, n, MAX_ELEMENTS));
            }
            for (long j = 0; j < n; j++) skipValue(element);
        }
    }

    private void skipValue(int type) throws IOException {
        if (type == GgufFile.TYPE_STRING) {
            skip(u64());
        } else if (type == GgufFile.TYPE_ARRAY) {
            int element = (int) u32();
            long n = u64();
            if (n > MAX_ELEMENTS) throw new EOFException(); // nested: left for ggml
            for (long j = 0; j < n; j++) skipValue(element);
        } else if (type >= 0 && type < SIZES.length) {
            skip(SIZES[type]);
        } else {
            throw new EOFException(); // an unknown type: ggml names it
        }
    }

    private long u32() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) v |= (long) read() << (8 * i);
        return v;
    }

    private long u64() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) read() << (8 * i);
        return v;
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        return b;
    }

    private byte[] bytes(long n) throws IOException {
        if (n < 0 || n > 1 << 20) throw new EOFException(); // a key that long is ggml's to refuse
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) throw new EOFException();
        return b;
    }

    private void skip(long n) throws IOException {
        if (n < 0) throw new EOFException();
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                read();
                s = 1;
            }
            left -= s;
        }
    }
}
