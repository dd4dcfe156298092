package tn.llama;

import tn.bridge.TnLibrary;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import java.util.Arrays;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * The value vectors of a range of layers as llama.cpp holds them (the down projections,
 * quantized, on the CPU or a GPU), for the products scoring needs: r = W_down^T x for a batch of
 * residual states, and the layer constants v_i . C and |v_i|^2. Nothing of size n_ff x n_embd is
 * copied: a layer in host memory is dequantized tile by tile into a CPU kernel, a layer on a GPU
 * is multiplied there (native/tn_values.cpp).
 */
public final class ValueProducts implements AutoCloseable {
    /** Most states per native call. */
    static final int MAX_ROWS = TnLibrary.MAX_SEQUENCES;

    private final Model model;
    private final int from;
    private final int count;
    private final int nEmbd;
    private final int nFf;
    private Pointer handle;
    private Memory states; // reused across calls: the states of a call's layers
    private Memory products; // and their products

    private ValueProducts(Model model, int from, int count, Pointer handle) {
        this.model = model;
        this.from = from;
        this.count = count;
        this.nEmbd = model.info().nEmbd();
        this.nFf = model.info().nFf();
        this.handle = handle;
    }

    /**
     * How layers in host memory are computed. Layers on a GPU always run there, and layers whose
     * weights llama.cpp repacked are read from the model file.
     */
    public enum HostRoute {
        /** the CPU kernel, reading the weights where llama.cpp holds them */
        KERNEL(0),
        /** the ggml graph a GPU runs, on the CPU backend (to check that route where no GPU is) */
        GRAPH(TnLibrary.TN_VALUES_GRAPH),
        /** the CPU kernel, reading the weights from the model file (the route of repacked weights) */
        FILE(TnLibrary.TN_VALUES_FILE);

        final int flags;

        HostRoute(int flags) {
            this.flags = flags;
        }
    }

    /** Layers from .. from + count - 1 of the model; threads 0 uses every core. */
    public static ValueProducts open(Model model, int from, int count, int threads) {
        return open(model, from, count, threads, HostRoute.KERNEL);
    }

    public static ValueProducts open(Model model, int from, int count, int threads, HostRoute route) {
        PointerByReference out = new PointerByReference();
        check(INSTANCE.tn_values_open(model.handle(), from, count, threads, route.flags, out));
        ValueProducts v = new ValueProducts(model, from, count, out.getValue());
        model.track(v, v::close);
        return v;
    }

    /** The first layer; layer k of this object is model layer from() + k. */
    public int from() {
        return from;
    }

    public int count() {
        return count;
    }

    /** Where layer k's products run, in words ("CPU", "CUDA0", ...). */
    public String where(int k) {
        checkLayer(k, 1);
        return INSTANCE.tn_values_where(handle(), k);
    }

    /** What layer k adds per unit of each neuron's activation, dotted with c and with itself. */
    public record Constants(double[] q, double[] n) {}

    /** Per layer k, q_i = v_i . c[k] and n_i = |v_i|^2 (c[k]: the layer's centroid, n_embd long). */
    public Constants[] constants(double[][] c) {
        if (c.length != count) throw new IllegalArgumentException(c.length + " centroids for " + count + " layers");
        double[] cs = new double[count * nEmbd];
        for (int k = 0; k < count; k++) {
            if (c[k].length != nEmbd)
                throw new IllegalArgumentException("centroid of length " + c[k].length + ", expected " + nEmbd);
            System.arraycopy(c[k], 0, cs, k * nEmbd, nEmbd);
        }
        double[] q = new double[count * nFf];
        double[] n = new double[count * nFf];
        check(INSTANCE.tn_values_constants(handle(), cs, q, n));
        Constants[] out = new Constants[count];
        for (int k = 0; k < count; k++) {
            out[k] = new Constants(
                    Arrays.copyOfRange(q, k * nFf, (k + 1) * nFf), Arrays.copyOfRange(n, k * nFf, (k + 1) * nFf));
        }
        return out;
    }

    /**
     * For layers k0 .. k0 + x.length - 1, with x[i] the rows x n_embd states (row-major) of layer
     * k0 + i, rows at most {@value #MAX_ROWS}: out[i] (rows x n_ff, at least that long) receives
     * v_j . x_b at [b * n_ff + j].
     */
    public void products(int k0, float[][] x, int rows, float[][] out) {
        checkLayer(k0, x.length);
        if (out.length != x.length)
            throw new IllegalArgumentException(out.length + " outputs for " + x.length + " layers");
        if (rows < 0 || rows > MAX_ROWS)
            throw new IllegalArgumentException("states per call must be 0.." + MAX_ROWS + ", are " + rows);
        int stateFloats = rows * nEmbd, productFloats = rows * nFf;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length < stateFloats) {
                throw new IllegalArgumentException(
                        rows + " states of width " + nEmbd + " need " + stateFloats + " values, got " + x[i].length);
            }
            if (out[i].length < productFloats)
                throw new IllegalArgumentException("output too short for " + rows + " rows");
        }
        states = buffer(states, (long) x.length * stateFloats);
        products = buffer(products, (long) x.length * productFloats);
        for (int i = 0; i < x.length; i++) states.write((long) i * stateFloats * Float.BYTES, x[i], 0, stateFloats);
        check(INSTANCE.tn_values_products(handle(), k0, x.length, states, rows, products));
        for (int i = 0; i < x.length; i++)
            products.read((long) i * productFloats * Float.BYTES, out[i], 0, productFloats);
    }

    /** m if it holds floats floats, otherwise a new buffer (m is closed). */
    private static Memory buffer(Memory m, long floats) {
        if (m != null && m.size() >= floats * Float.BYTES) return m;
        if (m != null) m.close();
        return new Memory(floats * Float.BYTES);
    }

    private void checkLayer(int k0, int n) {
        if (k0 < 0 || n < 0 || k0 + n > count) {
            throw new IndexOutOfBoundsException("layers " + k0 + ".." + (k0 + n - 1) + " of " + count);
        }
    }

    private Pointer handle() {
        model.ensureOpen();
        if (handle == null) throw new IllegalStateException("value products are closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            INSTANCE.tn_values_close(handle);
            handle = null;
            model.forget(this);
        }
        if (states != null) states.close();
        if (products != null) products.close();
        states = null;
        products = null;
    }
}
