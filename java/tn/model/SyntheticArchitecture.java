package tn.model;

import tn.io.InvalidValueException;

import tn.gguf.GgufWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The llama.cpp architectures {@link SyntheticModel} can write: for each, the tensors its
 * llama.cpp loader requires (src/models/ARCH.cpp, load_arch_tensors) and the hyperparameters it
 * reads, so that llama.cpp builds that architecture's own graph for the file.
 */
public enum SyntheticArchitecture {
    /** Llama 2/3, Mistral: RMSNorm, normal RoPE, sequential block. */
    LLAMA("llama", Vocabulary.LLAMA_SPM),
    /** Qwen2/2.5: as llama, with q/k/v biases and NEOX RoPE. */
    QWEN2("qwen2", Vocabulary.QWEN2),
    /** Qwen3: as qwen2 without biases, with RMSNorm of each head's q and k; its own head size. */
    QWEN3("qwen3", Vocabulary.QWEN2),
    /** Command R, Aya: LayerNorm, one norm feeding attention and MLP in parallel, logit scale. */
    COMMAND_R("command-r", Vocabulary.COMMAND_R),
    /** Phi-3: fused q/k/v and fused gate/up projections, NEOX RoPE. */
    PHI3("phi3", Vocabulary.PHI3);

    /** The value of a synthetic command-r model's logit_scale (Aya Expanse 8B's is 0.125). */
    public static final float LOGIT_SCALE = 0.125f;

    /** llama.cpp's name, general.architecture. */
    public final String id;
    /** The tokenizer its models come with, unless another is asked for. */
    public final Vocabulary vocabulary;

    SyntheticArchitecture(String id, Vocabulary vocabulary) {
        this.id = id;
        this.vocabulary = vocabulary;
    }

    public static SyntheticArchitecture parse(String name) {
        for (SyntheticArchitecture a : values()) {
            if (a.id.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name.replace('-', '_'))) return a;
        }
        throw new InvalidValueException("unknown architecture '{}'; synthetic models exist for: {}", name, ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(a -> a.id).collect(Collectors.joining(", "));
    }

    /** Whether the head size may differ from n_embd / heads (the q projection is then not square). */
    public boolean hasOwnHeadSize() {
        return this == QWEN3;
    }

    /** The tensors of a model, in file order; the output head is the token embedding (tied). */
    List<SyntheticModel.TensorSpec> tensors(SyntheticModel m, int nVocab) {
        int embd = m.embd(), q = m.heads() * m.headSize(), kv = m.kvHeads() * m.headSize(), ff = m.ff();
        List<SyntheticModel.TensorSpec> t = new ArrayList<>();
        t.add(tensor("token_embd.weight", embd, nVocab));
        for (int l = 0; l < m.layers(); l++) {
            String p = "blk." + l + ".";
            t.add(tensor(p + "attn_norm.weight", embd));
            if (this == PHI3) {
                t.add(tensor(p + "attn_qkv.weight", embd, q + 2L * kv)); // rows: q, then k, then v
            } else {
                t.add(tensor(p + "attn_q.weight", embd, q));
                t.add(tensor(p + "attn_k.weight", embd, kv));
                t.add(tensor(p + "attn_v.weight", embd, kv));
            }
            if (this == QWEN2) {
                t.add(tensor(p + "attn_q.bias", q));
                t.add(tensor(p + "attn_k.bias", kv));
                t.add(tensor(p + "attn_v.bias", kv));
            }
            if (this == QWEN3) {
                t.add(tensor(p + "attn_q_norm.weight", m.headSize()));
                t.add(tensor(p + "attn_k_norm.weight", m.headSize()));
            }
            t.add(tensor(p + "attn_output.weight", q, embd));
            if (this != COMMAND_R) t.add(tensor(p + "ffn_norm.weight", embd)); // its MLP reads attn_norm
            if (this == PHI3) {
                t.add(tensor(p + "ffn_up.weight", embd, 2L * ff)); // rows: the gate's, then up's
            } else {
                t.add(tensor(p + "ffn_gate.weight", embd, ff));
                t.add(tensor(p + "ffn_up.weight", embd, ff));
            }
            t.add(tensor(p + "ffn_down.weight", ff, embd));
        }
        t.add(tensor("output_norm.weight", embd));
        return t;
    }

    private static SyntheticModel.TensorSpec tensor(String name, long... shape) {
        return new SyntheticModel.TensorSpec(name, shape);
    }

    /** The hyperparameters llama.cpp reads for this architecture, under its own prefix. */
    void writeHyperparameters(GgufWriter w, SyntheticModel m, int nVocab) {
        String a = id + ".";
        w.setUInt32(a + "block_count", m.layers())
                .setUInt32(a + "context_length", SyntheticModel.CONTEXT_LENGTH)
                .setUInt32(a + "embedding_length", m.embd())
                .setUInt32(a + "feed_forward_length", m.ff())
                .setUInt32(a + "attention.head_count", m.heads())
                .setUInt32(a + "attention.head_count_kv", m.kvHeads())
                .setUInt32(a + "rope.dimension_count", m.headSize())
                .setUInt32(a + "vocab_size", nVocab)
                .setFloat32(a + "rope.freq_base", SyntheticModel.ROPE_FREQ_BASE);
        if (hasOwnHeadSize()) {
            w.setUInt32(a + "attention.key_length", m.headSize()).setUInt32(a + "attention.value_length", m.headSize());
        }
        if (this == COMMAND_R) {
            w.setFloat32(a + "attention.layer_norm_epsilon", SyntheticModel.NORM_EPS)
                    .setFloat32(a + "logit_scale", LOGIT_SCALE);
        } else {
            w.setFloat32(a + "attention.layer_norm_rms_epsilon", SyntheticModel.NORM_EPS);
        }
    }
}
