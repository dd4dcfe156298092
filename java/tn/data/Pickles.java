package tn.data;

import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.Unpickler;
import tn.io.InputException;
import tn.io.InputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Python pickles (protocols 0-5) as the original implementation writes them: lists, tuples
 * (as Object[]), dicts, str, int, float, and NumPy arrays and scalars ({@link NumpyArray}; a
 * float64 scalar comes out as a Double). Dicts keep their pickled order, as Python's do. Whatever
 * cannot be read is an {@link InputException} naming the file.
 */
public final class Pickles {
    static {
        NumpyArray.register();
    }

    private Pickles() {}

    public static Object load(Path file) {
        return load(file, InputFile.readAllBytes(file));
    }

    /** The object pickled in bytes, the contents of file. */
    public static Object load(Path file, byte[] bytes) {
        try {
            return new OrderedUnpickler().loads(bytes);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": not a readable Python pickle (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Pyrolite's unpickler with dicts in insertion order: it makes HashMaps and adds SETITEMS'
     * batches through another HashMap, both of arbitrary order.
     */
    private static final class OrderedUnpickler extends Unpickler {
        @Override
        @SuppressWarnings("unchecked")
        protected Object dispatch(short key) throws IOException {
            if (key == Opcodes.EMPTY_DICT) {
                stack.add(new LinkedHashMap<>());
            } else if (key == Opcodes.SETITEMS) {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
            } else {
                return super.dispatch(key);
            }
            return NO_RETURN_VALUE;
        }
    }

    /** What a pickled value is, in Python's words, for error messages. */
    static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof String) return "str";
        if (o instanceof Object[]) return "tuple";
        if (o instanceof List<?>) return "list";
        if (o instanceof Map<?, ?>) return "dict";
        if (o instanceof Number) return "number";
        if (o instanceof NumpyArray a) return a.toString();
        return o.getClass().getSimpleName();
    }
}
