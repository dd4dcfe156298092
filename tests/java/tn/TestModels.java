package tn;

import tn.gguf.GgufFile;
import tn.llama.Model;
import tn.model.FileType;
import tn.model.SyntheticModel;
import tn.model.Vocabulary;
import tn.reference.ReferenceForward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Synthetic models shared by the tests, written once per test JVM into a temporary folder, and
 * the float64 reference forward pass built from the same files.
 */
public final class TestModels {
    private TestModels() {}

    /** Small enough to run in milliseconds, with grouped-query attention (4 heads, 2 KV heads). */
    public static final SyntheticModel SPM = new SyntheticModel(4, 64, 96, 4, 2, Vocabulary.LLAMA_SPM, 7, FileType.F32);
    public static final SyntheticModel QWEN2 = new SyntheticModel(3, 64, 128, 8, 2, Vocabulary.QWEN2, 11, FileType.F32);

    /** Sentences in English, Japanese and Korean (and one long enough to span many tokens). */
    public static final String[] SENTENCES = {
        "The cat is sleeping on the sofa.",
        "猫がソファの上で寝ています。",
        "고양이가 소파 위에서 자고 있어요.",
        "I drink coffee every morning before I go to work, unless it is a holiday.",
        "駅はどこですか？",
        "오늘은 비가 와요.",
    };

    private static final Map<SyntheticModel, Path> FILES = new HashMap<>();
    private static Path dir;

    public static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("tn-test-models-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    /** The file of a synthetic model, written on first use. */
    public static synchronized Path file(SyntheticModel spec) {
        return FILES.computeIfAbsent(spec, s -> {
            Path p = dir().resolve(String.format("synth-%s-L%d-d%d-%s-%d.gguf", s.vocabulary().id, s.layers(), s.embd(),
                    s.type(), s.seed()));
            s.write(p);
            p.toFile().deleteOnExit();
            return p;
        });
    }

    /** The test sentences' tokens, as the model tokenizes them. */
    public static List<int[]> tokens(Model model) {
        List<int[]> t = new ArrayList<>();
        for (String s : SENTENCES) t.add(model.tokenize(s));
        return t;
    }

    /** The float64 forward pass of an F32 model file, with its hyperparameters from the metadata. */
    public static ReferenceForward reference(Path model) {
        try (GgufFile g = GgufFile.open(model)) {
            int layers = (int) g.integer("llama.block_count").orElseThrow();
            int embd = (int) g.integer("llama.embedding_length").orElseThrow();
            int ff = (int) g.integer("llama.feed_forward_length").orElseThrow();
            int heads = (int) g.integer("llama.attention.head_count").orElseThrow();
            int kvHeads = (int) g.integer("llama.attention.head_count_kv").orElseThrow();
            double eps = g.number("llama.attention.layer_norm_rms_epsilon").orElseThrow();
            double base = g.number("llama.rope.freq_base").orElseThrow();
            int rot = (int) g.integer("llama.rope.dimension_count").orElse(embd / heads);
            Map<String, double[]> weights = new HashMap<>();
            g.tensors().forEach(t -> {
                float[] f = g.read(t.name());
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                weights.put(t.name(), d);
            });
            return new ReferenceForward(new ReferenceForward.Config(layers, embd, ff, heads, kvHeads, eps, base, rot),
                    name -> {
                        double[] w = weights.get(name);
                        if (w == null) throw new IllegalArgumentException("no tensor " + name);
                        return w;
                    });
        }
    }
}
