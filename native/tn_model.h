// The model handle, shared by tn_model.cpp and tn_capture.cpp.
#pragma once

#include "tn.h"

#include "llama.h"

#include <string>

struct tn_model {
    llama_model *   model = nullptr;
    tn_gguf *       gguf = nullptr; // the file's index: hyperparameters and tensor shapes
    std::string     path;
    std::string     architecture;
    const tn_arch * arch = nullptr; // its row of the architecture table (native/tn_arch.cpp)
    std::string     description;
    tn_model_info   info{};
    int32_t         n_gpu_layers = 0; // as asked of tn_model_open

    ~tn_model();
};

namespace tn {

// The parameters of a llama.cpp context over a model: n_ctx cells in all, decode calls of at most
// n_batch tokens in one ubatch, n_seq_max sequences in one KV stream (unified) or one each;
// kv_f32 keeps attention in F32 (an F32 KV cache) for exact comparisons; flash attention then runs
// only with f32_flash, for a context whose evaluation callback hands the attention its F32 K and V
// (see exact_flash_attention in tn_capture.cpp), and is off otherwise.
llama_context_params context_params(int32_t n_ctx, int32_t n_batch, int32_t n_seq_max, bool unified, int32_t n_threads,
                                    bool kv_f32, bool f32_flash = false);

} // namespace tn
