package tn;

import tn.gguf.GgufFile;
import tn.gguf.GgufWriter;
import tn.llama.Model;
import tn.model.FileType;
import tn.model.SyntheticArchitecture;
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

    /**
     * One small model of each architecture tn supports, each with its own tokenizer: llama's is
     * {@link #SPM}; qwen3's heads (32) are wider than n_embd / heads (16), as in Qwen3's models.
     */
    public static final Map<SyntheticArchitecture, SyntheticModel> BY_ARCHITECTURE = Map.of(SyntheticArchitecture.LLAMA,
            SPM, SyntheticArchitecture.QWEN2,
            new SyntheticModel(SyntheticArchitecture.QWEN2, 3, 64, 128, 4, 2, 16, Vocabulary.QWEN2, 13, FileType.F32),
            SyntheticArchitecture.QWEN3,
            new SyntheticModel(SyntheticArchitecture.QWEN3, 3, 64, 128, 4, 2, 32, Vocabulary.QWEN2, 17, FileType.F32),
            SyntheticArchitecture.COMMAND_R,
            new SyntheticModel(
                    SyntheticArchitecture.COMMAND_R, 3, 64, 128, 4, 2, 16, Vocabulary.COMMAND_R, 19, FileType.F32),
            SyntheticArchitecture.PHI3,
            new SyntheticModel(SyntheticArchitecture.PHI3, 3, 64, 128, 4, 2, 16, Vocabulary.PHI3, 23, FileType.F32));

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
            Path p = dir().resolve(String.format("synth-%s-%s-L%d-d%d-%s-%d.gguf", s.architecture().id,
                    s.vocabulary().id, s.layers(), s.embd(), s.type(), s.seed()));
            s.write(p);
            p.toFile().deleteOnExit();
            return p;
        });
    }

    /**
     * A copy of the llama test model whose metadata names another architecture: enough for what
     * tn decides from general.architecture alone, before llama.cpp reads anything else.
     */
    public static Path relabeled(Path dir, String architecture) {
        Path out = dir.resolve(architecture + ".gguf");
        try (GgufFile src = GgufFile.open(file(SPM)); GgufWriter w = GgufWriter.create(out)) {
            w.copyMetadata(src).set("general.architecture", architecture);
            src.tensors().forEach(t -> w.declareTensor(t.name(), t.shape()));
            w.beginData();
            src.tensors().forEach(t -> w.writeTensor(src.read(t.name())));
            w.commit();
        }
        return out;
    }

    /**
     * A copy of the llama test model trained (so its metadata says, llama.context_length) for a context
     * of tokens: what the prompt budget of reasoning's paper protocol comes from.
     */
    public static Path withContextLength(Path dir, int tokens) {
        Path out = dir.resolve("context-" + tokens + ".gguf");
        try (GgufFile src = GgufFile.open(file(SPM)); GgufWriter w = GgufWriter.create(out)) {
            w.copyMetadata(src).setUInt32("llama.context_length", tokens);
            src.tensors().forEach(t -> w.declareTensor(t.name(), t.shape()));
            w.beginData();
            src.tensors().forEach(t -> w.writeTensor(src.read(t.name())));
            w.commit();
        }
        return out;
    }

    /** The test sentences' tokens, as the model tokenizes them. */
    public static List<int[]> tokens(Model model) {
        List<int[]> t = new ArrayList<>();
        for (String s : SENTENCES) t.add(model.tokenize(s));
        return t;
    }

    /**
     * The float64 forward pass of an F32 model file, with its hyperparameters from the metadata
     * and each architecture's block as its definition states it (not as tn's table does).
     */
    public static ReferenceForward reference(Path model) {
        try (GgufFile g = GgufFile.open(model)) {
            String arch = g.string("general.architecture").orElseThrow();
            String a = arch + ".";
            int embd = (int) g.integer(a + "embedding_length").orElseThrow();
            int heads = (int) g.integer(a + "attention.head_count").orElseThrow();
            int headSize = (int) g.integer(a + "attention.key_length").orElse(embd / heads);
            var config = new ReferenceForward.Config((int) g.integer(a + "block_count").orElseThrow(), embd,
                    (int) g.integer(a + "feed_forward_length").orElseThrow(), heads,
                    (int) g.integer(a + "attention.head_count_kv").orElseThrow(), headSize,
                    arch.equals("command-r") ? g.number(a + "attention.layer_norm_epsilon").orElseThrow()
                                             : g.number(a + "attention.layer_norm_rms_epsilon").orElseThrow(),
                    g.number(a + "rope.freq_base").orElseThrow(),
                    (int) g.integer(a + "rope.dimension_count").orElse(headSize),
                    arch.equals("command-r") ? ReferenceForward.Norm.LAYER : ReferenceForward.Norm.RMS,
                    arch.startsWith("qwen") || arch.equals("phi3") ? ReferenceForward.Rope.NEOX
                                                                   : ReferenceForward.Rope.NORMAL,
                    arch.equals("command-r"), arch.equals("qwen3"), g.number(a + "logit_scale").orElse(1.0));
            Map<String, double[]> weights = new HashMap<>();
            g.tensors().forEach(t -> {
                float[] f = g.read(t.name());
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                weights.put(t.name(), d);
            });
            return new ReferenceForward(config, new ReferenceForward.Weights() {
                @Override
                public double[] tensor(String name) {
                    double[] w = weights.get(name);
                    if (w == null) throw new IllegalArgumentException("no tensor " + name);
                    return w;
                }

                @Override
                public boolean has(String name) {
                    return weights.containsKey(name);
                }
            });
        }
    }
}
