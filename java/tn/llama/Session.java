package tn.llama;

import tn.bridge.Status;

import tn.bridge.TnLibrary;
import tn.llama.NonFiniteException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import java.util.List;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * A llama.cpp context over a {@link Model} that runs sentences forward and copies out the
 * tensors a {@link CaptureSpec} asks for, optionally with a {@link Deactivation}. Sentences are
 * packed several to a llama_decode call (up to maxSentences and contextSize tokens); the result
 * is the same as running them one at a time. Not thread-safe: one session per thread.
 */
public final class Session extends Context {
    private final SessionOptions options;

    Session(Model model, SessionOptions options) {
        super(model, open(model, options));
        this.options = options;
    }

    private static Pointer open(Model model, SessionOptions options) {
        ContextBudget.check(model.info(), options.contextSize(), 1, options.contextSize(), options.kvF32());
        PointerByReference out = new PointerByReference();
        check(INSTANCE.tn_session_open(model.handle(), options.threads(), options.contextSize(), options.maxSentences(),
                options.kvF32() ? 1 : 0, out));
        return out.getValue();
    }

    public SessionOptions options() {
        return options;
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
     * returns what spec asks for, with deactivation applied in every sentence.
     */
    public Capture run(List<int[]> sentences, CaptureSpec spec, Deactivation deactivation) {
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
                throw new IllegalArgumentException(
                        slot.kind() + " at layer " + slot.layer() + ": the model has layers 0.." + (info.nLayer() - 1));
            }
        }
        int[] widths = spec.slots().stream().mapToInt(sl -> sl.kind().width(info)).toArray();
        Capture capture = new Capture(spec, lengths, widths);
        NeuronValues deact = new NeuronValues(deactivation, info);
        for (int start = 0; start < lengths.length;) {
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

    private void runGroup(List<int[]> sentences, int start, int end, CaptureSpec spec, NeuronValues deact,
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
        try (Memory out = floats == 0 ? null : new Memory(floats * Float.BYTES);
                NativeArrays arrays = new NativeArrays()) {
            TnLibrary.RunParams p = new TnLibrary.RunParams();
            p.tokens = arrays.of(tokens);
            p.seq_len = arrays.of(lengths);
            p.n_seq = n;
            p.capture_positions = spec.positions().code();
            p.slot_kind = arrays.of(kinds);
            p.slot_layer = arrays.of(layers);
            p.slot_offset = arrays.of(offsets);
            p.n_slots = nSlots;
            p.out = out;
            p.deact_layer = arrays.of(deact.layers);
            p.deact_neuron = arrays.of(deact.neurons);
            p.deact_value = arrays.of(deact.values);
            p.n_deact = deact.layers.length;
            p.deact_positions = deactivation.positions().code();
            int rc = INSTANCE.tn_session_run(handle(), p);
            if (rc == Status.NONFINITE.code) {
                int s = nonFiniteSequence();
                throw NonFiniteException.of(
                        model, sentences.get(start + s), s, "sentence " + (start + s) + " of the run");
            }
            check(rc);
            for (int k = 0; k < nSlots; k++) {
                int w = capture.slotWidth(k);
                out.read(offsets[k] * Float.BYTES, capture.slotData(k), capture.firstRow(k, start) * w,
                        groupRows[k] * w);
            }
        }
    }
}
