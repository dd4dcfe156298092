package tn.gguf;

import tn.bridge.Status;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import tn.io.InputFile;
import tn.bridge.LlamaException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * A GGUF file read through ggml's gguf.h: its metadata and its tensors, dequantized to float
 * with ggml's own type traits (any type llama.cpp can convert). Opening reads only the index;
 * a truncated file, random bytes or a directory fail here with a {@link LlamaException}.
 */
public final class GgufFile implements AutoCloseable {
    /** gguf_type codes (ggml/include/gguf.h). */
    public static final int TYPE_FLOAT32 = 6, TYPE_BOOL = 7, TYPE_STRING = 8, TYPE_ARRAY = 9, TYPE_FLOAT64 = 12;

    private final Path path;
    private Pointer handle;
    private final Map<String, GgufTensor> tensors = new LinkedHashMap<>();

    private GgufFile(Path path, Pointer handle) {
        this.path = path;
        this.handle = handle;
        long n = INSTANCE.tn_gguf_n_tensors(handle);
        for (long t = 0; t < n; t++) {
            IntByReference type = new IntByReference();
            long[] ne = new long[4];
            LongByReference bytes = new LongByReference();
            check(INSTANCE.tn_gguf_tensor_info(handle, t, type, ne, bytes));
            int dims = 4;
            while (dims > 1 && ne[dims - 1] == 1) dims--;
            long[] shape = java.util.Arrays.copyOf(ne, dims);
            String name = INSTANCE.tn_gguf_tensor_name(handle, t);
            tensors.put(name,
                    new GgufTensor(t, name, type.getValue(), INSTANCE.tn_ggml_type_name(type.getValue()), shape,
                            bytes.getValue()));
        }
    }

    public static GgufFile open(Path path) {
        InputFile.check(path);
        MetadataArrays.check(path);
        PointerByReference out = new PointerByReference();
        check(INSTANCE.tn_gguf_open(path.toString(), out));
        return new GgufFile(path, out.getValue());
    }

    public Path path() {
        return path;
    }

    /**
     * Whether {@link #open} failed because the file ends before its tensors' data does (a file cut
     * short, as opposed to one that is not a GGUF at all).
     */
    public static boolean isTruncated(LlamaException e) {
        return e.status() == Status.FORMAT && e.getMessage() != null && e.getMessage().contains(": truncated: tensor '");
    }

    /** The native handle, for {@link GgufWriter#copyMetadata}. */
    Pointer handle() {
        ensureOpen();
        return handle;
    }

    // ---- metadata ----

    public List<String> keys() {
        ensureOpen();
        long n = INSTANCE.tn_gguf_n_kv(handle);
        List<String> keys = new ArrayList<>();
        for (long i = 0; i < n; i++) keys.add(INSTANCE.tn_gguf_key(handle, i));
        return keys;
    }

    public boolean has(String key) {
        ensureOpen();
        return INSTANCE.tn_gguf_find_key(handle, key) >= 0;
    }

    public Optional<String> string(String key) {
        long i = find(key);
        if (i < 0) return Optional.empty();
        Pointer p = INSTANCE.tn_gguf_get_str(handle, i, -1);
        if (p == null) throw new LlamaException(Status.FORMAT, INSTANCE.tn_last_error());
        return Optional.of(p.getString(0, StandardCharsets.UTF_8.name()));
    }

    public OptionalLong integer(String key) {
        long i = find(key);
        if (i < 0) return OptionalLong.empty();
        long[] v = new long[1];
        check(INSTANCE.tn_gguf_get_i64(handle, i, v));
        return OptionalLong.of(v[0]);
    }

    public OptionalDouble number(String key) {
        long i = find(key);
        if (i < 0) return OptionalDouble.empty();
        double[] v = new double[1];
        check(INSTANCE.tn_gguf_get_f64(handle, i, v));
        return OptionalDouble.of(v[0]);
    }

    /** The gguf_type of a value (TYPE_STRING, TYPE_ARRAY, ...); empty if the key is absent. */
    public OptionalInt type(String key) {
        long i = find(key);
        if (i < 0) return OptionalInt.empty();
        int type = INSTANCE.tn_gguf_kv_type(handle, i, null, null);
        check(type);
        return OptionalInt.of(type);
    }

    /** The gguf_type of an array's elements; empty if the key is absent or not an array. */
    public OptionalInt elementType(String key) {
        long i = find(key);
        if (i < 0) return OptionalInt.empty();
        IntByReference elem = new IntByReference();
        int type = INSTANCE.tn_gguf_kv_type(handle, i, elem, null);
        check(type);
        return type == TYPE_ARRAY ? OptionalInt.of(elem.getValue()) : OptionalInt.empty();
    }

    /** Element j of a numeric array, as a double. */
    public double arrayNumber(String key, long j) {
        long i = find(key);
        if (i < 0) throw new LlamaException(Status.ARG, path + ": no metadata '" + key + "'");
        double[] v = new double[1];
        check(INSTANCE.tn_gguf_get_arr_f64(handle, i, j, v));
        return v[0];
    }

    /** Number of elements of an array value; -1 if the key is absent or not an array. */
    public long arrayLength(String key) {
        long i = find(key);
        if (i < 0) return -1;
        IntByReference elem = new IntByReference();
        LongByReference n = new LongByReference();
        int type = INSTANCE.tn_gguf_kv_type(handle, i, elem, n);
        check(type);
        return type == TYPE_ARRAY ? n.getValue() : -1;
    }

    /** Element j of a string array (for {@link tn.llama.LoadCheck}'s check of the vocabulary). */
    public String arrayString(String key, long j) {
        long i = find(key);
        Pointer p = i < 0 ? null : INSTANCE.tn_gguf_get_str(handle, i, j);
        if (p == null) throw new LlamaException(Status.FORMAT, path + ": no string element " + j + " in '" + key + "'");
        return p.getString(0, StandardCharsets.UTF_8.name());
    }

    // ---- tensors ----

    public List<GgufTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Optional<GgufTensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** A tensor that must exist; names the file and tensor otherwise. */
    public GgufTensor require(String name) {
        GgufTensor t = tensors.get(name);
        if (t == null) throw new LlamaException(Status.FORMAT, path + ": no tensor '" + name + "'");
        return t;
    }

    /** Rows [row0, row0 + nRows) of a tensor as floats, rowLength() values each. */
    public float[] readRows(String name, long row0, int nRows) {
        ensureOpen();
        GgufTensor t = require(name);
        float[] out = new float[Math.multiplyExact(nRows, Math.toIntExact(t.rowLength()))];
        check(INSTANCE.tn_gguf_read_rows(handle, t.id(), row0, nRows, out));
        return out;
    }

    /** All values of a tensor as floats, in ggml order (row after row). */
    public float[] read(String name) {
        GgufTensor t = require(name);
        return readRows(name, 0, Math.toIntExact(t.rows()));
    }

    private long find(String key) {
        ensureOpen();
        return INSTANCE.tn_gguf_find_key(handle, key);
    }

    private void ensureOpen() {
        if (handle == null) throw new IllegalStateException(path + " is closed");
    }

    @Override
    public void close() {
        if (handle != null) {
            INSTANCE.tn_gguf_close(handle);
            handle = null;
        }
    }
}
