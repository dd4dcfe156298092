package tn.llama;

import com.sun.jna.Pointer;

import static tn.llama.TnLibrary.INSTANCE;

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

    @Override
    public void close() {
        if (handle != null) {
            INSTANCE.tn_session_close(handle);
            handle = null;
            model.forget(this);
        }
    }
}
