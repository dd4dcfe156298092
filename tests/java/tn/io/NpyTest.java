package tn.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy files byte for byte as numpy.save writes them (fixtures in tests/data/npy, see its README). */
class NpyTest {
    static final Path FIXTURES = Path.of("tests/data/npy");

    static float[] fixtureValues() {
        float[] a = new float[6];
        for (int i = 0; i < 6; i++) a[i] = i / 7f;
        a[5] = Float.NaN;
        return a;
    }

    @Test
    void writesWhatNumpyWrites(@TempDir Path dir) throws IOException {
        Path ours = dir.resolve("a.npy");
        Npy.writeFloat32(ours, fixtureValues(), 2, 3);
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("f4_2x3.npy")), Files.readAllBytes(ours));
        Npy.writeFloat32(ours, new float[] {0, 1, 2, 3, 4}, 5);
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("f4_5.npy")), Files.readAllBytes(ours));
    }

    @Test
    void writesFloat64AsNumpyDoes(@TempDir Path dir) throws IOException {
        Path ours = dir.resolve("a.npy");
        float[] values = fixtureValues();
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        Npy.writeFloat64(ours, wide, 2, 3);
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("f8_2x3.npy")), Files.readAllBytes(ours));
    }

    @Test
    void readsNumpyFloat32AndFloat64() {
        for (String f : new String[] {"f4_2x3.npy", "f8_2x3.npy"}) {
            Npy.Array a = Npy.readFloat32(FIXTURES.resolve(f));
            assertArrayEquals(new int[] {2, 3}, a.shape(), f);
            assertArrayEquals(fixtureValues(), a.data(), f);
        }
    }

    @Test
    void readsAHeaderWithoutTheData(@TempDir Path dir) throws IOException {
        Npy.Header h = Npy.header(FIXTURES.resolve("f8_2x3.npy"));
        assertEquals("<f8", h.descr());
        assertArrayEquals(new int[] {2, 3}, h.shape());
        assertEquals(Files.size(FIXTURES.resolve("f8_2x3.npy")) - 6 * 8, h.dataOffset(),
                "the data is what follows the header");
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(FIXTURES.resolve("f4_2x3.npy")), 40));
        InputException e = assertThrows(InputException.class, () -> Npy.header(cut));
        assertTrue(e.getMessage().contains("truncated .npy header"), e.getMessage());
    }

    @Test
    void rejectsWhatItCannotRead(@TempDir Path dir) throws IOException {
        assertTrue(assertThrows(InputException.class, () -> Npy.readFloat32(FIXTURES.resolve("fortran.npy")))
                        .getMessage()
                        .contains("Fortran"));
        assertTrue(assertThrows(InputException.class, () -> Npy.readFloat32(FIXTURES.resolve("i4.npy")))
                        .getMessage()
                        .contains("<i4"));
        Path cut = dir.resolve("cut.npy");
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("f4_2x3.npy"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertTrue(assertThrows(InputException.class, () -> Npy.readFloat32(cut)).getMessage().contains("truncated"));
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "not numpy at all");
        assertTrue(
                assertThrows(InputException.class, () -> Npy.readFloat32(junk)).getMessage().contains(junk.toString()));
    }
}
