package tn.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format for float arrays, as numpy.save writes it (format 1.0, little-endian,
 * C order, header padded so the data starts at a multiple of 64 bytes). Written by hand: the
 * format is a few lines, and the one Java library for it is unmaintained and pulls in Kotlin.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** An array in C order. */
    public record Array(int[] shape, float[] data) {}

    public static void writeFloat32(Path file, float[] data, int... shape) {
        ByteBuffer buf = withHeader(data.length, Float.BYTES, "<f4", shape);
        buf.asFloatBuffer().put(data);
        write(file, buf);
    }

    /** float64 for values whose precision a reader may need (probabilities near 0 or 1, entropies). */
    public static void writeFloat64(Path file, double[] data, int... shape) {
        ByteBuffer buf = withHeader(data.length, Double.BYTES, "<f8", shape);
        buf.asDoubleBuffer().put(data);
        write(file, buf);
    }

    /** A buffer holding the magic and header, positioned at the start of the data. */
    private static ByteBuffer withHeader(int values, int width, String descr, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != values) throw new IllegalArgumentException(values + " values for shape " + Arrays.toString(shape));
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String shapeText =
                shape.length == 1 ? dims.toString().trim() : dims.substring(0, Math.max(0, dims.length() - 2));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer buf =
                ByteBuffer.allocate(MAGIC.length + 4 + header.length() + values * width).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII));
        return buf;
    }

    private static void write(Path file, ByteBuffer buf) {
        try (AtomicFile out = AtomicFile.create(file)) {
            Files.write(out.temporary(), buf.array());
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** What an .npy header says: the dtype (NumPy's descr, e.g. "<f4"), the shape and where the data starts. */
    public record Header(String descr, int[] shape, int dataOffset) {
        public long count() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** The header of an .npy file, read without its data (format 1.0 caps a header at 64 KiB; later ones in practice). */
    public static Header header(Path file) {
        try (InputStream in = InputFile.newInputStream(file)) {
            return header(in.readNBytes(12 + 65535), file);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** Reads a float32 or float64 array (the latter converted to float). */
    public static Array readFloat32(Path file) {
        byte[] bytes = InputFile.readAllBytes(file);
        Header h = header(bytes, file);
        long n = h.count();
        int width = switch (h.descr()) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default ->
                throw new InputException(
                        file + ": dtype '" + h.descr() + "' is not supported; expected float32 (<f4) or float64 (<f8)");
        };
        int data = h.dataOffset();
        if (bytes.length - data != n * width) {
            throw new InputException(file + ": " + (bytes.length - data) + " bytes of data for shape "
                    + Arrays.toString(h.shape()) + " of " + h.descr() + "; the file is truncated or corrupt");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) n];
        buf.position(data);
        if (width == 4) {
            buf.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < n; i++) values[i] = (float) buf.getDouble(data + i * 8);
        }
        return new Array(h.shape(), values);
    }

    /** Parses the header at the start of bytes (which may hold the data too, or only the header). */
    private static Header header(byte[] bytes, Path file) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new InputException(file + " is not a .npy file (no \\x93NUMPY magic)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength;
        int start;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new InputException(file + ": truncated .npy header");
            headerLength = buf.getInt(8);
            start = 12;
        } else {
            throw new InputException(file + ": .npy format version " + major + " is not supported");
        }
        if (headerLength < 0 || start + (long) headerLength > bytes.length) {
            throw new InputException(file + ": truncated .npy header");
        }
        String header = new String(bytes, start, headerLength, StandardCharsets.UTF_8);
        String descr = field(DESCR, header, file, "descr");
        if (field(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new InputException(file + ": Fortran-order arrays are not supported; save with C order");
        }
        int[] shape;
        try {
            shape = Arrays.stream(field(SHAPE, header, file, "shape").split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .mapToInt(Integer::parseInt)
                            .toArray();
        } catch (NumberFormatException e) {
            throw new InputException(file + ": the .npy header's shape is not a tuple of integers", e);
        }
        long count = 1;
        for (int d : shape) {
            if (d < 0)
                throw new InputException(
                        file + ": the .npy header's shape " + Arrays.toString(shape) + " has a negative size");
            count = d == 0 ? 0 : count > Integer.MAX_VALUE / d ? Integer.MAX_VALUE + 1L : count * d;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new InputException(file + ": the .npy header's shape " + Arrays.toString(shape)
                    + " holds more values than "
                    + "tn reads into one array");
        }
        return new Header(descr, shape, start + headerLength);
    }

    private static String field(Pattern p, String header, Path file, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new InputException(file + ": the .npy header has no '" + name + "'");
        return m.group(1);
    }
}
