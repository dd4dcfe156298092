package tn.llama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.TestModels;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * java-llama.cpp, which bundles its own (older) llama.cpp, as an independent oracle: both
 * libraries in one JVM, on the same synthetic model, agree on tokens and on the final hidden state.
 */
class OracleTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "qwen2"})
    void tokensAndFinalHiddenStateAgreeWithJavaLlamaCpp(String vocab) {
        Path file = TestModels.file(CaptureTest.spec(vocab));
        ModelParameters params = new ModelParameters()
                                         .setModel(file.toString())
                                         .enableEmbedding()
                                         .setPoolingType(PoolingType.LAST)
                                         .setCtxSize(512)
                                         .setThreads(2)
                                         .disableLog();
        try (Model ours = Model.open(file); Session session = ours.newSession(SessionOptions.defaults());
                LlamaModel oracle = new LlamaModel(params)) {
            for (String sentence : TestModels.SENTENCES) {
                int[] tokens = ours.tokenize(sentence);
                // java-llama.cpp's encode() adds no BOS
                int[] withoutBos = ours.info().addsBos() ? Arrays.copyOfRange(tokens, 1, tokens.length) : tokens;
                assertArrayEquals(oracle.encode(sentence), withoutBos, "tokens of '" + sentence + "'");

                float[] h = session.run(List.of(tokens), CaptureSpec.lastToken().add(Kind.RESULT_NORM).build())
                                    .lastToken(Kind.RESULT_NORM, -1, 0);
                float[] expected = oracle.embed(sentence); // last token, final norm, scaled to unit length
                double norm = 0;
                for (float x : h) norm += (double) x * x;
                norm = Math.sqrt(norm);
                assertEquals(expected.length, h.length);
                for (int i = 0; i < h.length; i++) {
                    assertEquals(
                            expected[i], h[i] / norm, 1e-3, "unit final hidden state of '" + sentence + "' at " + i);
                }
            }
        }
    }
}
