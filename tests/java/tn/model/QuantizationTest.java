package tn.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.gguf.GgufFile;
import tn.llama.CaptureSpec;
import tn.llama.Kind;
import tn.llama.Model;
import tn.llama.Session;
import tn.llama.SessionOptions;
import tn.llama.ValueVectors;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** llama_model_quantize, dequantized value vectors, and captures on quantized models. */
class QuantizationTest {
    /** Dimensions that K-quants accept (multiples of 256). */
    static final SyntheticModel BASE = new SyntheticModel(2, 256, 512, 4, 2, Vocabulary.LLAMA_SPM, 5, FileType.F32);

    @TempDir
    Path tmp;

    @Test
    void q8ValueVectorsAreWithinOneRoundingOfTheF32Weights() {
        Path f32 = TestModels.file(BASE);
        Path q8 = tmp.resolve("q8.gguf");
        Quantizer.quantize(f32, q8, FileType.Q8_0, 0);
        try (GgufFile g = GgufFile.open(q8); Model a = Model.open(f32); Model b = Model.open(q8)) {
            assertEquals(FileType.Q8_0.code, g.integer("general.file_type").orElseThrow());
            assertEquals("q8_0", g.require("blk.0.ffn_down.weight").typeName());
            assertEquals(FileType.Q8_0.code, b.info().fileType());
            for (int layer = 0; layer < BASE.layers(); layer++) {
                float[] exact = a.valueVectors(layer).matrix();
                float[] deq = b.valueVectors(layer).matrix();
                // Q8_0: blocks of 32 values along a row, x ~ q * s with q = round(x / s), s = max|x| / 127
                // stored as F16: rounding gives half a step, the F16 scale up to 127 * s * 2^-11 more
                for (int block = 0; block < exact.length / 32; block++) {
                    double max = 0;
                    for (int i = 0; i < 32; i++) max = Math.max(max, Math.abs(exact[block * 32 + i]));
                    double step = max / 127;
                    for (int i = block * 32; i < block * 32 + 32; i++) {
                        assertTrue(Math.abs(deq[i] - exact[i]) <= step * (0.5 + 127 * 0x1p-11) + 1e-7,
                                "layer " + layer + " element " + i + ": " + deq[i] + " vs " + exact[i]);
                    }
                }
            }
        }
    }

    @Test
    void coarserQuantizationMovesValueVectorsAndStatesFurther() {
        Path f32 = TestModels.file(BASE);
        Path q8 = tmp.resolve("q8.gguf");
        Path q4 = tmp.resolve("q4km.gguf");
        Quantizer.quantize(f32, q8, FileType.Q8_0, 0);
        Quantizer.quantize(f32, q4, FileType.Q4_K_M, 0);
        try (Model a = Model.open(f32); Model b = Model.open(q8); Model c = Model.open(q4)) {
            assertEquals(FileType.Q4_K_M.code, c.info().fileType());
            ValueVectors exact = a.valueVectors(1);
            double e8 = relativeError(exact.matrix(), b.valueVectors(1).matrix());
            double e4 = relativeError(exact.matrix(), c.valueVectors(1).matrix());
            assertTrue(e8 < 0.01, "Q8_0 value vectors relative error " + e8);
            assertTrue(e4 < 0.15, "Q4_K_M value vectors relative error " + e4);
            assertTrue(e8 < e4, "Q8_0 (" + e8 + ") is closer than Q4_K_M (" + e4 + ")");

            double s8 = stateError(a, b), s4 = stateError(a, c);
            assertTrue(s8 < 0.05, "Q8_0 final states relative error " + s8);
            assertTrue(s8 < s4, "Q8_0 states (" + s8 + ") closer to F32 than Q4_K_M (" + s4 + ")");
        }
    }

    /** Mean relative error of the last-token final hidden state against the F32 twin. */
    private static double stateError(Model exact, Model quantized) {
        List<int[]> tokens = TestModels.tokens(exact);
        CaptureSpec spec = CaptureSpec.lastToken().add(Kind.RESULT_NORM).build();
        try (Session x = exact.newSession(SessionOptions.defaults());
                Session q = quantized.newSession(SessionOptions.defaults())) {
            float[] a = x.run(tokens, spec).matrix(Kind.RESULT_NORM);
            float[] b = q.run(tokens, spec).matrix(Kind.RESULT_NORM);
            return relativeError(a, b);
        }
    }

    static double relativeError(float[] exact, float[] approx) {
        double num = 0, den = 0;
        for (int i = 0; i < exact.length; i++) {
            num += Math.pow(approx[i] - exact[i], 2);
            den += Math.pow(exact[i], 2);
        }
        return Math.sqrt(num / den);
    }
}
