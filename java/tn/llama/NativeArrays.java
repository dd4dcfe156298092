package tn.llama;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * Java arrays copied to native memory for the pointers of a parameter struct (JNA copies arrays
 * passed as arguments by itself, but not those referenced from a struct), freed together on
 * close. An empty or null array is a null pointer, as the C API expects.
 */
final class NativeArrays implements AutoCloseable {
    private final List<Memory> blocks = new ArrayList<>();

    Pointer of(int[] a) {
        if (a == null || a.length == 0) return null;
        Memory m = allocate((long) a.length * Integer.BYTES);
        m.write(0, a, 0, a.length);
        return m;
    }

    Pointer of(long[] a) {
        if (a == null || a.length == 0) return null;
        Memory m = allocate((long) a.length * Long.BYTES);
        m.write(0, a, 0, a.length);
        return m;
    }

    Pointer of(float[] a) {
        if (a == null || a.length == 0) return null;
        Memory m = allocate((long) a.length * Float.BYTES);
        m.write(0, a, 0, a.length);
        return m;
    }

    private Memory allocate(long bytes) {
        Memory m = new Memory(bytes);
        blocks.add(m);
        return m;
    }

    @Override
    public void close() {
        for (Memory m : blocks) m.close();
        blocks.clear();
    }
}
