// The architecture table, one row per llama.cpp architecture whose graph builder tn has read
// (llama.cpp's src/models/<arch>.cpp and build_attn/build_ffn in src/llama-graph.cpp). It is
// the one place that says where x_l, a_l, the value vectors, h_l and the final norm come from;
// the capture code (tn_capture.cpp) reads its node names from here, `tn model info` shows it,
// and docs/architectures.md explains each row.
#include "tn_arch.h"
#include "tn_internal.h"

#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace {

// How every supported architecture switches neuron i of layer l off: the same for all of them,
// because a_l is always the down projection's input.
const char * const overwrite_act =
    "the eval callback overwrites element i of the activation node's rows (the last token, or every "
    "position) before the down projection multiplies them, so a_{l,i} = 0 in everything computed after";

// The reasons a row gives for what tn refuses.
const char * const post_norm =
    "the MLP output is RMS-normalised (ffn_post_norm) before it joins the residual stream, so neuron i "
    "does not add a_{l,i} v_{l,i} to it and the transfer score cos(x + a v, C) - cos(x, C) does not "
    "describe what the neuron does (docs/architectures.md)";
const char * const unproven =
    "not proven: tn's tests have no float64 reference forward of this block to check its captures against";
const char * const moe =
    "a mixture-of-experts MLP: each token passes through a few experts' MLPs, so a layer has no fixed "
    "set of neurons whose activations every sentence has";

// The columns every sequential, SwiGLU, llama-like row shares.
#define TN_LLAMA_LIKE_NODES "ffn_swiglu", "ffn_gate", "ffn_out", "l_out", "result_norm", "ffn_down", overwrite_act

const tn_arch table[] = {
    {"llama", "Llama 2, Llama 3, Mistral 7B (v0.1 to v0.3), and others converted to the llama architecture",
     "sequential: x_l = h_{l-1} + attention(RMSNorm(h_{l-1})) is node ffn_inp-l; h_l = x_l + MLP(RMSNorm(x_l)); "
     "SwiGLU MLP; normal RoPE",
     TN_X_NODE, "ffn_inp", TN_LLAMA_LIKE_NODES, nullptr, nullptr, nullptr},
    {"qwen2", "Qwen2, Qwen2.5",
     "sequential as llama (x_l is node ffn_inp-l), with biases on the q, k and v projections and NEOX RoPE", TN_X_NODE,
     "ffn_inp", TN_LLAMA_LIKE_NODES, nullptr, nullptr, nullptr},
    {"qwen3", "Qwen3 (dense)",
     "sequential as llama (x_l is node ffn_inp-l), with an RMSNorm of each head's q and k before RoPE, "
     "head size attention.key_length (not n_embd / heads), NEOX RoPE",
     TN_X_NODE, "ffn_inp", TN_LLAMA_LIKE_NODES, nullptr, nullptr, nullptr},
    {"command-r", "Command R (35B), Aya 23, Aya Expanse 8B and 32B",
     "parallel: attention and MLP both read LayerNorm(h_{l-1}) (weight, no bias) and "
     "l_out-l = (ffn_out-l + h_{l-1}) + attention output, so x_l = h_{l-1} + attention output is no node "
     "of the graph and is taken as l_out-l - ffn_out-l; SwiGLU MLP; normal RoPE; the output head is the "
     "token embedding, logits times logit_scale",
     TN_X_SUBTRACT, nullptr, TN_LLAMA_LIKE_NODES, nullptr, nullptr, nullptr},
    {"phi3", "Phi-3, Phi-3.5 (mini, medium)",
     "sequential, with fused tensors: one attn_qkv projection and one ffn_up holding gate and up (the "
     "gate is its first half, ffn_swiglu-l reads both); the sum h_{l-1} + attention output is an unnamed "
     "node, so x_l is taken as l_out-l - ffn_out-l; RMSNorm; NEOX RoPE. The gate projection has no node "
     "of its own, so LAPE counts the activation a_l instead of the gate",
     TN_X_SUBTRACT, nullptr, "ffn_swiglu", nullptr, "ffn_out", "l_out", "result_norm", "ffn_down", overwrite_act,
     nullptr, nullptr, nullptr},
    {"gemma2", "Gemma 2",
     "sequential with post-norms: attn_post_norm and ffn_post_norm normalise the attention and MLP "
     "outputs before they join the residual stream; GeGLU MLP; scaled embedding; soft-capped logits",
     TN_X_NONE, nullptr, "ffn_geglu", "ffn_gate", "ffn_out", "l_out", "result_norm", "ffn_down", nullptr, post_norm,
     unproven, unproven},
    {"gemma3", "Gemma 3",
     "as gemma2 (post-norms around attention and MLP), with q/k norms and local/global attention layers", TN_X_NONE,
     nullptr, "ffn_geglu", "ffn_gate", "ffn_out", "l_out", "result_norm", "ffn_down", nullptr, post_norm, unproven,
     unproven},
    {"olmo2", "OLMo 2",
     "sequential with post-norms only: attention and MLP outputs are RMS-normalised (attn_post_norm, "
     "ffn_post_norm) before they join the residual stream; q/k norms; SwiGLU MLP",
     TN_X_NONE, nullptr, "ffn_swiglu", "ffn_gate", "ffn_out", "l_out", "result_norm", "ffn_down", nullptr, post_norm,
     unproven, unproven},
    {"qwen2moe", "Qwen1.5-MoE, Qwen2-MoE", "sequential, with a mixture-of-experts MLP (and a shared expert)", TN_X_NONE,
     nullptr, nullptr, nullptr, nullptr, "l_out", "result_norm", nullptr, nullptr, moe, moe, moe},
    {"qwen3moe", "Qwen3 MoE (30B-A3B, 235B-A22B)", "sequential, with a mixture-of-experts MLP", TN_X_NONE, nullptr,
     nullptr, nullptr, nullptr, "l_out", "result_norm", nullptr, nullptr, moe, moe, moe},
};

#undef TN_LLAMA_LIKE_NODES

constexpr int32_t n_rows = (int32_t) std::size(table);

} // namespace

namespace tn {

const tn_arch * find_arch(const std::string & name) {
    for (const tn_arch & row : table) {
        if (name == row.name) return &row;
    }
    return nullptr;
}

std::string supported_arch_names() {
    std::string names;
    for (const tn_arch & row : table) {
        if (row.no_detection || row.no_analyses || row.no_deactivation) continue;
        names += (names.empty() ? "" : ", ") + std::string(row.name);
    }
    return names;
}

std::string refusal(const std::string & name) {
    const tn_arch * row = find_arch(name);
    if (row == nullptr) {
        return "architecture '" + name +
               "' is not in tn's architecture table: nobody has checked where its "
               "graph keeps x_l, a_l and h_l (supported: " +
               supported_arch_names() + ")";
    }
    // each distinct reason once, with the capabilities it rules out
    const char * reasons[] = {row->no_detection, row->no_analyses, row->no_deactivation};
    const char * what[] = {"detection", "analyses", "deactivation"};
    std::string  text;
    for (int i = 0; i < 3; i++) {
        if (reasons[i] == nullptr) continue;
        bool said = false;
        for (int j = 0; j < i; j++) said = said || (reasons[j] && strcmp(reasons[j], reasons[i]) == 0);
        if (said) continue;
        std::string caps = what[i];
        for (int j = i + 1; j < 3; j++) {
            if (reasons[j] && strcmp(reasons[j], reasons[i]) == 0) caps += std::string(" and ") + what[j];
        }
        text += (text.empty() ? "" : "; ") + caps + ": " + reasons[i];
    }
    return text.empty() ? "" : "architecture '" + name + "' is not supported: " + text;
}

} // namespace tn

extern "C" {

int32_t tn_arch_count(void) {
    return n_rows;
}

int32_t tn_arch_get(int32_t i, tn_arch * out) {
    return tn::guard([&] {
        if (out == nullptr) throw tn::error(TN_ERR_ARG, "null argument");
        if (i < 0 || i >= n_rows) {
            throw tn::error(TN_ERR_ARG,
                            "architecture row " + std::to_string(i) + " out of range 0.." + std::to_string(n_rows - 1));
        }
        *out = table[i];
    });
}

int32_t tn_arch_find(const char * name, tn_arch * out) {
    return tn::guard([&] {
        if (name == nullptr || out == nullptr) throw tn::error(TN_ERR_ARG, "null argument");
        const tn_arch * row = tn::find_arch(name);
        if (row == nullptr) throw tn::error(TN_ERR_UNSUPPORTED, tn::refusal(name));
        *out = *row;
    });
}

} // extern "C"
