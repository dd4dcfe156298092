package tn.llama;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * A llama.cpp context over a {@link Model} ({@link Session} or {@link Decoder}): its native
 * handle, which must close before its model.
 */
abstract class Context implements AutoCloseable {
    protected final Model model;
    private Pointer handle;

    Context(Model model, Pointer handle) {
        this.model = model;
        this.handle = handle;
    }

    public Model model() {
        return model;
    }

    /** The handle of an open context with an open model. */
    Pointer handle() {
        if (handle == null) throw new IllegalStateException(getClass().getSimpleName().toLowerCase() + " is closed");
        model.ensureOpen();
        return handle;
    }

    /** The batch index of the sentence (sequence) the last call found NaN or infinity for. */
    int nonFiniteSequence() {
        IntByReference kind = new IntByReference(), layer = new IntByReference(), seq = new IntByReference();
        check(INSTANCE.tn_session_nonfinite(handle(), kind, layer, seq));
        return seq.getValue();
    }

    @Override
    public void close() {
        if (handle != null) {
            INSTANCE.tn_session_close(handle);
            handle = null;
            model.forget(this);
        }
    }
}
