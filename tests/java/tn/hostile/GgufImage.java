package tn.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (version 3) parsed into editable parts and written back byte for byte, in plain
 * Java: independent of ggml's gguf.h, so that the hostile tests can make any file they like,
 * including ones gguf.h would never write (a value of the wrong type, a NaN hyperparameter, a
 * tensor whose data lies past the end of the file). Values keep their GGUF type.
 */
public final class GgufImage {
    /** GGUF value types (ggml/include/gguf.h). */
    static final int U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9,
                     U64 = 10, I64 = 11, F64 = 12;
    /** ggml tensor type of F32 data. */
    static final int GGML_F32 = 0;

    /** A value: a number, boolean or string, or for arrays the element type and a list of such values. */
    record Value(int type, int elementType, Object value) {
        static Value of(int type, Object value) {
            return new Value(type, -1, value);
        }

        static Value array(int elementType, List<?> values) {
            return new Value(ARRAY, elementType, List.copyOf(values));
        }
    }

    /** A tensor: name, dimensions (ne[0] first), ggml type and its data bytes. */
    static final class Tensor {
        String name;
        long[] ne;
        int type;
        byte[] data;
        /** Written as this offset instead of the computed one, when set (to point data elsewhere). */
        Long offsetOverride;

        Tensor(String name, long[] ne, int type, byte[] data) {
            this.name = name;
            this.ne = ne;
            this.type = type;
            this.data = data;
        }

        /** Sets F32 element i (the tensor must be F32). */
        void setFloat(int i, float v) {
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(i * 4, v);
        }
    }

    final Map<String, Value> kv = new LinkedHashMap<>();
    final List<Tensor> tensors = new ArrayList<>();
    int version = 3;

    public static GgufImage read(Path file) {
        try {
            return parse(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The data bytes of the named tensor as they lie in the file: for other types than F32, up to
     * the next tensor's offset (or the end of the file), so with the alignment padding after them.
     */
    public byte[] data(String name) {
        return tensors.stream()
                .filter(t -> t.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name))
                .data;
    }

    private static GgufImage parse(ByteBuffer b) {
        if (b.getInt() != 0x46554747) throw new IllegalArgumentException("no GGUF magic");
        GgufImage g = new GgufImage();
        g.version = b.getInt();
        long nTensors = b.getLong();
        long nKv = b.getLong();
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            int type = b.getInt();
            g.kv.put(key, type == ARRAY ? arrayValue(b) : Value.of(type, scalar(b, type)));
        }
        List<long[]> offsets = new ArrayList<>();
        for (long t = 0; t < nTensors; t++) {
            String name = string(b);
            int dims = b.getInt();
            long[] ne = new long[dims];
            for (int d = 0; d < dims; d++) ne[d] = b.getLong();
            int type = b.getInt();
            long offset = b.getLong();
            g.tensors.add(new Tensor(name, ne, type, null));
            offsets.add(new long[] {offset});
        }
        int dataStart = (int) align(b.position(), g.alignment());
        for (int t = 0; t < g.tensors.size(); t++) {
            long start = dataStart + offsets.get(t)[0];
            long end = t + 1 < g.tensors.size() ? dataStart + offsets.get(t + 1)[0] : b.capacity();
            byte[] data = new byte[(int) (end - start)];
            b.get((int) start, data);
            g.tensors.get(t).data = data;
        }
        // trailing padding belongs to no tensor: keep each tensor's own bytes only (F32: 4 per element)
        for (Tensor t : g.tensors) {
            if (t.type == GGML_F32) t.data = java.util.Arrays.copyOf(t.data, (int) (4 * elements(t.ne)));
        }
        return g;
    }

    private static Value arrayValue(ByteBuffer b) {
        int elementType = b.getInt();
        long n = b.getLong();
        List<Object> values = new ArrayList<>();
        for (long i = 0; i < n; i++) values.add(scalar(b, elementType));
        return Value.array(elementType, values);
    }

    private static Object scalar(ByteBuffer b, int type) {
        return switch (type) {
            case U8 -> (long) Byte.toUnsignedInt(b.get());
            case I8 -> (long) b.get();
            case U16 -> (long) Short.toUnsignedInt(b.getShort());
            case I16 -> (long) b.getShort();
            case U32 -> Integer.toUnsignedLong(b.getInt());
            case I32 -> (long) b.getInt();
            case F32 -> (double) b.getFloat();
            case BOOL -> b.get() != 0;
            case STRING -> string(b);
            case U64, I64 -> b.getLong();
            case F64 -> b.getDouble();
            default -> throw new IllegalArgumentException("value type " + type);
        };
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[(int) b.getLong()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    static long elements(long[] ne) {
        long n = 1;
        for (long d : ne) n *= d;
        return n;
    }

    int alignment() {
        Value a = kv.get("general.alignment");
        long v = a == null || !(a.value() instanceof Long l) ? 32 : l;
        return v > 0 && v <= 1 << 16 ? (int) v : 32; // a hostile value is written, the layout stays sane
    }

    private static long align(long at, int alignment) {
        return (at + alignment - 1) / alignment * alignment;
    }

    Tensor tensor(String name) {
        return tensors.stream()
                .filter(t -> t.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name));
    }

    GgufImage set(String key, int type, Object value) {
        kv.put(key, Value.of(type, value));
        return this;
    }

    GgufImage remove(String key) {
        kv.remove(key);
        return this;
    }

    GgufImage removeTensor(String name) {
        tensors.remove(tensor(name));
        return this;
    }

    /** The file's bytes: header, metadata, tensor index, padding, data (each tensor aligned). */
    byte[] bytes() {
        Out out = new Out();
        out.i32(0x46554747).i32(version).i64(tensors.size()).i64(kv.size());
        kv.forEach((key, v) -> {
            out.str(key).i32(v.type());
            if (v.type() == ARRAY) {
                List<?> list = (List<?>) v.value();
                out.i32(v.elementType()).i64(list.size());
                for (Object e : list) out.scalar(v.elementType(), e);
            } else {
                out.scalar(v.type(), v.value());
            }
        });
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            offsets.add(offset);
            out.str(t.name).i32(t.ne.length);
            for (long d : t.ne) out.i64(d);
            out.i32(t.type).i64(t.offsetOverride != null ? t.offsetOverride : offset);
            offset = align(offset + t.data.length, alignment());
        }
        out.pad(alignment());
        for (int i = 0; i < tensors.size(); i++) {
            out.bytes.write(tensors.get(i).data, 0, tensors.get(i).data.length);
            if (i + 1 < tensors.size()) out.pad(alignment());
        }
        return out.bytes.toByteArray();
    }

    Path write(Path file) {
        try {
            Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Little-endian writing. */
    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out i32(long v) {
            scratch.clear();
            bytes.write(scratch.putInt((int) v).array(), 0, 4);
            return this;
        }

        Out i64(long v) {
            scratch.clear();
            bytes.write(scratch.putLong(v).array(), 0, 8);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            bytes.write(b, 0, b.length);
            return this;
        }

        void pad(int alignment) {
            while (bytes.size() % alignment != 0) bytes.write(0);
        }

        void scalar(int type, Object v) {
            scratch.clear();
            switch (type) {
                case U8, I8 -> bytes.write((int) (long) (Long) v);
                case U16, I16 -> bytes.write(scratch.putShort((short) (long) (Long) v).array(), 0, 2);
                case U32, I32 -> i32((Long) v);
                case F32 -> bytes.write(scratch.putFloat((float) (double) (Double) v).array(), 0, 4);
                case BOOL -> bytes.write((Boolean) v ? 1 : 0);
                case STRING -> str((String) v);
                case U64, I64 -> i64((Long) v);
                case F64 -> bytes.write(scratch.putDouble((Double) v).array(), 0, 8);
                default -> throw new IllegalArgumentException("value type " + type);
            }
        }
    }
}
