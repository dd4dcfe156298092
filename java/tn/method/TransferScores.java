package tn.method;

import tn.io.InputException;
import tn.io.InvalidValueException;
import tn.llama.Capture;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.ValueProducts;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Running sums of the transfer score of every neuron i of every candidate layer l over the
 * detection sentences (docs/method.md, transfer scores):
 * <pre>
 *   s_{l,i} = cos(x_l + a_{l,i} v_{l,i}, C_l) - cos(x_l, C_l)
 * </pre>
 * by the closed form, so that nothing of size n_ff x d is built per sentence: with p = x.C,
 * q_i = v_i.C, r_i = x.v_i, n_i = |v_i|^2,
 * <pre>
 *   cos(x + a v_i, C) = (p + a q_i) / (sqrt(|x|^2 + 2 a r_i + a^2 n_i) |C|)
 * </pre>
 * q and n are fixed per layer; r = W_down^T x is one matrix product per layer and batch, computed
 * from the model's weights where llama.cpp holds them ({@link ValueProducts}: quantized, on the CPU
 * or a GPU), a group of layers at a time, after which the group's layers are scored in parallel,
 * each on one thread.
 *
 * <p>The sums are kept in B blocks of items (item i, counted from 0 over the whole run, in block
 * i mod B), each with its item count: the mean is their total, and the blocks give the ranking's
 * sampling noise ({@link Stability}) at no extra forward cost. Layout: block b's candidate sums at
 * b * candidates, then the B item counts.
 */
public final class TransferScores extends Accumulator implements AutoCloseable {
    /** Norm products below this count as this, as torch's cosine_similarity clamps them. */
    static final double EPS = 1e-8;
    public static final int MAX_BLOCKS = 1000;

    private final int nLayer;
    private final int nFf;
    private final int blocks;
    private final int candidates;
    private final LayerRange layers;
    private final LayerTerms[] terms; // per candidate layer; sums: candidate layers x nFf
    private final ValueProducts values;
    private final int group; // layers per native product call: bounds the products held
    private final float[][] r; // per layer of a group: rows x nFf products, reused
    private final ForkJoinPool pool;

    /** What does not change between sentences, for one layer. */
    private record LayerTerms(int layer, double[] c, double cNorm, double[] q, double[] n) {}

    /** One block: the plain mean, for uses that need no sampling noise. */
    public TransferScores(Model model, Centroids centroids, LayerRange layers, int threads) {
        this(model, centroids, layers, threads, 1);
    }

    /** Reads the layer constants of the candidate layers; threads 0 uses every core; sums in blocks blocks. */
    public TransferScores(Model model, Centroids centroids, LayerRange layers, int threads, int blocks) {
        this(ValueProducts.open(model, layers.within(model.info().nLayer()).from(), layers.size(), threads), model,
                centroids, threads, blocks);
    }

    /** Scores with the products of values (its layers are the candidate layers); closes it. */
    private TransferScores(ValueProducts values, Model model, Centroids centroids, int threads, int blocks) {
        super(size(values.count(), model.info().nFf(), blocks));
        this.nLayer = model.info().nLayer();
        this.nFf = model.info().nFf();
        this.blocks = blocks;
        this.candidates = values.count() * nFf;
        this.layers = new LayerRange(values.from(), values.from() + values.count());
        this.values = values;
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.group = Math.min(values.count(), cores);
        this.r = new float[group][];
        this.terms = new LayerTerms[values.count()];
        this.pool = new ForkJoinPool(cores);
        try {
            double[][] c = new double[terms.length][];
            for (int k = 0; k < terms.length; k++) c[k] = centroids.layer(layers.from() + k);
            ValueProducts.Constants[] constants = values.constants(c);
            for (int k = 0; k < terms.length; k++) {
                terms[k] = new LayerTerms(
                        layers.from() + k, c[k], Math.sqrt(dot(c[k], c[k])), constants[k].q(), constants[k].n());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int size(int layers, int nFf, int blocks) {
        if (blocks < 1 || blocks > MAX_BLOCKS)
            throw new InvalidValueException("{blocks} must be 1..{}, is {}", MAX_BLOCKS, blocks);
        long n = ((long) layers * nFf + 1) * blocks;
        if (n > Integer.MAX_VALUE - 8) {
            throw new InvalidValueException(
                    "{} blocks of {} x {} candidate neurons are too many sums to hold; use fewer {blocks}", blocks,
                    layers, nFf);
        }
        return (int) n;
    }

    public LayerRange layers() {
        return layers;
    }

    /** How many blocks the sums are kept in. */
    public int blocks() {
        return blocks;
    }

    /** Candidate neurons: the candidate layers' neurons, layer by layer. */
    public int candidates() {
        return candidates;
    }

    /** What a detection pass captures: x_l and a_l at the last token, for the candidate layers. */
    public CaptureSpec captureSpec() {
        int[] l = layers.layers();
        return CaptureSpec.lastToken().add(Kind.FFN_INP, l).add(Kind.ACTIVATION, l).build();
    }

    /** Where the candidate layers' products run, in words, by runs of layers: "0-14: CPU". */
    public String placement() {
        StringBuilder b = new StringBuilder();
        for (int k = 0, end; k < terms.length; k = end) {
            String where = values.where(k);
            end = k + 1;
            while (end < terms.length && values.where(end).equals(where)) end++;
            b.append(k > 0 ? "; " : "").append(layers.from() + k);
            if (end - k > 1) b.append('-').append(layers.from() + end - 1);
            b.append(": ").append(where);
        }
        return b.toString();
    }

    /** Adds the scores of a capture's sentences (made with {@link #captureSpec()}), the next items after those added. */
    public void add(Capture capture) {
        add(capture, count);
    }

    /** Adds the scores of a capture's sentences (at most 256), items firstItem, firstItem + 1, ... of the run. */
    public void add(Capture capture, long firstItem) {
        int rows = capture.sentences();
        for (int k0 = 0; k0 < terms.length; k0 += group) {
            int n = Math.min(group, terms.length - k0);
            float[][] x = new float[n][];
            for (int i = 0; i < n; i++) {
                x[i] = capture.matrix(Kind.FFN_INP, terms[k0 + i].layer);
                if (r[i] == null || r[i].length < rows * nFf) r[i] = new float[rows * nFf];
            }
            float[][] products = n == group ? r : Arrays.copyOf(r, n);
            values.products(k0, x, rows, products);
            int first = k0;
            try {
                pool.submit(()
                                    -> IntStream.range(0, n).parallel().forEach(
                                            i -> addLayer(first + i, capture, products[i], firstItem)))
                        .get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("scoring interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        for (int b = 0; b < rows; b++) sums[blocks * candidates + block(firstItem + b)]++;
        count += rows;
    }

    private int block(long item) {
        return (int) (item % blocks);
    }

    private void addLayer(int k, Capture capture, float[] r, long firstItem) {
        LayerTerms t = terms[k];
        int d = t.c.length;
        int rows = capture.sentences();
        float[] x = capture.matrix(Kind.FFN_INP, t.layer);
        float[] a = capture.matrix(Kind.ACTIVATION, t.layer);
        for (int b = 0; b < rows; b++) {
            int at = block(firstItem + b) * candidates + k * nFf;
            double p = 0, xx = 0;
            for (int j = 0; j < d; j++) {
                double xj = x[b * d + j];
                p += xj * t.c[j];
                xx += xj * xj;
            }
            double before = p / Math.max(Math.sqrt(xx) * t.cNorm, EPS);
            int row = b * nFf;
            for (int i = 0; i < nFf; i++) {
                double ai = a[row + i];
                double norm2 = Math.max(xx + 2 * ai * r[row + i] + ai * ai * t.n[i], 0);
                sums[at + i] += (p + ai * t.q[i]) / Math.max(Math.sqrt(norm2) * t.cNorm, EPS) - before;
            }
        }
    }

    /** The mean score of a candidate neuron. */
    public double mean(int layer, int neuron) {
        if (!layers.contains(layer))
            throw new IllegalArgumentException("layer " + layer + " is not a candidate layer " + layers);
        return means()[(layer - layers.from()) * nFf + neuron];
    }

    /** Every candidate's mean score over all blocks, in candidate order. */
    public double[] means() {
        if (count == 0) throw new IllegalStateException("no sentences were scored");
        double[] m = blockSums().mean(null);
        for (int c = 0; c < m.length; c++) {
            if (!Double.isFinite(m[c])) {
                throw new InputException("the mean transfer score of neuron " + (c % nFf) + " of layer "
                        + (layers.from() + c / nFf) + " is " + m[c] + ": a ranking of it would mean nothing");
            }
        }
        return m;
    }

    /** The sums as blocks, for {@link Stability}. */
    public BlockSums blockSums() {
        double[][] s = new double[blocks][];
        long[] n = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            s[b] = Arrays.copyOfRange(sums, b * candidates, (b + 1) * candidates);
            n[b] = (long) sums[blocks * candidates + b];
        }
        return new BlockSums(s, n);
    }

    /** Mean scores as scores.npy holds them: nLayer x nFf, NaN outside the candidate layers. */
    public float[] meanScores() {
        return asLayers(means());
    }

    /** Per-candidate values laid out as scores.npy: nLayer x nFf, NaN outside the candidate layers. */
    public float[] asLayers(double[] perCandidate) {
        float[] m = new float[nLayer * nFf];
        Arrays.fill(m, Float.NaN);
        for (int c = 0; c < candidates; c++) m[layers.from() * nFf + c] = (float) perCandidate[c];
        return m;
    }

    /** The top n candidate neurons by mean score. */
    public Ranking ranking(int n) {
        return Ranking.top(means(), layers.from(), nFf, n);
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int j = 0; j < u.length; j++) s += u[j] * v[j];
        return s;
    }

    @Override
    public void close() {
        pool.shutdown();
        values.close();
    }
}
