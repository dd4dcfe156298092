package tn.generate;

import tn.io.InvalidValueException;

import tn.llama.Deactivation;
import tn.llama.NonFiniteException;
import tn.llama.Positions;
import tn.llama.Decoder;
import tn.llama.GenerationOptions;
import tn.llama.Model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy generation of many requests, up to P at a time in one llama.cpp batch: each running
 * request has a KV stream of its own (a sequence id), its own prompt, stop rule and
 * deactivation, and a request that ends frees its slot for the next one waiting.
 *
 * A request's prompt is decoded alone, in pieces of at most {@link #PROMPT_ROWS} tokens, with
 * its neurons off at every prompt position; then each step decodes the last token of every
 * running request together, with no neurons off. A request therefore computes exactly what it
 * would compute alone: its stream lays out its cells as if it ran alone, and a lone row is
 * computed as a row among others, so the tokens and margins do not depend on P or on the other
 * requests. llama.cpp's CPU mat-mul hands a single row to other kernels than several rows; where
 * those sum in another order (F32 and F16 weights, for instance), a lone request is paired with a
 * throwaway row in a free stream, which doubles the rows of every step; where a probe at the start
 * finds the lone row's logits bit for bit those it gets in a batch (Q8_0 on AVX2 and AVX-512, for
 * instance), it runs alone.
 */
public final class BatchedGenerator implements AutoCloseable {
    /** Prompt tokens per decode call. */
    public static final int PROMPT_ROWS = 512;

    /** A request that ended, under the id it was submitted with. */
    public record Finished(int id, Generation generation) {}

    private record Waiting(int id, Request request) {}

    /** A request being generated, in its KV stream. */
    private static final class Running {
        final int id;
        final Request request;
        final int stream;
        final int[] tokens;
        final float[] margins;
        int count; // tokens chosen
        int steps; // margins recorded: count, plus one for an end-of-generation token
        int position; // where the last chosen token goes

        Running(int id, Request request, int stream) {
            this.id = id;
            this.request = request;
            this.stream = stream;
            this.tokens = new int[request.maxNewTokens()];
            this.margins = new float[request.maxNewTokens() + 1];
            this.position = request.prompt().length;
        }
    }

    private final Model model;
    private final Decoder decoder;
    private final int parallel;
    private final Running[] streams;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Decoder.Rows rows;
    private final boolean pairLoneRow;
    private int running;

    /** P, requests decoded together, within what a generation context holds; a usage error otherwise. */
    public static void checkParallel(int parallel) {
        if (parallel < 1 || parallel > 255)
            throw new InvalidValueException("{parallel} must be 1..255, is {}", parallel);
    }

    /**
     * @param parallel        requests decoded together (P)
     * @param sequenceContext tokens a request may hold: its prompt and its new tokens
     * @param threads         CPU threads (0: every core)
     * @param kvF32           attention in F32 (see {@link GenerationOptions#kvF32()})
     */
    public BatchedGenerator(Model model, int parallel, int sequenceContext, int threads, boolean kvF32) {
        checkParallel(parallel);
        this.model = model;
        this.parallel = parallel;
        this.streams = new Running[parallel + 1]; // one more, free to pair a lone request
        int batchRows = Math.max(PROMPT_ROWS, streams.length);
        this.decoder =
                model.newDecoder(new GenerationOptions(threads, sequenceContext, streams.length, batchRows, kvF32));
        this.rows = new Decoder.Rows(batchRows);
        this.pairLoneRow = sequenceContext < 4 || !decoder.loneRowExact(); // the probe needs 4 positions
    }

    /** Whether a lone request's steps carry a throwaway row (see the class comment). */
    public boolean pairsLoneRow() {
        return pairLoneRow;
    }

    /** Queues a request; id names it in {@link #advance()}'s results. */
    public void submit(int id, Request request) {
        int context = decoder.options().sequenceContext();
        if (request.prompt().length + request.maxNewTokens() > context) {
            throw new InvalidValueException(
                    "a prompt of {} tokens and up to {} new ones do not fit the context of {} tokens "
                            + "per sequence: raise {ctx} or lower {max_new_tokens}",
                    request.prompt().length, request.maxNewTokens(), context);
        }
        waiting.add(new Waiting(id, request));
    }

    /** Whether nothing is running or waiting. */
    public boolean idle() {
        return running == 0 && waiting.isEmpty();
    }

    /** Requests running now. */
    public int running() {
        return running;
    }

    /** Requests waiting for a slot. */
    public int waiting() {
        return waiting.size();
    }

    /** Requests decoded together at most. */
    public int parallel() {
        return parallel;
    }

    /**
     * Starts waiting requests in the free slots (decoding their prompts), then decodes the next
     * token of every running request; returns the requests that ended meanwhile.
     */
    public List<Finished> advance() {
        List<Finished> done = new ArrayList<>();
        while (running < parallel && !waiting.isEmpty()) start(waiting.poll(), done);
        if (running > 0) step(done);
        return done;
    }

    /** Generates every request (P at a time) and returns the generations in the requests' order. */
    public List<Generation> generateAll(List<Request> requests) {
        for (int i = 0; i < requests.size(); i++) submit(i, requests.get(i));
        Generation[] out = new Generation[requests.size()];
        while (!idle()) {
            for (Finished f : advance()) out[f.id()] = f.generation();
        }
        return Arrays.asList(out);
    }

    private void start(Waiting w, List<Finished> done) {
        int stream = 0;
        while (streams[stream] != null) stream++;
        Running q = new Running(w.id(), w.request(), stream);
        streams[stream] = q;
        running++;
        int[] prompt = w.request().prompt();
        Deactivation off = w.request().deactivation();
        Decoder.Choices choice = null;
        for (int from = 0; from < prompt.length; from += PROMPT_ROWS) {
            int to = Math.min(prompt.length, from + PROMPT_ROWS);
            rows.clear();
            // every piece has an output row, the last's being the one that counts
            for (int i = from; i < to; i++) rows.add(prompt[i], stream, i, offAt(off, i, prompt.length), i == to - 1);
            choice = decode(off);
        }
        accept(q, choice.tokens()[0], choice.margins()[0], done);
    }

    /**
     * Decodes the rows; a NaN or infinity names the request whose stream it was by its prompt, the
     * very array the caller submitted, so that a run can name the line it came from.
     */
    private Decoder.Choices decode(Deactivation off) {
        try {
            return decoder.decode(rows, off);
        } catch (NonFiniteException e) {
            int stream = e.sequence();
            Running q = stream >= 0 && stream < streams.length ? streams[stream] : null;
            throw q == null ? e : e.forPrompt(q.request.prompt());
        }
    }

    /** Whether the request's neurons are off at prompt position i: at every one, or at the last only. */
    private static boolean offAt(Deactivation off, int i, int promptLength) {
        return !off.isEmpty() && (off.positions() != Positions.LAST_TOKEN || i == promptLength - 1);
    }

    private void step(List<Finished> done) {
        int lo = 0, hi = streams.length - 1;
        while (streams[lo] == null) lo++;
        while (streams[hi] == null) hi--;
        if (lo == hi && pairLoneRow) {
            if (hi + 1 < streams.length)
                hi++;
            else
                lo--;
        }
        rows.clear();
        // one ubatch needs consecutive streams: a free one in between decodes a throwaway token
        for (int s = lo; s <= hi; s++) {
            Running q = streams[s];
            if (q != null)
                rows.add(q.tokens[q.count - 1], s, q.position, false, true);
            else
                rows.add(0, s, 0, false, true);
        }
        Decoder.Choices choice = decode(Deactivation.none());
        for (int s = lo; s <= hi; s++) {
            Running q = streams[s];
            if (q == null) continue;
            q.position++;
            accept(q, choice.tokens()[s - lo], choice.margins()[s - lo], done);
        }
    }

    /** Takes the greedy choice after q's last token; ends q where it stops. */
    private void accept(Running q, int token, float margin, List<Finished> done) {
        q.margins[q.steps++] = margin;
        StopReason reason = null;
        if (model.endsGeneration(token)) {
            reason = StopReason.END_OF_GENERATION;
        } else {
            q.tokens[q.count++] = token;
            if (q.request.stop().stopsAfter(q.tokens, q.count))
                reason = StopReason.STOP_STRING;
            else if (q.count == q.request.maxNewTokens())
                reason = StopReason.MAX_NEW_TOKENS;
        }
        if (reason == null) return;
        streams[q.stream] = null;
        running--;
        done.add(new Finished(
                q.id, new Generation(Arrays.copyOf(q.tokens, q.count), Arrays.copyOf(q.margins, q.steps), reason)));
    }

    @Override
    public void close() {
        decoder.close();
    }
}
