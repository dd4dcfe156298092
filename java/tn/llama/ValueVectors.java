package tn.llama;

/**
 * The value vectors v_{l,i} of one layer: column i of W_down, what the down projection adds to
 * the residual stream per unit of activation a_{l,i}. Stored as GGUF stores the matrix: d rows
 * of n_ff values, so v_{l,i}[j] = matrix()[j * nFf + i] (dequantized to float).
 */
public record ValueVectors(int layer, int nEmbd, int nFf, float[] matrix) {
    public ValueVectors {
        if (matrix.length != (long) nEmbd * nFf) {
            throw new IllegalArgumentException(
                    "value vector matrix has " + matrix.length + " values, expected " + nEmbd + " x " + nFf);
        }
    }

    /** v_{l,i} as a vector of length n_embd. */
    public float[] of(int neuron) {
        if (neuron < 0 || neuron >= nFf) throw new IndexOutOfBoundsException("neuron " + neuron + " of " + nFf);
        float[] v = new float[nEmbd];
        for (int j = 0; j < nEmbd; j++) v[j] = matrix[j * nFf + neuron];
        return v;
    }
}
