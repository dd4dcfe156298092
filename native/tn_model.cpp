// Models: loading (with the checks llama.cpp would abort on done first), facts, tokenizer,
// and quantization.
#include "tn_internal.h"
#include "tn_model.h"

#include "gguf.h"
#include "llama.h"

#include <climits>
#include <cstring>
#include <memory>
#include <string>

using tn::error;

tn_model::~tn_model() {
    if (model) llama_model_free(model);
    tn_gguf_close(gguf);
}

namespace {

// A positive integer hyperparameter `{arch}.{name}` if present; 0 if absent.
int64_t hparam(const tn_gguf * g, const std::string & arch, const char * name) {
    const std::string key = arch + "." + name;
    const int64_t i = tn_gguf_find_key(g, key.c_str());
    if (i < 0) return 0;
    int64_t v = 0;
    if (tn_gguf_get_i64(g, i, &v) != TN_OK) {
        throw error(TN_ERR_FORMAT, "metadata '" + key + "' is not an integer");
    }
    if (v <= 0) throw error(TN_ERR_FORMAT, "metadata '" + key + "' must be positive, is " + std::to_string(v));
    return v;
}

// What llama.cpp asserts on (rather than reports) when it loads a model.
void check_loadable(const tn_gguf * g, const std::string & path) {
    const int64_t k = tn_gguf_find_key(g, "general.architecture");
    const char * arch = k < 0 ? nullptr : tn_gguf_get_str(g, k, -1);
    if (arch == nullptr) {
        throw error(TN_ERR_FORMAT, path + ": no general.architecture in the metadata (a vocabulary-only or non-model GGUF?)");
    }
    const int64_t n_layer = hparam(g, arch, "block_count");
    const int64_t n_embd  = hparam(g, arch, "embedding_length");
    const int64_t n_head  = hparam(g, arch, "attention.head_count");
    if (n_layer == 0 || n_embd == 0) {
        throw error(TN_ERR_FORMAT, path + ": metadata lacks " + arch + ".block_count or " + arch + ".embedding_length");
    }
    if (n_head != 0 && n_embd % n_head != 0) {
        throw error(TN_ERR_FORMAT, path + ": embedding_length " + std::to_string(n_embd) +
            " is not a multiple of attention.head_count " + std::to_string(n_head));
    }
    const int64_t n_head_kv = hparam(g, arch, "attention.head_count_kv");
    if (n_head != 0 && n_head_kv != 0 && n_head % n_head_kv != 0) {
        throw error(TN_ERR_FORMAT, path + ": attention.head_count " + std::to_string(n_head) +
            " is not a multiple of attention.head_count_kv " + std::to_string(n_head_kv));
    }
}

// n_ff as the method sees it: the width of the down projection's input, the same in every layer.
int32_t dense_mlp_width(const tn_gguf * g, int32_t n_layer, const std::string & path) {
    int64_t n_ff = -1;
    for (int32_t l = 0; l < n_layer; l++) {
        const std::string name = "blk." + std::to_string(l) + ".ffn_down.weight";
        const int64_t t = tn_gguf_find_tensor(g, name.c_str());
        if (t < 0) {
            throw error(TN_ERR_MODEL, path + ": no tensor '" + name + "': transfer neurons need a dense MLP in every layer");
        }
        int64_t ne[4];
        tn_gguf_tensor_info(g, t, nullptr, ne, nullptr);
        if (ne[2] != 1 || ne[3] != 1) {
            throw error(TN_ERR_MODEL, path + ": '" + name + "' is not a matrix (a mixture-of-experts model?)");
        }
        if (n_ff >= 0 && ne[0] != n_ff) {
            throw error(TN_ERR_MODEL, path + ": the MLP width differs between layers (" + std::to_string(n_ff) +
                " and " + std::to_string(ne[0]) + " in layer " + std::to_string(l) + ")");
        }
        n_ff = ne[0];
    }
    return (int32_t) n_ff;
}

} // namespace

extern "C" {

int32_t tn_model_open(const char * path, int32_t n_gpu_layers, tn_model ** out) {
    return tn::guard([&] {
        if (out == nullptr) throw error(TN_ERR_ARG, "null output handle");
        *out = nullptr;
        auto m = std::make_unique<tn_model>();
        m->path = path ? path : "";
        const int32_t rc = tn_gguf_open(path, &m->gguf);
        if (rc != TN_OK) throw error(rc, tn_last_error());
        check_loadable(m->gguf, m->path);

        tn::forget_log();
        const tn::activity doing("loading " + m->path);
        llama_model_params params = llama_model_default_params();
        params.n_gpu_layers = n_gpu_layers;
        m->model = llama_model_load_from_file(path, params);
        if (m->model == nullptr) {
            throw error(TN_ERR_MODEL, tn::with_log(m->path + ": llama.cpp could not load the model"));
        }

        tn_model_info & info = m->info;
        info.n_layer     = llama_model_n_layer(m->model);
        info.n_embd      = llama_model_n_embd(m->model);
        info.n_ff        = dense_mlp_width(m->gguf, info.n_layer, m->path);
        info.n_head      = llama_model_n_head(m->model);
        info.n_head_kv   = llama_model_n_head_kv(m->model);
        info.n_vocab     = llama_vocab_n_tokens(llama_model_get_vocab(m->model));
        info.n_ctx_train = llama_model_n_ctx_train(m->model);
        info.add_bos     = llama_vocab_get_add_bos(llama_model_get_vocab(m->model));
        info.n_params    = (int64_t) llama_model_n_params(m->model);
        info.size_bytes  = (int64_t) llama_model_size(m->model);
        info.file_type   = -1;
        const int64_t ft = tn_gguf_find_key(m->gguf, "general.file_type");
        int64_t v;
        if (ft >= 0 && tn_gguf_get_i64(m->gguf, ft, &v) == TN_OK) info.file_type = (int32_t) v;

        m->architecture = tn_gguf_get_str(m->gguf, tn_gguf_find_key(m->gguf, "general.architecture"), -1);
        char desc[256];
        llama_model_desc(m->model, desc, sizeof desc);
        m->description = desc;
        info.architecture = m->architecture.c_str();
        info.description  = m->description.c_str();
        *out = m.release();
    });
}

void tn_model_close(tn_model * model) {
    delete model;
}

int32_t tn_model_get_info(const tn_model * model, tn_model_info * out) {
    return tn::guard([&] {
        if (model == nullptr || out == nullptr) throw error(TN_ERR_ARG, "null argument");
        *out = model->info;
    });
}

int32_t tn_tokenize(const tn_model * model, const char * text, int32_t len,
                    int32_t * tokens, int32_t cap, int32_t * n_tokens) {
    return tn::guard([&] {
        if (model == nullptr || text == nullptr || n_tokens == nullptr || len < 0 || cap < 0) {
            throw error(TN_ERR_ARG, "bad tokenize arguments");
        }
        const tn::activity doing("tokenizing a sentence with " + model->path);
        const int32_t n = llama_tokenize(llama_model_get_vocab(model->model), text, len, tokens, cap,
                                         /*add_special =*/ true, /*parse_special =*/ false);
        if (n == INT32_MIN) throw error(TN_ERR_ARG, "text too long to tokenize");
        *n_tokens = n < 0 ? -n : n;
        if (n < 0) throw error(TN_ERR_ARG, "token buffer too small: need " + std::to_string(-n));
    });
}

int32_t tn_token_is_eog(const tn_model * model, int32_t token) {
    if (model == nullptr || token < 0 || token >= model->info.n_vocab) return 0;
    return llama_vocab_is_eog(llama_model_get_vocab(model->model), token) ? 1 : 0;
}

int32_t tn_detokenize(const tn_model * model, const int32_t * tokens, int32_t n_tokens,
                      int32_t remove_special, char * buf, int32_t cap, int32_t * len) {
    return tn::guard([&] {
        if (model == nullptr || (tokens == nullptr && n_tokens > 0) || n_tokens < 0 || len == nullptr || cap < 0) {
            throw error(TN_ERR_ARG, "bad detokenize arguments");
        }
        const tn::activity doing("detokenizing with " + model->path);
        const int32_t n_vocab = model->info.n_vocab;
        for (int32_t i = 0; i < n_tokens; i++) {
            if (tokens[i] < 0 || tokens[i] >= n_vocab) {
                throw error(TN_ERR_ARG, "token " + std::to_string(tokens[i]) + " at " + std::to_string(i) +
                    " is outside the vocabulary (0.." + std::to_string(n_vocab - 1) + ")");
            }
        }
        const int32_t n = llama_detokenize(llama_model_get_vocab(model->model), tokens, n_tokens, buf, cap,
                                           remove_special != 0, /*unparse_special =*/ true);
        *len = n < 0 ? -n : n;
        if (n < 0) throw error(TN_ERR_ARG, "text buffer too small: need " + std::to_string(-n));
    });
}

int32_t tn_quantize(const char * in, const char * out, int32_t ftype, int32_t n_threads) {
    return tn::guard([&] {
        if (out == nullptr || *out == '\0') throw error(TN_ERR_ARG, "no output path given");
        tn_gguf * g = nullptr;
        const int32_t rc = tn_gguf_open(in, &g);
        if (rc != TN_OK) throw error(rc, tn_last_error());
        std::unique_ptr<tn_gguf, void (*)(tn_gguf *)> guard(g, tn_gguf_close);
        check_loadable(g, in);

        tn::forget_log();
        const tn::activity doing(std::string("quantizing ") + in);
        llama_model_quantize_params params = llama_model_quantize_default_params();
        params.nthread = n_threads > 0 ? n_threads : tn::default_threads();
        params.ftype = (llama_ftype) ftype;
        tn::quantize_begin();
        const bool ok = llama_model_quantize(in, out, &params) == 0;
        tn::quantize_end(ok);
        if (!ok) throw error(TN_ERR_MODEL, tn::with_log(std::string("quantizing ") + in + " failed"));
    });
}

void tn_quantize_progress(int32_t * done, int32_t * total) {
    tn::quantize_progress(done, total);
}

} // extern "C"
