package tn.data;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A NumPy array as Python's pickle stores it (the original implementation pickles its centroids
 * as a list of float arrays, and its score dicts hold NumPy float64 scalars), made readable by
 * Pyrolite. NumPy writes an array in one of two ways: {@code _reconstruct(ndarray, (0,), b'b')}
 * followed by a BUILD with the state (version, shape, dtype, is_fortran, raw bytes), up to pickle
 * protocol 4; or {@code _frombuffer(bytes, dtype, shape, order)} under protocol 5. A dtype is
 * {@code dtype('f4', False, True)} followed by a BUILD whose second field is the byte order. The
 * functions live in {@code numpy.core} up to NumPy 1.x and in {@code numpy._core} from 2.0.
 *
 * <p>Only numeric dtypes are read (float16/32/64, signed and unsigned integers, bool); values
 * come out as doubles in C (row-major) order. Pyrolite completes an object by calling its
 * {@code __setstate__} with the BUILD's tuple, hence the Python-named method.
 */
public final class NumpyArray {
    private int[] shape;
    private double[] values;
    private String dtype;

    static {
        IObjectConstructor reconstruct = args -> new NumpyArray();
        IObjectConstructor frombuffer = args -> {
            NumpyArray a = new NumpyArray();
            if (args.length != 4 || !(args[0] instanceof byte[] raw) || !(args[1] instanceof Dtype type)) {
                throw new PickleException("numpy _frombuffer: expected (buffer, dtype, shape, order)");
            }
            a.fill(shape(args[2]), type, "F".equals(args[3]), raw);
            return a;
        };
        IObjectConstructor scalar = args -> {
            if (args.length != 2 || !(args[0] instanceof Dtype type) || !(args[1] instanceof byte[] raw)) {
                throw new PickleException("numpy scalar: expected (dtype, bytes)");
            }
            double[] v = type.decode(raw, 1);
            return type.kind == 'f' ? (Object) v[0] : (Object) (long) v[0];
        };
        for (String core : new String[] {"numpy.core", "numpy._core"}) {
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", reconstruct);
            Unpickler.registerConstructor(core + ".multiarray", "scalar", scalar);
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", frombuffer);
        }
        Unpickler.registerConstructor("numpy", "dtype", args -> {
            if (args.length < 1 || !(args[0] instanceof String descr))
                throw new PickleException("numpy dtype: expected a type string");
            return new Dtype(descr);
        });
    }

    /** Makes Pyrolite's unpickler read NumPy arrays and scalars; idempotent. */
    static void register() {
        // the static initializer does the work
    }

    /** The array's shape; a 1-D array of n values has shape {n}. */
    public int[] shape() {
        return shape.clone();
    }

    /** Every value in C order, as doubles (exact for every float16/32 and float64 value). */
    public double[] values() {
        return values.clone();
    }

    /** The dtype as NumPy names it without byte order, e.g. "f4". */
    public String dtype() {
        return dtype;
    }

    /** BUILD of an array made by _reconstruct: (version, shape, dtype, is_fortran, raw bytes), version optional. */
    public void __setstate__(Object[] state) {
        int at = state.length == 5 ? 1 : 0;
        if (state.length - at != 4 || !(state[at + 1] instanceof Dtype type)
                || !(state[at + 3] instanceof byte[] raw)) {
            throw new PickleException(
                    "numpy array state: expected (version, shape, dtype, is_fortran, bytes) of a numeric dtype");
        }
        fill(shape(state[at]), type, Boolean.TRUE.equals(state[at + 2]), raw);
    }

    private void fill(int[] shape, Dtype type, boolean fortran, byte[] raw) {
        long count = 1;
        for (int s : shape) count *= s;
        double[] stored = type.decode(raw, count);
        this.shape = shape;
        this.dtype = type.descr;
        this.values = fortran && shape.length > 1 ? toRowMajor(stored, shape) : stored;
    }

    private static int[] shape(Object o) {
        if (!(o instanceof Object[] dims)) throw new PickleException("numpy array: the shape is not a tuple");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (!(dims[i] instanceof Number n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
                throw new PickleException("numpy array: bad dimension " + dims[i]);
            }
            shape[i] = n.intValue();
        }
        return shape;
    }

    /** Column-major (Fortran) storage to row-major order. */
    private static double[] toRowMajor(double[] stored, int[] shape) {
        double[] out = new double[stored.length];
        int[] index = new int[shape.length];
        for (int f = 0; f < stored.length; f++) {
            int c = 0;
            for (int d = 0; d < shape.length; d++) c = c * shape[d] + index[d];
            out[c] = stored[f];
            for (int d = 0; d < shape.length && ++index[d] == shape[d]; d++) index[d] = 0;
        }
        return out;
    }

    @Override
    public String toString() {
        return "numpy array " + dtype + " " + Arrays.toString(shape);
    }

    /** A numeric dtype: kind (f, i, u, b), size in bytes, byte order. */
    public static final class Dtype {
        final String descr;
        final char kind;
        final int size;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        Dtype(String descr) {
            this.descr = descr;
            this.kind = descr.isEmpty() ? '?' : descr.charAt(0);
            int s;
            try {
                s = Integer.parseInt(descr.substring(1));
            } catch (RuntimeException e) {
                s = -1;
            }
            this.size = s;
            boolean numeric = switch (kind) {
                case 'f' -> size == 2 || size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> false;
            };
            if (!numeric) throw new PickleException("numpy dtype '" + descr + "' is not a number type tn reads");
        }

        /** BUILD of a dtype: (version, byte order, ...); '>' is big-endian, '<', '|' and '=' little here. */
        public void __setstate__(Object[] state) {
            if (state.length > 1 && ">".equals(state[1])) order = ByteOrder.BIG_ENDIAN;
        }

        double[] decode(byte[] raw, long count) {
            if (raw.length != count * size) {
                throw new PickleException("numpy array: " + raw.length + " bytes for " + count + " values of " + descr);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            double[] out = new double[(int) count];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (kind) {
                    case 'f' -> size == 2 ? half(b.getShort()) : size == 4 ? b.getFloat() : b.getDouble();
                    case 'b' -> b.get() != 0 ? 1 : 0;
                    case 'u' ->
                        size == 1           ? b.get() & 0xff
                                : size == 2 ? b.getShort() & 0xffff
                                : size == 4 ? b.getInt() & 0xffffffffL
                                            : unsigned(b.getLong());
                    default -> size == 1 ? b.get() : size == 2 ? b.getShort() : size == 4 ? b.getInt() : b.getLong();
                };
            }
            return out;
        }

        /** IEEE 754 binary16 to double: sign, 5-bit exponent (bias 15), 10-bit fraction. */
        private static double half(short bits) {
            int sign = (bits & 0x8000) != 0 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
            if (exponent == 0x1f) return fraction == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
            if (exponent == 0) return sign * Math.scalb((double) fraction, -24); // subnormal
            return sign * Math.scalb(1 + fraction / 1024.0, exponent - 15);
        }

        private static double unsigned(long v) {
            return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
        }
    }
}
