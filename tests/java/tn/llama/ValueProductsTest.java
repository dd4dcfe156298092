package tn.llama;

import tn.bridge.LlamaException;

import org.junit.jupiter.api.Test;
import tn.TestModels;
import tn.gguf.GgufFile;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The products scoring needs, from the weights as llama.cpp holds them, equal double arithmetic
 * on the value vectors dequantized independently from the file (GgufFile), for every weight
 * type, every route (the CPU kernel, the graph a GPU runs, the file reads repacked weights
 * take), band widths that are not multiples of the kernel's blocks, and batch sizes that are
 * not multiples of its register blocks.
 */
class ValueProductsTest {
    /** Dimensions every block size divides (K-quants need rows of 256). */
    static SyntheticModel model(FileType type) {
        return new SyntheticModel(2, 256, 512, 4, 2, Vocabulary.LLAMA_SPM, 5, type);
    }

    /** n_ff 384 = one band of 256 and one of 128; n_ff 100 leaves a last panel of 4 columns. */
    static final List<SyntheticModel> MODELS = List.of(model(FileType.F32), model(FileType.F16), model(FileType.Q8_0),
            model(FileType.Q4_0), model(FileType.Q4_K_M), model(FileType.Q2_K),
            new SyntheticModel(2, 128, 384, 4, 2, Vocabulary.LLAMA_SPM, 6, FileType.Q8_0),
            new SyntheticModel(2, 64, 100, 4, 2, Vocabulary.LLAMA_SPM, 7, FileType.F32));

    static final int[] ROWS = {1, 7, 33};

    static float[] states(int rows, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * (i % 5 == 0 ? 10 : 1));
        return x;
    }

    @Test
    void productsEqualDoubleArithmeticOnEveryRoute() {
        for (SyntheticModel spec : MODELS) {
            try (Model model = Model.open(TestModels.file(spec));
                    GgufFile file = GgufFile.open(TestModels.file(spec))) {
                int d = model.info().nEmbd(), f = model.info().nFf(), layers = model.info().nLayer();
                float[][] w = new float[layers][];
                for (int l = 0; l < layers; l++) w[l] = file.read("blk." + l + ".ffn_down.weight");
                for (ValueProducts.HostRoute route : ValueProducts.HostRoute.values()) {
                    try (ValueProducts v = ValueProducts.open(model, 0, layers, 2, route)) {
                        for (int rows : ROWS) {
                            float[][] x = new float[layers][];
                            float[][] r = new float[layers][rows * f];
                            for (int l = 0; l < layers; l++) x[l] = states(rows, d, 31L * rows + l);
                            v.products(0, x, rows, r);
                            for (int l = 0; l < layers; l++) {
                                String what = spec.type() + " d " + d + " n_ff " + f + ", " + route + " (" + v.where(l)
                                        + "), layer " + l + ", " + rows + " states";
                                assertProducts(what, w[l], x[l], r[l], rows, d, f);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Each product within F32 rounding of the double sum: 1e-5 of the sum of |terms|. */
    static void assertProducts(String what, float[] w, float[] x, float[] r, int rows, int d, int f) {
        double maxAbs = 0;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < f; i++) {
                double exact = 0, magnitude = 0;
                for (int j = 0; j < d; j++) {
                    double term = (double) x[b * d + j] * w[j * f + i];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                maxAbs = Math.max(maxAbs, Math.abs(exact));
                double err = Math.abs(r[b * f + i] - exact);
                assertTrue(err <= 1e-5 * magnitude + 1e-30,
                        what + ": product of state " + b + " and neuron " + i + " is " + r[b * f + i]
                                + ", double arithmetic gives " + exact);
            }
        }
        assertTrue(maxAbs > 0.1, what + ": products are not all ~0");
    }

    @Test
    void constantsEqualDoubleArithmetic() {
        for (SyntheticModel spec : List.of(model(FileType.Q4_K_M), MODELS.get(MODELS.size() - 1))) {
            try (Model model = Model.open(TestModels.file(spec));
                    GgufFile file = GgufFile.open(TestModels.file(spec))) {
                int d = model.info().nEmbd(), f = model.info().nFf(), layers = model.info().nLayer();
                double[][] c = new double[layers][d];
                SplittableRandom rng = new SplittableRandom(3);
                for (double[] cl : c)
                    for (int j = 0; j < d; j++) cl[j] = rng.nextGaussian();
                for (ValueProducts.HostRoute route :
                        List.of(ValueProducts.HostRoute.KERNEL, ValueProducts.HostRoute.FILE)) {
                    try (ValueProducts v = ValueProducts.open(model, 0, layers, 2, route)) {
                        ValueProducts.Constants[] k = v.constants(c);
                        for (int l = 0; l < layers; l++) {
                            float[] w = file.read("blk." + l + ".ffn_down.weight");
                            for (int i = 0; i < f; i++) {
                                double q = 0, n = 0;
                                for (int j = 0; j < d; j++) {
                                    q += w[j * f + i] * c[l][j];
                                    n += (double) w[j * f + i] * w[j * f + i];
                                }
                                assertEquals(q, k[l].q()[i], 1e-12 * (Math.abs(q) + n + 1),
                                        spec.type() + " " + route + " q " + l + "," + i);
                                assertEquals(
                                        n, k[l].n()[i], 1e-12 * n, spec.type() + " " + route + " n " + l + "," + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void routesAreReported() {
        try (Model model = Model.open(TestModels.file(model(FileType.F32)))) {
            try (ValueProducts v = ValueProducts.open(model, 1, 1, 1)) {
                assertEquals("CPU", v.where(0));
                assertEquals(1, v.from());
            }
            try (ValueProducts v = ValueProducts.open(model, 0, 2, 1, ValueProducts.HostRoute.GRAPH)) {
                assertEquals("CPU (graph)", v.where(1));
            }
            try (ValueProducts v = ValueProducts.open(model, 0, 2, 1, ValueProducts.HostRoute.FILE)) {
                assertEquals("CPU, from the file (asked for)", v.where(0));
            }
        }
        // llama.cpp repacks Q4_0 and Q4_K weights on CPUs with AVX2 (its CPU_REPACK buffer, which
        // ggml cannot read back): those layers take the file route by themselves
        try (Model model = Model.open(TestModels.file(model(FileType.Q4_0)));
                ValueProducts v = ValueProducts.open(model, 0, 2, 1)) {
            String where = v.where(0);
            assertTrue(where.equals("CPU")
                            || where.equals("CPU, from the file (llama.cpp keeps the weights in CPU_REPACK)"),
                    where);
            System.out.println("Q4_0 value vectors on this machine: " + where);
        }
    }

    @Test
    void badArgumentsAreClearErrors() {
        try (Model model = Model.open(TestModels.file(TestModels.SPM))) {
            int n = model.info().nLayer();
            LlamaException e = assertThrows(LlamaException.class, () -> ValueProducts.open(model, n - 1, 2, 1));
            assertTrue(e.getMessage().contains("outside the model's 0.." + (n - 1)), e.getMessage());
            try (ValueProducts v = ValueProducts.open(model, 0, 2, 1)) {
                float[][] r = {new float[model.info().nFf()]};
                assertThrows(IllegalArgumentException.class, () -> v.products(0, new float[][] {new float[3]}, 1, r));
                assertThrows(IndexOutOfBoundsException.class, () -> v.products(2, new float[][] {new float[64]}, 1, r));
                assertThrows(IllegalArgumentException.class,
                        ()
                                -> v.products(0, new float[][] {new float[257 * 64]}, 257,
                                        new float[][] {new float[257 * model.info().nFf()]}));
            }
        }
        // the handle goes with its model
        Model model = Model.open(TestModels.file(TestModels.SPM));
        ValueProducts v = ValueProducts.open(model, 0, 1, 1);
        model.close();
        assertThrows(IllegalStateException.class, () -> v.where(0));
    }
}
