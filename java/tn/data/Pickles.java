package tn.data;

import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;
import tn.io.InputException;
import tn.io.InputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The object pickled in bytes, the contents of file, once it is known to expand to no more than
     * {@link #expansionLimit} characters of text and to hold no object of a class tn does not read.
     */
    public static Object load(Path file, byte[] bytes) {
        Object root;
        try {
            root = new OrderedUnpickler().loads(bytes);
        } catch (IOException | RuntimeException e) {
            Matcher unknown = UNKNOWN_CLASS.matcher(String.valueOf(e.getMessage()));
            if (unknown.find()) throw unknownClass(file, unknown.group(1));
            throw new InputException(file + ": not a readable Python pickle (" + e.getMessage() + ")", e);
        }
        checkExpansion(file, root, bytes.length);
        return root;
    }

    /** Pyrolite's words for an object of a class it has no constructor for, with the class's name. */
    private static final Pattern UNKNOWN_CLASS = Pattern.compile("construction of ClassDict \\(for ([^)]*)\\)");

    private static InputException unknownClass(Path file, String name) {
        return new InputException(file + ": the pickle holds an object of class '" + name + "', which tn does not "
                + "read (it reads lists, tuples, dicts, str, numbers and NumPy arrays)");
    }

    /**
     * How many characters of text (and items) a pickle of size bytes may stand for: its memo lets
     * a small file name one long string a million times, which every reader after it (the
     * tokenizer) would meet a million times. A pickle of real sentences stands for about its size.
     */
    static long expansionLimit(long size) {
        return Math.max(64L << 20, 16 * size);
    }

    /**
     * Walks what root holds (each reference as often as it is referenced, as its readers would) and
     * refuses it once its strings' characters and its items pass {@link #expansionLimit}, or an object of an unknown
     * class is met: iteratively, so that neither depth nor a cycle (a list holding itself) is a problem.
     */
    static void checkExpansion(Path file, Object root, long size) {
        long limit = expansionLimit(size);
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long total = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            total += o instanceof String s ? Math.max(1, s.length()) : 1;
            if (total > limit) {
                throw new InputException(String.format(Locale.ROOT,
                        "%s: the pickle expands to more than %,d characters of text and items (tn reads at most %,d "
                                + "for a pickle of %,d bytes): it references the same objects over and over",
                        file, limit, limit, size));
            }
            if (o instanceof ClassDict c) throw unknownClass(file, c.getClassName());
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    push(todo, e.getKey());
                    push(todo, e.getValue());
                }
            } else if (o instanceof Collection<?> c) {
                for (Object x : c) push(todo, x);
            } else if (o instanceof Object[] a) {
                for (Object x : a) push(todo, x);
            }
        }
    }

    private static void push(Deque<Object> todo, Object o) {
        if (o != null) todo.push(o);
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
