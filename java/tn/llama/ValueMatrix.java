package tn.llama;

import com.sun.jna.Memory;

import static tn.llama.TnLibrary.INSTANCE;
import static tn.llama.TnLibrary.check;

/**
 * A layer's value vectors held in native memory, for the product scoring needs for every
 * sentence: r = W_down^T x, the dot product of every value vector with a residual state. The
 * matrix is copied to native memory once, so a batch of states crosses JNA, not the matrix.
 */
public final class ValueMatrix implements AutoCloseable {
    private final int nEmbd;
    private final int nFf;
    private Memory values;

    public ValueMatrix(ValueVectors vectors) {
        this.nEmbd = vectors.nEmbd();
        this.nFf = vectors.nFf();
        this.values = new Memory((long) vectors.matrix().length * Float.BYTES);
        values.write(0, vectors.matrix(), 0, vectors.matrix().length);
    }

    public int nEmbd() {
        return nEmbd;
    }

    public int nFf() {
        return nFf;
    }

    /**
     * For rows states x (rows x n_embd, row-major), the rows x n_ff matrix of v_i . x_b, computed
     * on threads threads (0: every core).
     */
    public float[] products(float[] x, int rows, int threads) {
        if (values == null) throw new IllegalStateException("value matrix is closed");
        if (x.length < (long) rows * nEmbd) {
            throw new IllegalArgumentException(rows + " states of width " + nEmbd + " need " + (long) rows * nEmbd
                    + " values, got " + x.length);
        }
        float[] out = new float[Math.multiplyExact(rows, nFf)];
        check(INSTANCE.tn_value_products(values, nEmbd, nFf, x, rows, out, threads));
        return out;
    }

    @Override
    public void close() {
        if (values != null) {
            values.close();
            values = null;
        }
    }
}
