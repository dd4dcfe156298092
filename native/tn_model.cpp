// Models: loading (with the checks llama.cpp would abort on done first), facts, tokenizer,
// and quantization.
#include "tn_model.h"
#include "tn_arch.h"
#include "tn_internal.h"

#include "gguf.h"
#include "llama.h"

#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using tn::error;

tn_model::~tn_model() {
    if (model) llama_model_free(model);
    tn_gguf_close(gguf);
}

namespace {

// A positive integer hyperparameter `{arch}.{name}` if present; 0 if absent.
int64_t hparam(const tn_gguf * g, const std::string & arch, const char * name) {
    const std::string key = arch + "." + name;
    const int64_t     i = tn_gguf_find_key(g, key.c_str());
    if (i < 0) return 0;
    int64_t v = 0;
    if (tn_gguf_get_i64(g, i, &v) != TN_OK) {
        throw error(TN_ERR_FORMAT, "metadata '" + key + "' is not an integer");
    }
    if (v <= 0) throw error(TN_ERR_FORMAT, "metadata '" + key + "' must be positive, is " + std::to_string(v));
    return v;
}

// general.architecture, which every model has.
std::string architecture_of(const tn_gguf * g, const std::string & path) {
    const int64_t k = tn_gguf_find_key(g, "general.architecture");
    const char *  arch = k < 0 ? nullptr : tn_gguf_get_str(g, k, -1);
    if (arch == nullptr) {
        throw error(TN_ERR_FORMAT,
                    path + ": no general.architecture in the metadata (a vocabulary-only or non-model GGUF?)");
    }
    return arch;
}

// What llama.cpp asserts on (rather than reports) when it loads a model.
void check_loadable(const tn_gguf * g, const std::string & path) {
    const std::string arch = architecture_of(g, path);
    const int64_t     n_layer = hparam(g, arch, "block_count");
    const int64_t     n_embd = hparam(g, arch, "embedding_length");
    const int64_t     n_head = hparam(g, arch, "attention.head_count");
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
        const int64_t     t = tn_gguf_find_tensor(g, name.c_str());
        if (t < 0) {
            throw error(TN_ERR_MODEL,
                        path + ": no tensor '" + name + "': transfer neurons need a dense MLP in every layer");
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

// "[  12/ 291]                 blk.0.ffn_down.weight - [ 4864,   896,     1,     1], type =    f32,
// size =   16.625 MiB ->    4.417 MiB (q8_0)": llama_model_quantize's dry-run line for one tensor
// (without " -> ..." for a tensor it leaves as it is), as (name, type name); false for other lines.
bool plan_line(const std::string & line, std::pair<std::string, std::string> & out) {
    const size_t open = line.find("] "), dash = line.find(" - ["), type = line.find("type = ");
    if (line.empty() || line[0] != '[' || open == std::string::npos || dash == std::string::npos ||
        type == std::string::npos || dash < open) {
        return false;
    }
    auto trim = [](std::string t) {
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(" ,") + 1);
        return t;
    };
    out.first = trim(line.substr(open + 2, dash - open - 2));
    if (line.find(" -> ") != std::string::npos) {
        const size_t l = line.rfind('('), r = line.rfind(')');
        if (l == std::string::npos || r == std::string::npos || r < l) return false;
        out.second = line.substr(l + 1, r - l - 1);
    } else {
        out.second = trim(line.substr(type + 7, line.find(',', type) - type - 7));
    }
    return true;
}

} // namespace

std::vector<std::pair<std::string, std::string>> tn::quantization_plan(const char * path, int32_t ftype,
                                                                       int32_t n_threads) {
    llama_model_quantize_params params = llama_model_quantize_default_params();
    params.nthread = n_threads > 0 ? n_threads : tn::default_threads();
    params.ftype = (llama_ftype) ftype;
    params.dry_run = true;
    tn::forget_log();
    tn::collect_log_begin();
    const bool        ok = llama_model_quantize(path, "/dev/null", &params) == 0;
    const std::string log = tn::collect_log_end();
    if (!ok) throw error(TN_ERR_MODEL, tn::with_log("llama.cpp could not plan the quantization"));
    std::vector<std::pair<std::string, std::string>> plan;
    size_t                                           from = 0;
    for (size_t nl; (nl = log.find('\n', from)) != std::string::npos; from = nl + 1) {
        std::pair<std::string, std::string> entry;
        if (plan_line(log.substr(from, nl - from), entry)) plan.push_back(entry);
    }
    return plan;
}

extern "C" {

int32_t tn_model_open(const char * path, int32_t n_gpu_layers, tn_model ** out) {
    return tn::guard([&] {
        if (out == nullptr) throw error(TN_ERR_ARG, "null output handle");
        *out = nullptr;
        auto m = std::make_unique<tn_model>();
        m->path = path ? path : "";
        const int32_t rc = tn_gguf_open(path, &m->gguf);
        if (rc != TN_OK) throw error(rc, tn_last_error());
        m->architecture = architecture_of(m->gguf, m->path);
        const std::string refused = tn::refusal(m->architecture);
        if (!refused.empty()) throw error(TN_ERR_UNSUPPORTED, m->path + ": " + refused);
        m->arch = tn::find_arch(m->architecture);
        check_loadable(m->gguf, m->path);

        tn::forget_log();
        const tn::activity doing("loading " + m->path);
        llama_model_params params = llama_model_default_params();
        params.n_gpu_layers = n_gpu_layers;
        m->n_gpu_layers = n_gpu_layers;
        // read the weights into llama.cpp's buffers rather than mapping the file: weights that
        // llama.cpp repacks for the CPU (Q4_0, Q4_K, ... on AVX2) would otherwise stay resident
        // twice, as mapped file pages and as the repacked copy
        params.load_mode = LLAMA_LOAD_MODE_NONE;
        m->model = llama_model_load_from_file(path, params);
        if (m->model == nullptr) {
            throw error(TN_ERR_MODEL, tn::with_log(m->path + ": llama.cpp could not load the model"));
        }

        tn_model_info & info = m->info;
        info.n_layer = llama_model_n_layer(m->model);
        info.n_embd = llama_model_n_embd(m->model);
        info.n_ff = dense_mlp_width(m->gguf, info.n_layer, m->path);
        info.n_head = llama_model_n_head(m->model);
        info.n_head_kv = llama_model_n_head_kv(m->model);
        info.n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(m->model));
        info.n_ctx_train = llama_model_n_ctx_train(m->model);
        info.add_bos = llama_vocab_get_add_bos(llama_model_get_vocab(m->model));
        info.n_params = (int64_t) llama_model_n_params(m->model);
        info.size_bytes = (int64_t) llama_model_size(m->model);
        info.file_type = -1;
        const int64_t ft = tn_gguf_find_key(m->gguf, "general.file_type");
        int64_t       v;
        if (ft >= 0 && tn_gguf_get_i64(m->gguf, ft, &v) == TN_OK) info.file_type = (int32_t) v;

        char desc[256];
        llama_model_desc(m->model, desc, sizeof desc);
        m->description = desc;
        info.architecture = m->architecture.c_str();
        info.description = m->description.c_str();
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

int32_t tn_tokenize(const tn_model * model, const char * text, int32_t len, int32_t * tokens, int32_t cap,
                    int32_t * n_tokens) {
    return tn::guard([&] {
        if (model == nullptr || text == nullptr || n_tokens == nullptr || len < 0 || cap < 0) {
            throw error(TN_ERR_ARG, "bad tokenize arguments");
        }
        const tn::activity doing("tokenizing a sentence with " + model->path);
        const int32_t      n = llama_tokenize(llama_model_get_vocab(model->model), text, len, tokens, cap,
                                              /*add_special =*/true, /*parse_special =*/false);
        if (n == INT32_MIN) throw error(TN_ERR_ARG, "text too long to tokenize");
        *n_tokens = n < 0 ? -n : n;
        if (n < 0) throw error(TN_ERR_ARG, "token buffer too small: need " + std::to_string(-n));
    });
}

int32_t tn_token_is_eog(const tn_model * model, int32_t token) {
    if (model == nullptr) return tn::fail(TN_ERR_ARG, "null model");
    if (token < 0 || token >= model->info.n_vocab) {
        return tn::fail(TN_ERR_ARG, "token " + std::to_string(token) + " is outside the vocabulary (0.." +
                                        std::to_string(model->info.n_vocab - 1) + ")");
    }
    return llama_vocab_is_eog(llama_model_get_vocab(model->model), token) ? 1 : 0;
}

int32_t tn_detokenize(const tn_model * model, const int32_t * tokens, int32_t n_tokens, int32_t remove_special,
                      char * buf, int32_t cap, int32_t * len) {
    return tn::guard([&] {
        if (model == nullptr || (tokens == nullptr && n_tokens > 0) || n_tokens < 0 || len == nullptr || cap < 0) {
            throw error(TN_ERR_ARG, "bad detokenize arguments");
        }
        const tn::activity doing("detokenizing with " + model->path);
        const int32_t      n_vocab = model->info.n_vocab;
        for (int32_t i = 0; i < n_tokens; i++) {
            if (tokens[i] < 0 || tokens[i] >= n_vocab) {
                throw error(TN_ERR_ARG, "token " + std::to_string(tokens[i]) + " at " + std::to_string(i) +
                                            " is outside the vocabulary (0.." + std::to_string(n_vocab - 1) + ")");
            }
        }
        const int32_t n = llama_detokenize(llama_model_get_vocab(model->model), tokens, n_tokens, buf, cap,
                                           remove_special != 0, /*unparse_special =*/true);
        *len = n < 0 ? -n : n;
        if (n < 0) throw error(TN_ERR_ARG, "text buffer too small: need " + std::to_string(-n));
    });
}

int32_t tn_quantize(const char * in, const char * out, int32_t ftype, int32_t n_threads) {
    return tn::guard([&] {
        if (out == nullptr || *out == '\0') throw error(TN_ERR_ARG, "no output path given");
        tn_gguf *     g = nullptr;
        const int32_t rc = tn_gguf_open(in, &g);
        if (rc != TN_OK) throw error(rc, tn_last_error());
        std::unique_ptr<tn_gguf, void (*)(tn_gguf *)> guard(g, tn_gguf_close);
        check_loadable(g, in);

        tn::forget_log();
        const tn::activity          doing(std::string("quantizing ") + in);
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
