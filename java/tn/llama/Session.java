package tn.llama;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.List;
import java.util.Map;

import static tn.llama.TnLibrary.INSTANCE;
import static tn.llama.TnLibrary.check;

/**
 * A llama.cpp context over a {@link Model} that runs sentences forward and copies out the
 * tensors a {@link CaptureSpec} asks for, optionally with a {@link Deactivation}. Sentences are
 * packed several to a llama_decode call (up to maxSentences and contextSize tokens); the result
 * is the same as running them one at a time. Not thread-safe: one session per thread.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final SessionOptions options;
    private Pointer handle;

    Session(Model model, SessionOptions options) {
        this.model = model;
        this.options = options;
        ContextBudget.check(model.info(), options);
        PointerByReference out = new PointerByReference();
        check(INSTANCE.tn_session_open(model.handle(), options.threads(), options.contextSize(),
                options.maxSentences(), options.kvF32() ? 1 : 0, out));
        this.handle = out.getValue();
    }

    public SessionOptions options() {
        return options;
    }

    public Model model() {
        return model;
    }

    /** Whether a sentence of this many tokens fits this session's context. */
    public boolean fits(int tokens) {
        return tokens >= 1 && tokens <= options.contextSize();
    }

    public Capture run(List<int[]> sentences, CaptureSpec spec) {
        return run(sentences, spec, Deactivation.none());
    }

    /**
     * Runs the sentences (token ids, BOS included as {@link Model#tokenize} gives them) and
     * returns what spec asks for, with deactivation applied (its sentence mask indexes the list).
     */
    public Capture run(List<int[]> sentences, CaptureSpec spec, Deactivation deactivation) {
        ensureOpen();
        if (sentences.isEmpty()) throw new IllegalArgumentException("no sentences to run");
        ModelInfo info = model.info();
        int[] lengths = new int[sentences.size()];
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = sentences.get(s).length;
            if (lengths[s] == 0) throw new IllegalArgumentException("sentence " + s + " has no tokens");
            if (!fits(lengths[s])) {
                throw new IllegalArgumentException("sentence " + s + " has " + lengths[s]
                        + " tokens, longer than the context of " + options.contextSize() + " tokens");
            }
        }
        for (CaptureSpec.Slot slot : spec.slots()) {
            if (slot.kind().perLayer() && slot.layer() >= info.nLayer()) {
                throw new IllegalArgumentException(slot.kind() + " at layer " + slot.layer()
                        + ": the model has layers 0.." + (info.nLayer() - 1));
            }
        }
        int[] widths = spec.slots().stream().mapToInt(sl -> sl.kind().width(info)).toArray();
        Capture capture = new Capture(spec, lengths, widths);
        NativeDeactivation deact = new NativeDeactivation(deactivation, info);
        for (int start = 0; start < lengths.length; ) {
            int end = packGroup(lengths, start);
            runGroup(sentences, start, end, spec, deact, deactivation, capture);
            start = end;
        }
        return capture;
    }

    /** The end (exclusive) of the decode group starting at sentence start. */
    private int packGroup(int[] lengths, int start) {
        int end = start;
        int tokens = 0;
        while (end < lengths.length && end - start < options.maxSentences()
                && tokens + lengths[end] <= options.contextSize()) {
            tokens += lengths[end++];
        }
        return end;
    }

    private void runGroup(List<int[]> sentences, int start, int end, CaptureSpec spec, NativeDeactivation deact,
                          Deactivation deactivation, Capture capture) {
        int n = end - start;
        int[] lengths = new int[n];
        int total = 0;
        for (int s = 0; s < n; s++) {
            lengths[s] = sentences.get(start + s).length;
            total += lengths[s];
        }
        int[] tokens = new int[total];
        for (int s = 0, at = 0; s < n; s++) {
            System.arraycopy(sentences.get(start + s), 0, tokens, at, lengths[s]);
            at += lengths[s];
        }
        int valueRows = 0;
        for (int length : lengths) valueRows += spec.positions().rows(length);
        int nSlots = spec.slots().size();
        int[] kinds = new int[nSlots];
        int[] layers = new int[nSlots];
        int[] groupRows = new int[nSlots];
        long[] offsets = new long[nSlots];
        long floats = 0;
        for (int k = 0; k < nSlots; k++) {
            Kind kind = spec.slots().get(k).kind();
            kinds[k] = kind.code;
            layers[k] = spec.slots().get(k).layer();
            groupRows[k] = kind.counts() ? n : valueRows;
            offsets[k] = floats;
            floats += (long) groupRows[k] * capture.slotWidth(k);
        }
        byte[] mask = null;
        if (!deactivation.isEmpty() && deactivation.sentenceMask() != null) {
            mask = new byte[n];
            for (int s = 0; s < n; s++) mask[s] = (byte) (deactivation.appliesTo(start + s) ? 1 : 0);
        }
        Memory out = floats == 0 ? null : new Memory(floats * Float.BYTES);
        try {
            int rc = INSTANCE.tn_session_run(handle, tokens, lengths, n, spec.positions().code(),
                    kinds, layers, offsets, nSlots, out,
                    deact.layers, deact.neurons, deact.values, deact.layers.length,
                    deactivation.positions() == Positions.ALL_TOKENS ? 1 : 0, mask);
            if (rc == NonFiniteException.STATUS) {
                int s = nonFiniteSentence();
                throw nonFinite(sentences.get(start + s), start + s);
            }
            check(rc);
            for (int k = 0; k < nSlots; k++) {
                int w = capture.slotWidth(k);
                out.read(offsets[k] * Float.BYTES, capture.slotData(k), capture.firstRow(k, start) * w, groupRows[k] * w);
            }
        } finally {
            if (out != null) out.close();
        }
    }

    /**
     * Generation, one sequence at a time: decodes tokens at positions pos.. after the pos tokens
     * decoded so far (pos 0 starts afresh) and returns the logits of the last one (n_vocab).
     * The deactivation's neurons are overwritten at every one of these tokens, whatever its
     * positions say: pass the prompt with its deactivation, generated tokens with none.
     * {@link #run} forgets what was decoded here.
     */
    public float[] decodeNext(int[] tokens, int pos, Deactivation deactivation) {
        ensureOpen();
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to decode");
        if (pos < 0 || pos + tokens.length > options.contextSize()) {
            throw new IllegalArgumentException("positions " + pos + ".." + (pos + tokens.length - 1)
                    + " do not fit the context of " + options.contextSize() + " tokens");
        }
        NativeDeactivation deact = new NativeDeactivation(deactivation, model.info());
        float[] logits = new float[model.info().nVocab()];
        int rc = INSTANCE.tn_session_continue(handle, tokens, tokens.length, pos, logits,
                deact.layers, deact.neurons, deact.values, deact.layers.length);
        if (rc == NonFiniteException.STATUS) throw nonFinite(tokens, -1);
        check(rc);
        return logits;
    }

    /** The batch index of the sentence the last run found NaN or infinity for. */
    private int nonFiniteSentence() {
        IntByReference kind = new IntByReference(), layer = new IntByReference(), seq = new IntByReference();
        check(INSTANCE.tn_session_nonfinite(handle, kind, layer, seq));
        return seq.getValue();
    }

    /** What went non-finite (tn_last_error's words), for the sentence of these tokens (index in the run, or -1). */
    private NonFiniteException nonFinite(int[] tokens, int sentence) {
        String what = INSTANCE.tn_last_error().replaceFirst(" for sentence \\d+ of the batch$", "");
        String text = model.detokenize(tokens, true).strip();
        if (text.length() > 60) text = text.substring(0, 60) + "...";
        return new NonFiniteException(model.info().path(), what,
                sentence >= 0 ? "sentence " + sentence + " of the run" : "the tokens decoded", text, tokens);
    }

    /** A deactivation as the parallel arrays tn_session_run takes. */
    private static final class NativeDeactivation {
        final int[] layers;
        final int[] neurons;
        final float[] values;

        NativeDeactivation(Deactivation d, ModelInfo info) {
            int n = d.values().size();
            layers = new int[n];
            neurons = new int[n];
            values = new float[n];
            int j = 0;
            for (Map.Entry<Neuron, Float> e : d.values().entrySet()) {
                Neuron neuron = e.getKey();
                if (neuron.layer() >= info.nLayer() || neuron.index() >= info.nFf()) {
                    throw new IllegalArgumentException("neuron " + neuron + " is outside the model's "
                            + info.nLayer() + " layers x " + info.nFf() + " neurons");
                }
                layers[j] = neuron.layer();
                neurons[j] = neuron.index();
                values[j++] = e.getValue();
            }
        }
    }

    private void ensureOpen() {
        if (handle == null) throw new IllegalStateException("session is closed");
        model.ensureOpen();
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
