package tn.gguf;

/**
 * A tensor's entry in a GGUF file: ggml type and shape. shape[0] is the row length (ggml's
 * ne[0]); a 2-D weight of shape [nIn, nOut] has nOut rows of nIn values.
 */
public record GgufTensor(long id, String name, int type, String typeName, long[] shape, long bytes) {
    public long rowLength() {
        return shape[0];
    }

    public long rows() {
        long r = 1;
        for (int d = 1; d < shape.length; d++) r *= shape[d];
        return r;
    }

    public long elements() {
        return rowLength() * rows();
    }
}
