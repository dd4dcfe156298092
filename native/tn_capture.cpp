// Sessions: batched forward passes whose graph evaluation callback copies out the tensors the
// transfer-neuron method needs and, before the down projection, overwrites chosen activations.
//
// Which graph node holds the MLP activation differs between architectures (ffn_swiglu,
// ffn_geglu, ...). We do not guess by name: a one-token warm-up pass at session start looks
// for the mat-mul whose first operand is the weight blk.N.ffn_down.weight and records the
// name of its second operand. Later passes ask for that node, so its values can be read and
// changed before the down projection runs.
#include "tn_internal.h"
#include "tn_model.h"

#include "ggml-backend.h"
#include "ggml.h"
#include "llama.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

using tn::error;

namespace {

struct node_id {
    int32_t kind;
    int32_t layer; // -1 for EMBD and RESULT_NORM
};

struct deact_entry {
    int32_t neuron;
    float   value;
};

// Everything one tn_session_run needs inside the callback.
struct run_state {
    // the batch
    int32_t n_seq = 0;
    int32_t n_tokens = 0;
    int32_t n_outputs = 0;
    bool    all_positions = false;
    bool    skip_first = false;    // captures leave out each sentence's first token (a BOS)
    std::vector<int32_t> seq_start; // first batch index of each sentence
    std::vector<int32_t> seq_len;
    // capture: slots per node, by kind and layer
    std::vector<std::vector<std::vector<int32_t>>> slots; // [kind][layer + 1] -> slot indices
    const int64_t * slot_offset = nullptr;
    std::vector<int32_t> slot_filled;
    float * out = nullptr;
    // deactivation
    std::vector<std::vector<deact_entry>> deact; // [layer]
    std::vector<bool> deact_done;
    bool deact_all_positions = false;
    const uint8_t * deact_seq_mask = nullptr;
    std::vector<float> row;   // scratch row for deactivation
    // early stop: once the last wanted node is done, the rest of the graph (later layers, the
    // output head) cannot change what this run returns, so it is skipped
    int32_t pending = 0;      // wanted nodes not yet seen
    bool    stop_early = false;
    bool    stopped = false;
    // the first failure inside the callback, reported after llama_decode returns
    std::string failure;
    int32_t     failure_code = TN_ERR_CAPTURE;
};

// Where a captured value was NaN or infinite: what tn_session_nonfinite reports.
struct nonfinite_at {
    int32_t kind = -1;   // a tn_kind, or -1 for the logits of tn_session_continue
    int32_t layer = -1;
    int32_t seq = -1;    // the sentence's index in the batch
};

} // namespace

struct tn_session {
    tn_model *      model = nullptr;
    llama_context * ctx   = nullptr;
    llama_batch     batch{};
    int32_t         n_ctx = 0;
    int32_t         n_seq_max = 0;
    bool            discovering = false;
    std::vector<std::string> act_name;                 // [layer] -> the down projection's input node
    std::unordered_map<std::string, node_id> nodes;    // graph node name -> what it is
    run_state *     run = nullptr;
    nonfinite_at    nonfinite;                         // of the last run that failed with TN_ERR_NONFINITE

    ~tn_session() {
        if (batch.token) llama_batch_free(batch);
        if (ctx) llama_free(ctx);
    }

    int32_t width(int32_t kind) const {
        const bool neurons = kind == TN_KIND_ACT || kind == TN_KIND_ACT_POSITIVE || kind == TN_KIND_GATE_POSITIVE;
        return neurons ? model->info.n_ff : model->info.n_embd;
    }
};

namespace {

const char * kind_name(int32_t kind) {
    switch (kind) {
        case TN_KIND_EMBD:        return "embd";
        case TN_KIND_FFN_INP:     return "ffn_inp";
        case TN_KIND_ACT:         return "activation";
        case TN_KIND_L_OUT:       return "l_out";
        case TN_KIND_RESULT_NORM: return "result_norm";
        case TN_KIND_ACT_POSITIVE:  return "activation sign count";
        case TN_KIND_GATE_POSITIVE: return "gate sign count (node ffn_gate)";
        default:                  return "?";
    }
}

bool per_layer(int32_t kind) {
    return kind != TN_KIND_EMBD && kind != TN_KIND_RESULT_NORM;
}

// The counting kinds, which reduce a sentence's rows to one row of counts.
bool counts(int32_t kind) {
    return kind == TN_KIND_ACT_POSITIVE || kind == TN_KIND_GATE_POSITIVE;
}

// The slot kinds a graph node serves: the activation node is read as values and as counts; the
// gate node (registered under GATE_POSITIVE) only as counts.
std::vector<int32_t> slot_kinds_of(int32_t node_kind) {
    if (node_kind == TN_KIND_ACT) return { TN_KIND_ACT, TN_KIND_ACT_POSITIVE };
    return { node_kind };
}

// During discovery: remember which node feeds each layer's down projection.
void discover(tn_session * s, const ggml_tensor * t) {
    if (t->op != GGML_OP_MUL_MAT || t->src[0] == nullptr || t->src[1] == nullptr) return;
    int layer = -1;
    char tail[8] = {0};
    if (sscanf(t->src[0]->name, "blk.%d.ffn_down.weigh%7s", &layer, tail) != 2 || strcmp(tail, "t") != 0) return;
    if (layer < 0 || layer >= (int) s->act_name.size()) return;
    s->act_name[layer] = t->src[1]->name;
}

// A NaN or infinite value where a forward pass is captured means the model's weights or
// hyperparameters are broken (or overflow): stop rather than average it into a result.
struct nonfinite_error : error {
    nonfinite_at at;
    nonfinite_error(nonfinite_at at, const std::string & what) : error(TN_ERR_NONFINITE, what), at(at) {}
};

void check_finite(const float * x, int64_t n, int32_t kind, int32_t layer, int32_t seq, const char * what) {
    for (int64_t i = 0; i < n; i++) {
        if (!std::isfinite(x[i])) {
            throw nonfinite_error({ kind, layer, seq }, std::string(std::isnan(x[i]) ? "NaN" : "an infinite value") +
                " in " + what + (layer >= 0 ? " of layer " + std::to_string(layer) : "") + " for sentence " +
                std::to_string(seq) + " of the batch");
        }
    }
}

void read_rows(const ggml_tensor * t, int64_t row, int64_t n, int32_t width, float * dst) {
    const size_t row_bytes = (size_t) width * sizeof(float);
    if (t->nb[1] == row_bytes) {
        ggml_backend_tensor_get(t, dst, row * t->nb[1], row_bytes * n);
    } else {
        for (int64_t r = 0; r < n; r++) {
            ggml_backend_tensor_get(t, dst + r * width, (row + r) * t->nb[1], row_bytes);
        }
    }
}

// First row of sentence s in a node's tensor, and how many rows belong to it at the positions
// asked for. Tensors of the last layer hold only the rows of output tokens (by_output); all
// others one row per batch token.
void sentence_rows(const run_state & r, bool by_output, bool all_positions, bool skip_first, int32_t s, int64_t & first,
                   int64_t & n) {
    if (by_output && !r.all_positions) {
        // only last tokens were outputs: the rest of the sentence was never computed in this
        // tensor and cannot influence anything
        first = s;
        n = 1;
        return;
    }
    // batch rows (when every token is an output, both numberings agree)
    first = all_positions ? r.seq_start[s] : r.seq_start[s] + r.seq_len[s] - 1;
    n = all_positions ? r.seq_len[s] : 1;
    if (all_positions && skip_first) {
        first++;
        n--;
    }
}

void deactivate(tn_session * s, run_state & r, ggml_tensor * t, int32_t layer, bool by_output) {
    const int32_t width = s->width(TN_KIND_ACT);
    r.row.resize(width);
    for (int32_t q = 0; q < r.n_seq; q++) {
        if (r.deact_seq_mask && !r.deact_seq_mask[q]) continue;
        int64_t first, n;
        sentence_rows(r, by_output, r.deact_all_positions, false, q, first, n);
        for (int64_t row = first; row < first + n; row++) {
            read_rows(t, row, 1, width, r.row.data());
            for (const auto & e : r.deact[layer]) r.row[e.neuron] = e.value;
            ggml_backend_tensor_set(t, r.row.data(), row * t->nb[1], (size_t) width * sizeof(float));
        }
    }
    r.deact_done[layer] = true;
}

// Per sentence, how many of its rows are > 0, neuron by neuron.
void count_positive(run_state & r, const ggml_tensor * t, int32_t width, bool by_output, int32_t kind, int32_t layer,
                    float * dst) {
    for (int32_t q = 0; q < r.n_seq; q++) {
        int64_t first, n;
        sentence_rows(r, by_output, r.all_positions, r.skip_first, q, first, n);
        r.row.resize((size_t) n * width);
        read_rows(t, first, n, width, r.row.data());
        check_finite(r.row.data(), n * width, kind, layer, q, kind_name(kind));
        float * count = dst + (int64_t) q * width;
        std::fill(count, count + width, 0.0f);
        for (int64_t p = 0; p < n; p++) {
            const float * x = r.row.data() + p * width;
            for (int32_t i = 0; i < width; i++) count[i] += x[i] > 0.0f ? 1.0f : 0.0f;
        }
    }
}

void capture(tn_session * s, run_state & r, const ggml_tensor * t, node_id id, bool by_output) {
    const int32_t width = s->width(id.kind);
    for (int32_t kind : slot_kinds_of(id.kind)) {
        for (int32_t k : r.slots[kind][id.layer + 1]) {
            float * dst = r.out + r.slot_offset[k];
            if (counts(kind)) {
                count_positive(r, t, width, by_output, kind, id.layer, dst);
            } else {
                for (int32_t q = 0; q < r.n_seq; q++) {
                    int64_t first, n;
                    sentence_rows(r, by_output, r.all_positions, r.skip_first, q, first, n);
                    read_rows(t, first, n, width, dst);
                    check_finite(dst, n * width, kind, id.layer, q, kind_name(kind));
                    dst += n * width;
                }
            }
            r.slot_filled[k] = 1;
        }
    }
}

bool wanted(const run_state & r, node_id id) {
    for (int32_t kind : slot_kinds_of(id.kind)) {
        if (!r.slots[kind][id.layer + 1].empty()) return true;
    }
    return id.kind == TN_KIND_ACT && !r.deact[id.layer].empty();
}

void on_node(tn_session * s, run_state & r, ggml_tensor * t, node_id id) {
    const int32_t width = s->width(id.kind);
    const std::string where = std::string(kind_name(id.kind)) +
        (id.layer >= 0 ? " of layer " + std::to_string(id.layer) : "") + " (node '" + t->name + "')";
    if (t->type != GGML_TYPE_F32 || t->ne[0] != width || t->ne[2] != 1 || t->ne[3] != 1 || t->nb[0] != sizeof(float)) {
        throw error(TN_ERR_CAPTURE, where + " is not an F32 matrix of row length " + std::to_string(width));
    }
    bool by_output;
    if (t->ne[1] == r.n_tokens) {
        by_output = false;
    } else if (t->ne[1] == r.n_outputs) {
        by_output = true;
    } else {
        throw error(TN_ERR_CAPTURE, where + " has " + std::to_string(t->ne[1]) + " rows; expected " +
            std::to_string(r.n_tokens) + " tokens or " + std::to_string(r.n_outputs) + " outputs");
    }
    if (id.kind == TN_KIND_ACT && !r.deact[id.layer].empty()) {
        deactivate(s, r, t, id.layer, by_output);
    }
    capture(s, r, t, id, by_output);
}

bool eval_callback(ggml_tensor * t, bool ask, void * user_data) {
    auto * s = static_cast<tn_session *>(user_data);
    if (s->discovering) {
        if (ask) discover(s, t);
        return ask ? false : true;
    }
    run_state * r = s->run;
    if (r == nullptr) return ask ? false : true;
    auto it = s->nodes.find(t->name);
    if (it == s->nodes.end() || !wanted(*r, it->second)) {
        return ask ? false : true;
    }
    if (ask) return true;
    try {
        on_node(s, *r, t, it->second);
        if (r->stop_early && --r->pending == 0) {
            r->stopped = true;
            return false; // ends this graph split; abort_callback ends the CPU splits after it
        }
        return true;
    } catch (const nonfinite_error & e) {
        r->failure = e.what();
        r->failure_code = e.code;
        s->nonfinite = e.at;
        return false;
    } catch (const std::exception & e) {
        r->failure = e.what();
        return false; // aborts the graph computation
    }
}

void index_nodes(tn_session * s) {
    const int32_t n_layer = s->model->info.n_layer;
    s->nodes["embd"] = { TN_KIND_EMBD, -1 };
    s->nodes["result_norm"] = { TN_KIND_RESULT_NORM, -1 };
    for (int32_t l = 0; l < n_layer; l++) {
        s->nodes["ffn_inp-" + std::to_string(l)] = { TN_KIND_FFN_INP, l };
        s->nodes["l_out-" + std::to_string(l)] = { TN_KIND_L_OUT, l };
        s->nodes["ffn_gate-" + std::to_string(l)] = { TN_KIND_GATE_POSITIVE, l };
    }
    for (int32_t l = 0; l < n_layer; l++) {
        const std::string & name = s->act_name[l];
        if (name.empty()) {
            throw error(TN_ERR_MODEL, "layer " + std::to_string(l) + " has no mat-mul with blk." +
                std::to_string(l) + ".ffn_down.weight in llama.cpp's graph");
        }
        if (s->nodes.count(name)) {
            throw error(TN_ERR_MODEL, "the input of layer " + std::to_string(l) + "'s down projection ('" + name +
                "') is not a node of its own; its activation cannot be captured");
        }
        s->nodes[name] = { TN_KIND_ACT, l };
    }
}

void fill_batch(tn_session * s, const int32_t * tokens, const run_state & r, bool all_outputs) {
    llama_batch & b = s->batch;
    b.n_tokens = r.n_tokens;
    for (int32_t q = 0; q < r.n_seq; q++) {
        for (int32_t p = 0; p < r.seq_len[q]; p++) {
            const int32_t i = r.seq_start[q] + p;
            b.token[i] = tokens[i];
            b.pos[i] = p;
            b.n_seq_id[i] = 1;
            b.seq_id[i][0] = q;
            b.logits[i] = all_outputs || p == r.seq_len[q] - 1;
        }
    }
}

// llama.cpp aborts on a token id outside the vocabulary; refuse it first.
void check_tokens(const int32_t * tokens, int32_t n, int32_t n_vocab) {
    for (int32_t i = 0; i < n; i++) {
        if (tokens[i] < 0 || tokens[i] >= n_vocab) {
            throw error(TN_ERR_ARG, "token " + std::to_string(tokens[i]) + " is outside the vocabulary");
        }
    }
}

void set_deactivation(run_state & r, const tn_model_info & info, const int32_t * deact_layer,
                      const int32_t * deact_neuron, const float * deact_value, int32_t n_deact) {
    r.deact.assign(info.n_layer, {});
    r.deact_done.assign(info.n_layer, false);
    if (n_deact < 0 || (n_deact > 0 && (deact_layer == nullptr || deact_neuron == nullptr || deact_value == nullptr))) {
        throw error(TN_ERR_ARG, "bad deactivation arguments");
    }
    for (int32_t j = 0; j < n_deact; j++) {
        if (deact_layer[j] < 0 || deact_layer[j] >= info.n_layer || deact_neuron[j] < 0 || deact_neuron[j] >= info.n_ff) {
            throw error(TN_ERR_ARG, "deactivation of (layer " + std::to_string(deact_layer[j]) + ", neuron " +
                std::to_string(deact_neuron[j]) + ") is outside the model's " + std::to_string(info.n_layer) +
                " x " + std::to_string(info.n_ff) + " neurons");
        }
        r.deact[deact_layer[j]].push_back({ deact_neuron[j], deact_value[j] });
    }
}

// Every layer holding a deactivation must have run it; a graph without the node would
// silently leave the neurons on.
void check_deactivated(const run_state & r) {
    for (size_t l = 0; l < r.deact.size(); l++) {
        if (!r.deact[l].empty() && !r.deact_done[l]) {
            throw error(TN_ERR_CAPTURE, "the activation of layer " + std::to_string(l) + " was never computed; deactivation not applied");
        }
    }
}

// llama.cpp's abort callback: the CPU backend checks it between nodes.
bool abort_callback(void * user_data) {
    const auto * s = static_cast<const tn_session *>(user_data);
    return s->run != nullptr && s->run->stopped;
}

int32_t decode(tn_session * s, bool forget_memory = true) {
    if (forget_memory) llama_memory_clear(llama_get_memory(s->ctx), true);
    tn::forget_log();
    return llama_decode(s->ctx, s->batch);
}

} // namespace

extern "C" {

int32_t tn_session_open(tn_model * model, int32_t n_threads, int32_t n_ctx, int32_t n_seq_max,
                        int32_t kv_f32, tn_session ** out) {
    return tn::guard([&] {
        if (out == nullptr || model == nullptr) throw error(TN_ERR_ARG, "null argument");
        *out = nullptr;
        if (n_ctx < 1) throw error(TN_ERR_ARG, "context size must be positive, is " + std::to_string(n_ctx));
        if (n_seq_max < 1 || n_seq_max > 256) {
            throw error(TN_ERR_ARG, "sentences per batch must be 1..256, is " + std::to_string(n_seq_max));
        }
        auto s = std::make_unique<tn_session>();
        s->model = model;
        s->n_ctx = n_ctx;
        // every sentence has a token, so no batch holds more sentences than the context has
        // tokens; llama.cpp asserts n_seq_max <= n_batch
        s->n_seq_max = std::min(n_seq_max, n_ctx);
        s->act_name.resize(model->info.n_layer);

        llama_context_params params = llama_context_default_params();
        params.n_ctx = (uint32_t) n_ctx;
        params.n_batch = (uint32_t) n_ctx;   // one ubatch per decode: callback rows are batch rows
        params.n_ubatch = (uint32_t) n_ctx;
        params.n_seq_max = (uint32_t) s->n_seq_max;
        params.kv_unified = true;            // keeps the batch's token order in the ubatch
        const int32_t threads = n_threads > 0 ? n_threads : tn::default_threads();
        params.n_threads = threads;
        params.n_threads_batch = threads;
        params.no_perf = true;
        if (kv_f32) {
            // exact attention: flash attention would cast K and V to F16 again
            params.type_k = GGML_TYPE_F32;
            params.type_v = GGML_TYPE_F32;
            params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
        }
        params.cb_eval = eval_callback;
        params.cb_eval_user_data = s.get();

        params.abort_callback = abort_callback;
        params.abort_callback_data = s.get();

        tn::forget_log();
        const tn::activity doing("creating a context and running a first token through " + model->path);
        s->ctx = llama_init_from_model(model->model, params);
        if (s->ctx == nullptr) {
            throw error(TN_ERR_MODEL, tn::with_log("llama.cpp could not create a context for " + model->path));
        }
        s->batch = llama_batch_init(n_ctx, 0, 1);

        // warm-up pass over one token: finds each layer's activation node
        s->discovering = true;
        s->batch.n_tokens = 1;
        s->batch.token[0] = 0;
        s->batch.pos[0] = 0;
        s->batch.n_seq_id[0] = 1;
        s->batch.seq_id[0][0] = 0;
        s->batch.logits[0] = 1;
        const int32_t rc = decode(s.get());
        s->discovering = false;
        if (rc != 0) {
            throw error(TN_ERR_DECODE, tn::with_log("warm-up decode failed with code " + std::to_string(rc)));
        }
        index_nodes(s.get());
        *out = s.release();
    });
}

void tn_session_close(tn_session * session) {
    delete session;
}

int32_t tn_session_nonfinite(const tn_session * s, int32_t * kind, int32_t * layer, int32_t * seq) {
    return tn::guard([&] {
        if (s == nullptr || kind == nullptr || layer == nullptr || seq == nullptr) throw error(TN_ERR_ARG, "null argument");
        *kind = s->nonfinite.kind;
        *layer = s->nonfinite.layer;
        *seq = s->nonfinite.seq;
    });
}

int32_t tn_session_run(tn_session * s,
                       const int32_t * tokens, const int32_t * seq_len, int32_t n_seq,
                       int32_t all_positions,
                       const int32_t * slot_kind, const int32_t * slot_layer,
                       const int64_t * slot_offset, int32_t n_slots, float * out,
                       const int32_t * deact_layer, const int32_t * deact_neuron,
                       const float * deact_value, int32_t n_deact,
                       int32_t deact_all_positions, const uint8_t * deact_seq_mask) {
    return tn::guard([&] {
        if (s == nullptr || tokens == nullptr || seq_len == nullptr) throw error(TN_ERR_ARG, "null argument");
        const tn_model_info & info = s->model->info;
        if (n_seq < 1 || n_seq > s->n_seq_max) {
            throw error(TN_ERR_ARG, std::to_string(n_seq) + " sentences in one batch; this session takes 1.." +
                std::to_string(s->n_seq_max));
        }
        run_state r;
        r.n_seq = n_seq;
        if (all_positions < 0 || all_positions > 2) throw error(TN_ERR_ARG, "positions must be 0, 1 or 2");
        r.all_positions = all_positions != 0;
        r.skip_first = all_positions == 2;
        for (int32_t q = 0; q < n_seq; q++) {
            if (seq_len[q] < 1) throw error(TN_ERR_ARG, "sentence " + std::to_string(q) + " has no tokens");
            if (seq_len[q] > s->n_ctx) {
                throw error(TN_ERR_ARG, "sentence " + std::to_string(q) + " has " + std::to_string(seq_len[q]) +
                    " tokens, longer than the context (" + std::to_string(s->n_ctx) + ")");
            }
            r.seq_start.push_back(r.n_tokens);
            r.seq_len.push_back(seq_len[q]);
            r.n_tokens += seq_len[q];
            if (r.n_tokens > s->n_ctx) {
                throw error(TN_ERR_ARG, "the batch has more tokens than the context (" + std::to_string(s->n_ctx) +
                    "); put fewer sentences in one batch");
            }
        }
        check_tokens(tokens, r.n_tokens, info.n_vocab);
        r.n_outputs = r.all_positions ? r.n_tokens : n_seq;

        r.slots.assign(TN_KIND_GATE_POSITIVE + 1, std::vector<std::vector<int32_t>>(info.n_layer + 1));
        if (n_slots < 0 || (n_slots > 0 && (slot_kind == nullptr || slot_layer == nullptr || slot_offset == nullptr || out == nullptr))) {
            throw error(TN_ERR_ARG, "bad capture slots");
        }
        for (int32_t k = 0; k < n_slots; k++) {
            const int32_t kind = slot_kind[k];
            if (kind < TN_KIND_EMBD || kind > TN_KIND_GATE_POSITIVE) throw error(TN_ERR_ARG, "unknown capture kind " + std::to_string(kind));
            const int32_t layer = per_layer(kind) ? slot_layer[k] : -1;
            if (per_layer(kind) && (layer < 0 || layer >= info.n_layer)) {
                throw error(TN_ERR_ARG, std::string("capture of ") + kind_name(kind) + " at layer " + std::to_string(layer) +
                    ": the model has layers 0.." + std::to_string(info.n_layer - 1));
            }
            if (slot_offset[k] < 0) throw error(TN_ERR_ARG, "negative slot offset");
            r.slots[kind][layer + 1].push_back(k);
        }
        r.slot_offset = slot_offset;
        r.slot_filled.assign(n_slots, 0);
        r.out = out;

        set_deactivation(r, info, deact_layer, deact_neuron, deact_value, n_deact);
        r.deact_all_positions = deact_all_positions != 0;
        r.deact_seq_mask = deact_seq_mask;

        // only a run that captures something may stop early: without captures, a run is for
        // its side effects (a deactivated forward pass), which need the whole graph
        r.stop_early = n_slots > 0;
        for (const auto & node : s->nodes) {
            if (wanted(r, node.second)) r.pending++;
        }

        fill_batch(s, tokens, r, r.all_positions);
        const tn::activity doing("decoding " + std::to_string(n_seq) + " sentences (" + std::to_string(r.n_tokens) +
            " tokens) with " + s->model->path);
        s->run = &r;
        const int32_t rc = decode(s);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(r.failure_code, r.failure);
        const bool aborted_on_purpose = rc == 2 && r.stopped;
        if (rc != 0 && !aborted_on_purpose) throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed with code " + std::to_string(rc)));
        for (int32_t k = 0; k < n_slots; k++) {
            if (!r.slot_filled[k]) {
                throw error(TN_ERR_CAPTURE, std::string("no ") + kind_name(slot_kind[k]) + " node for layer " +
                    std::to_string(slot_layer[k]) + " in llama.cpp's graph for architecture " + s->model->architecture);
            }
        }
        check_deactivated(r);
    });
}

int32_t tn_session_continue(tn_session * s, const int32_t * tokens, int32_t n, int32_t pos, float * logits,
                            const int32_t * deact_layer, const int32_t * deact_neuron,
                            const float * deact_value, int32_t n_deact) {
    return tn::guard([&] {
        if (s == nullptr || tokens == nullptr || logits == nullptr) throw error(TN_ERR_ARG, "null argument");
        const tn_model_info & info = s->model->info;
        if (n < 1) throw error(TN_ERR_ARG, "nothing to decode");
        if (pos < 0 || (int64_t) pos + n > s->n_ctx) {
            throw error(TN_ERR_ARG, "positions " + std::to_string(pos) + ".." + std::to_string((int64_t) pos + n - 1) +
                " do not fit the context of " + std::to_string(s->n_ctx) + " tokens");
        }
        if (pos > 0) {
            const llama_pos last = llama_memory_seq_pos_max(llama_get_memory(s->ctx), 0);
            if (last != pos - 1) {
                throw error(TN_ERR_ARG, "continuing at position " + std::to_string(pos) + " but " +
                    std::to_string(last + 1) + " tokens were decoded");
            }
        }
        check_tokens(tokens, n, info.n_vocab);
        run_state r;
        r.n_seq = 1;
        r.n_tokens = n;
        r.n_outputs = 1;
        r.seq_start = { 0 };
        r.seq_len = { n };
        r.slots.assign(TN_KIND_GATE_POSITIVE + 1, std::vector<std::vector<int32_t>>(info.n_layer + 1));
        set_deactivation(r, info, deact_layer, deact_neuron, deact_value, n_deact);
        r.deact_all_positions = true;

        llama_batch & b = s->batch;
        b.n_tokens = n;
        for (int32_t i = 0; i < n; i++) {
            b.token[i] = tokens[i];
            b.pos[i] = pos + i;
            b.n_seq_id[i] = 1;
            b.seq_id[i][0] = 0;
            b.logits[i] = i == n - 1;
        }
        const tn::activity doing("decoding " + std::to_string(n) + " tokens at position " + std::to_string(pos) +
            " with " + s->model->path);
        s->run = &r;
        const int32_t rc = decode(s, pos == 0);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(r.failure_code, r.failure);
        if (rc != 0) throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed with code " + std::to_string(rc)));
        check_deactivated(r);
        const float * out = llama_get_logits_ith(s->ctx, -1);
        if (out == nullptr) throw error(TN_ERR_DECODE, "llama.cpp returned no logits");
        try {
            check_finite(out, info.n_vocab, -1, -1, 0, "the logits");
        } catch (const nonfinite_error & e) {
            s->nonfinite = e.at;
            throw;
        }
        std::copy(out, out + info.n_vocab, logits);
    });
}

} // extern "C"
