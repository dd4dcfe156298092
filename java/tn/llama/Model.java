package tn.llama;

import tn.bridge.Status;

import tn.bridge.TnLibrary;

import tn.bridge.LlamaException;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * A GGUF model loaded by llama.cpp: its facts, its tokenizer, its value vectors, and
 * {@link Session}s that run sentences through it.
 */
public final class Model implements AutoCloseable {
    private Pointer handle;
    private final ModelInfo info;
    private final GgufFile gguf;
    /**
     * Open sessions, decoders and value products: a llama.cpp context, or a handle on the model's weights,
     * must not outlive the model, so close() ends them first.
     */
    private final Map<Object, Runnable> dependents = new IdentityHashMap<>(); // each with how to close it

    private Model(Path path, Pointer handle, GgufFile gguf) {
        this.handle = handle;
        this.gguf = gguf;
        TnLibrary.ModelInfoStruct s = new TnLibrary.ModelInfoStruct();
        check(INSTANCE.tn_model_get_info(handle, s));
        this.info = new ModelInfo(path, s.architecture, s.description, s.n_layer, s.n_embd, s.n_ff, s.n_head,
                s.n_head_kv, s.n_vocab, s.n_ctx_train, s.file_type, s.add_bos != 0, s.n_params, s.size_bytes,
                INSTANCE.tn_llama_version());
    }

    /**
     * Loads a model with as many layers offloaded as the environment variable TN_GPU_LAYERS says
     * (-1: all), on the CPU where it is unset: how scripts/gpu-check runs the tests on a GPU.
     */
    public static Model open(Path path) {
        String env = System.getenv("TN_GPU_LAYERS");
        int gpuLayers;
        try {
            gpuLayers = env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "TN_GPU_LAYERS must be a whole number of layers (-1: all), is '" + env + "'");
        }
        return open(path, gpuLayers);
    }

    /**
     * Loads a model with gpuLayers layers offloaded (-1: all; ignored on a CPU-only build), once
     * its metadata passes {@link LoadCheck}: a file llama.cpp would stop the process on is an
     * error naming the file and field instead.
     */
    public static Model open(Path path, int gpuLayers) {
        GgufFile gguf = GgufFile.open(path);
        try {
            LoadCheck.check(gguf);
            PointerByReference out = new PointerByReference();
            check(INSTANCE.tn_model_open(path.toString(), gpuLayers, out));
            Pointer handle = out.getValue();
            try {
                return new Model(path, handle, gguf);
            } catch (RuntimeException e) {
                INSTANCE.tn_model_close(handle);
                throw e;
            }
        } catch (RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    public ModelInfo info() {
        return info;
    }

    /** The model file's GGUF index (metadata and tensors). */
    public GgufFile gguf() {
        return gguf;
    }

    /**
     * Token ids of a sentence, with BOS (and EOS) added as the model's metadata says: what
     * transformers' {@code tokenizer(text)} gives.
     */
    public int[] tokenize(String text) {
        ensureOpen();
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty sentence");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        IntByReference n = new IntByReference();
        int[] tokens = new int[utf8.length + 8];
        int rc = INSTANCE.tn_tokenize(handle, utf8, utf8.length, tokens, tokens.length, n);
        if (rc != TnLibrary.TN_OK && n.getValue() > tokens.length) {
            tokens = new int[n.getValue()];
            rc = INSTANCE.tn_tokenize(handle, utf8, utf8.length, tokens, tokens.length, n);
        }
        check(rc);
        return Arrays.copyOf(tokens, n.getValue());
    }

    /** Whether the token ends generation (EOS, EOT, ...), as the vocabulary says. */
    public boolean endsGeneration(int token) {
        ensureOpen();
        int eog = INSTANCE.tn_token_is_eog(handle, token);
        check(eog);
        return eog == 1;
    }

    /** Text of token ids; removeSpecial drops BOS/EOS. */
    public String detokenize(int[] tokens, boolean removeSpecial) {
        ensureOpen();
        IntByReference len = new IntByReference();
        byte[] buf = new byte[tokens.length * 16 + 16];
        int rc = INSTANCE.tn_detokenize(handle, tokens, tokens.length, removeSpecial ? 1 : 0, buf, buf.length, len);
        if (rc != TnLibrary.TN_OK && len.getValue() > buf.length) {
            buf = new byte[len.getValue()];
            rc = INSTANCE.tn_detokenize(handle, tokens, tokens.length, removeSpecial ? 1 : 0, buf, buf.length, len);
        }
        check(rc);
        return new String(buf, 0, len.getValue(), StandardCharsets.UTF_8);
    }

    /** The value vectors of a layer's neurons, read from the file's down projection. */
    public ValueVectors valueVectors(int layer) {
        ensureOpen();
        if (layer < 0 || layer >= info.nLayer()) {
            throw new IllegalArgumentException("layer " + layer + ": the model has layers 0.." + (info.nLayer() - 1));
        }
        String name = "blk." + layer + ".ffn_down.weight";
        GgufTensor t = gguf.require(name);
        if (t.shape().length != 2 || t.rowLength() != info.nFf() || t.rows() != info.nEmbd()) {
            throw new LlamaException(Status.FORMAT,
                    info.path() + ": " + name + " has shape " + Arrays.toString(t.shape()) + ", expected [" + info.nFf()
                            + ", " + info.nEmbd() + "]");
        }
        float[] values = gguf.read(name);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new LlamaException(Status.FORMAT,
                        info.path() + ": tensor '" + name + "' holds " + values[i] + " (row " + i / info.nFf()
                                + ", column " + i % info.nFf()
                                + "); the value vectors of transfer scores must be finite");
            }
        }
        return new ValueVectors(layer, info.nEmbd(), info.nFf(), values);
    }

    public Session newSession(SessionOptions options) {
        ensureOpen();
        Session session = new Session(this, options);
        track(session, session::close);
        return session;
    }

    /** A decoder for batched generation (see {@link Decoder}). */
    public Decoder newDecoder(GenerationOptions options) {
        ensureOpen();
        Decoder decoder = new Decoder(this, options);
        track(decoder, decoder::close);
        return decoder;
    }

    void track(Object dependent, Runnable close) {
        dependents.put(dependent, close);
    }

    void forget(Object dependent) {
        dependents.remove(dependent);
    }

    Pointer handle() {
        ensureOpen();
        return handle;
    }

    void ensureOpen() {
        if (handle == null) throw new IllegalStateException(info.path() + " is closed");
    }

    @Override
    public void close() {
        if (handle != null) {
            for (Runnable close : List.copyOf(dependents.values())) close.run();
            gguf.close();
            INSTANCE.tn_model_close(handle);
            handle = null;
        }
    }
}
