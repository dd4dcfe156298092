package tn.llama;

import tn.bridge.TnLibrary;
import tn.bridge.LlamaException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.gguf.GgufFile;
import tn.gguf.GgufWriter;
import tn.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad files and bad sentences become clear exceptions, and the JVM goes on working afterwards. */
class BadInputTest {
    @TempDir
    Path tmp;

    private LlamaException loadFails(Path file) {
        LlamaException e = assertThrows(LlamaException.class, () -> Model.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
        assertTrue(e.isInputError(), "an input error: " + e.getMessage());
        return e;
    }

    private static void stillWorks() {
        try (Model m = Model.open(TestModels.file(TestModels.SPM));
                Session s = m.newSession(SessionOptions.defaults())) {
            Capture c =
                    s.run(List.of(m.tokenize("still alive")), CaptureSpec.lastToken().add(Kind.RESULT_NORM).build());
            assertEquals(m.info().nEmbd(), c.lastToken(Kind.RESULT_NORM, -1, 0).length);
        }
    }

    @Test
    void truncatedFile() throws IOException {
        Path good = TestModels.file(TestModels.SPM);
        Path cut = tmp.resolve("truncated.gguf");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        assertTrue(loadFails(cut).getMessage().contains("truncated"));
        // cut inside the header, too
        Files.write(cut, java.util.Arrays.copyOf(bytes, 100));
        loadFails(cut);
        stillWorks();
    }

    @Test
    void randomBytes() throws IOException {
        Path junk = tmp.resolve("random.gguf");
        byte[] bytes = new byte[1 << 16];
        new Random(3).nextBytes(bytes);
        Files.write(junk, bytes);
        assertTrue(loadFails(junk).getMessage().contains("not a valid GGUF"));
        Path empty = Files.createFile(tmp.resolve("empty.gguf"));
        loadFails(empty);
        stillWorks();
    }

    /** A copy of the test model without one tensor (null: all of them) and with one metadata string changed. */
    private Path copyOfTestModel(String name, String dropped, String key, String value) {
        Path copy = tmp.resolve(name);
        try (GgufFile src = GgufFile.open(TestModels.file(TestModels.SPM)); GgufWriter w = GgufWriter.create(copy)) {
            w.copyMetadata(src);
            if (key != null) w.set(key, value);
            src.tensors()
                    .stream()
                    .filter(t -> !t.name().equals(dropped))
                    .forEach(t -> w.declareTensor(t.name(), t.shape()));
            w.beginData();
            src.tensors()
                    .stream()
                    .filter(t -> !t.name().equals(dropped))
                    .forEach(t -> w.writeTensor(src.read(t.name())));
            w.commit();
        }
        return copy;
    }

    @Test
    void missingTensor() {
        String dropped = "blk.1.ffn_up.weight";
        assertTrue(loadFails(copyOfTestModel("lacking.gguf", dropped, null, null)).getMessage().contains(dropped));
        stillWorks();
    }

    @Test
    void unsupportedArchitecture() {
        Path odd = copyOfTestModel("odd.gguf", null, "general.architecture", "no-such-architecture");
        assertTrue(loadFails(odd).getMessage().contains("no-such-architecture"));
        stillWorks();
    }

    @Test
    void missingFileAndDirectory() {
        // refused before anything is opened, as input errors naming the file (tests/java/tn/hostile has the rest)
        InputException missing = assertThrows(InputException.class, () -> Model.open(tmp.resolve("nope.gguf")));
        assertTrue(missing.getMessage().contains("nope.gguf: no such file"), missing.getMessage());
        InputException dir = assertThrows(InputException.class, () -> Model.open(tmp));
        assertTrue(dir.getMessage().contains("is a directory"), dir.getMessage());
        stillWorks();
    }

    @Test
    void vocabularyOnlyGguf() {
        // a valid GGUF with hyperparameters but no weights at all
        Path vocab = tn.model.Vocabulary.LLAMA_SPM.file();
        String message = loadFails(vocab).getMessage();
        assertTrue(message.contains("token_embd.weight"), message);
        stillWorks();
    }

    @Test
    void closingTheModelEndsItsSessions() {
        Model m = Model.open(TestModels.file(TestModels.SPM));
        Session s = m.newSession(SessionOptions.defaults());
        int[] tokens = m.tokenize("hello");
        m.close();
        assertThrows(IllegalStateException.class, () -> s.run(List.of(tokens), CaptureSpec.nothing()));
        assertThrows(IllegalStateException.class, () -> m.tokenize("hello"));
        s.close();
        m.close();
        stillWorks();
    }

    @Test
    void emptyAndOverlongSentences() {
        try (Model m = Model.open(TestModels.file(TestModels.SPM));
                Session s = m.newSession(SessionOptions.defaults().withContextSize(16))) {
            assertThrows(IllegalArgumentException.class, () -> m.tokenize(""));
            assertThrows(IllegalArgumentException.class, () -> m.tokenize("   "));
            assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(new int[0]), CaptureSpec.lastToken().add(Kind.RESULT_NORM).build()));
            int[] long_ =
                    m.tokenize("This sentence is certainly longer than sixteen tokens, by quite a margin indeed.");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(long_), CaptureSpec.lastToken().add(Kind.RESULT_NORM).build()));
            assertTrue(e.getMessage().contains("longer than the context"), e.getMessage());
            // the native layer refuses on its own too, whatever Java checks
            LlamaException ne = assertThrows(LlamaException.class,
                    () -> TnLibrary.check(TnLibrary.INSTANCE.tn_session_run(null, new TnLibrary.RunParams())));
            assertTrue(ne.getMessage().contains("null"));
            assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(new int[] {1, 2}), CaptureSpec.lastToken().add(Kind.L_OUT, 99).build()));
            assertThrows(IllegalArgumentException.class,
                    ()
                            -> s.run(List.of(new int[] {1, 2}), CaptureSpec.lastToken().add(Kind.L_OUT, 0).build(),
                                    Deactivation.zero(List.of(new Neuron(0, 100000)), Positions.LAST_TOKEN)));
            LlamaException bad = assertThrows(LlamaException.class,
                    () -> s.run(List.of(new int[] {1, 1 << 30}), CaptureSpec.lastToken().add(Kind.L_OUT, 0).build()));
            assertTrue(bad.getMessage().contains("vocabulary"), bad.getMessage());
        }
        stillWorks();
    }
}
