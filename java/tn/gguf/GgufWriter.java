package tn.gguf;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import tn.io.AtomicFile;

import java.nio.file.Path;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * Writes a GGUF file with ggml's gguf.h, tensor by tensor, so that a large model never has to sit
 * in memory at once: F32, or each tensor in the type llama.cpp's quantization to
 * a file type gives it ({@link #quantizeAs}). The file appears at its path only on
 * {@link #commit()}; until then it is a temporary file beside it, removed on {@link #close()}.
 * <pre>
 *   metadata (copyMetadata, set*) -> declare every tensor -> [quantizeAs] -> beginData
 *     -> writeTensor each, in order -> commit
 * </pre>
 */
public final class GgufWriter implements AutoCloseable {
    private final AtomicFile target;
    private Pointer handle;
    private int threads; // for converting values to their tensor's type (0: every core)

    private GgufWriter(AtomicFile target, Pointer handle) {
        this.target = target;
        this.handle = handle;
    }

    public static GgufWriter create(Path path) {
        AtomicFile target = AtomicFile.create(path);
        PointerByReference out = new PointerByReference();
        try {
            check(INSTANCE.tn_writer_open(target.temporary().toString(), out));
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return new GgufWriter(target, out.getValue());
    }

    public GgufWriter copyMetadata(GgufFile source) {
        check(INSTANCE.tn_writer_copy_kv(handle(), source.handle()));
        return this;
    }

    public GgufWriter set(String key, String value) {
        check(INSTANCE.tn_writer_set_str(handle(), key, value));
        return this;
    }

    public GgufWriter setUInt32(String key, int value) {
        check(INSTANCE.tn_writer_set_u32(handle(), key, value));
        return this;
    }

    public GgufWriter setFloat32(String key, float value) {
        check(INSTANCE.tn_writer_set_f32(handle(), key, value));
        return this;
    }

    public GgufWriter remove(String key) {
        check(INSTANCE.tn_writer_remove_key(handle(), key));
        return this;
    }

    /** Declares an F32 tensor; shape[0] is the row length. */
    public GgufWriter declareTensor(String name, long... shape) {
        check(INSTANCE.tn_writer_add_tensor(handle(), name, shape.length, shape));
        return this;
    }

    /**
     * Gives every declared tensor the type llama_model_quantize would give it in a file of this
     * llama_ftype (FileType.code): its mix, such as Q6_K for some down projections of a Q4_K_M,
     * norms kept F32. Sets general.file_type and general.quantization_version as it does. Values
     * are then converted as they are written, on threads threads (0: every core).
     */
    public void quantizeAs(int llamaFtype, int threads) {
        Path scratch = target.temporary().resolveSibling(target.temporary().getFileName() + ".plan");
        check(INSTANCE.tn_writer_plan_types(handle(), llamaFtype, scratch.toString(), threads));
        this.threads = threads;
    }

    public void beginData() {
        check(INSTANCE.tn_writer_begin_data(handle()));
    }

    /** The next declared tensor's values, all of them, in ggml order (converted to its type). */
    public void writeTensor(float[] values) {
        check(INSTANCE.tn_writer_write_values(handle(), values, values.length, threads));
    }

    /** Finishes the file and moves it into place atomically. */
    public void commit() {
        check(INSTANCE.tn_writer_finish(handle()));
        INSTANCE.tn_writer_close(handle);
        handle = null;
        target.commit();
    }

    private Pointer handle() {
        if (handle == null) throw new IllegalStateException("writer for " + target.path() + " is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            INSTANCE.tn_writer_close(handle);
            handle = null;
        }
        target.close();
    }
}
