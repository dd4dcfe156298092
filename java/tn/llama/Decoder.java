package tn.llama;

import tn.bridge.Status;

import tn.llama.NonFiniteException;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.Arrays;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * A llama.cpp context for generation: several sequences, each in a KV stream of its own, whose
 * next tokens are decoded together in one llama_decode call, with neurons switched off at the
 * rows that ask for it. What a caller schedules is in {@link Rows}: one call's rows. Not
 * thread-safe.
 */
public final class Decoder extends Context {
    private final GenerationOptions options;
    private Deactivation preparedFor;
    private NeuronValues prepared;

    Decoder(Model model, GenerationOptions options) {
        super(model, open(model, options));
        this.options = options;
    }

    private static Pointer open(Model model, GenerationOptions options) {
        ContextBudget.check(
                model.info(), options.sequenceContext(), options.sequences(), options.batchRows(), options.kvF32());
        PointerByReference out = new PointerByReference();
        check(INSTANCE.tn_session_open_generation(model.handle(), options.threads(), options.sequenceContext(),
                options.sequences(), options.batchRows(), options.kvF32() ? 1 : 0, out));
        return out.getValue();
    }

    public GenerationOptions options() {
        return options;
    }

    /**
     * The rows of one decode call. A sequence's rows come together at consecutive positions
     * continuing what it holds (position 0 starts it afresh); the sequences of a call are
     * consecutive and ascending, each with as many rows.
     */
    public static final class Rows {
        private final int[] tokens, seq, pos;
        private final byte[] off, output;
        private int n, outputs;

        public Rows(int capacity) {
            tokens = new int[capacity];
            seq = new int[capacity];
            pos = new int[capacity];
            off = new byte[capacity];
            output = new byte[capacity];
        }

        public void clear() {
            n = 0;
            outputs = 0;
        }

        /** Token of sequence at position; off: neurons off here; output: the greedy choice after it is wanted. */
        public void add(int token, int sequence, int position, boolean neuronsOff, boolean wantChoice) {
            if (n == tokens.length) throw new IllegalStateException("more than " + tokens.length + " rows");
            tokens[n] = token;
            seq[n] = sequence;
            pos[n] = position;
            off[n] = (byte) (neuronsOff ? 1 : 0);
            output[n] = (byte) (wantChoice ? 1 : 0);
            outputs += wantChoice ? 1 : 0;
            n++;
        }

        public int size() {
            return n;
        }

        /** The tokens of sequence's rows, in row order. */
        int[] tokensOf(int sequence) {
            return java.util.stream.IntStream.range(0, n).filter(i -> seq[i] == sequence).map(i -> tokens[i]).toArray();
        }
    }

    /**
     * Whether a decode call of one row computes it bit for bit as a call of several rows does, on
     * this machine and model (a probe of every logit, see tn_session_lone_row_exact); uses and then
     * empties sequences 0 and 1, so call it before they hold anything. Needs 2 sequences.
     */
    public boolean loneRowExact() {
        IntByReference exact = new IntByReference();
        check(INSTANCE.tn_session_lone_row_exact(handle(), exact));
        return exact.getValue() != 0;
    }

    /** The greedy choice after each output row, in row order, and its lead over the runner-up logit. */
    public record Choices(int[] tokens, float[] margins) {}

    /** Decodes the rows; the deactivation's neurons are set at the rows marked off. */
    public Choices decode(Rows rows, Deactivation deactivation) {
        Pointer handle = handle();
        if (rows.n == 0) throw new IllegalArgumentException("no rows to decode");
        if (deactivation != preparedFor) {
            prepared = new NeuronValues(deactivation, model.info());
            preparedFor = deactivation;
        }
        int[] best = new int[rows.outputs];
        float[] margins = new float[rows.outputs];
        int rc = INSTANCE.tn_session_decode(handle, Arrays.copyOf(rows.tokens, rows.n), Arrays.copyOf(rows.seq, rows.n),
                Arrays.copyOf(rows.pos, rows.n), Arrays.copyOf(rows.off, rows.n), Arrays.copyOf(rows.output, rows.n),
                rows.n, prepared.layers, prepared.neurons, prepared.values, prepared.size(), best, margins);
        if (rc == Status.NONFINITE.code) {
            int q = nonFiniteSequence();
            throw NonFiniteException.of(model, rows.tokensOf(q), q, "the tokens of sequence " + q + " decoded last");
        }
        check(rc);
        return new Choices(best, margins);
    }
}
