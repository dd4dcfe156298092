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
    // generation (tn_session_decode): per batch row, whether the neurons are off there and
    // whether the row is an output; replaces the per-sentence rules above when non-empty
    std::vector<uint8_t> deact_row;
    std::vector<uint8_t> output_row;
    std::vector<float> row;   // scratch row for deactivation
    // early stop: once the last wanted node is done, the rest of the graph (later layers, the
    // output head) cannot change what this run returns, so it is skipped
    int32_t pending = 0;      // wanted nodes not yet seen
    bool    stop_early = false;
    bool    stopped = false;
    // the first failure inside the callback, reported after llama_decode returns
    std::string failure;
};

} // namespace

struct tn_session {
    tn_model *      model = nullptr;
    llama_context * ctx   = nullptr;
    llama_batch     batch{};
    int32_t         n_ctx = 0;
    int32_t         n_seq_max = 0;
    // a generation session (tn_session_open_generation): one KV stream per sequence, decode
    // calls of at most n_batch rows; n_ctx is then each sequence's context
    bool            generation = false;
    int32_t         n_batch = 0;
    bool            discovering = false;
    std::vector<std::string> act_name;                 // [layer] -> the down projection's input node
    std::unordered_map<std::string, node_id> nodes;    // graph node name -> what it is
    run_state *     run = nullptr;

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

// Copies n rows of width floats from (or, with write, to) a node's tensor, starting at row.
void copy_rows(ggml_tensor * t, int64_t row, int64_t n, int32_t width, float * buf, bool write) {
    const size_t row_bytes = (size_t) width * sizeof(float);
    const bool contiguous = t->nb[1] == row_bytes;
    for (int64_t r = 0; r < (contiguous ? 1 : n); r++) {
        const size_t offset = (row + r) * t->nb[1], bytes = contiguous ? row_bytes * n : row_bytes;
        if (write) {
            ggml_backend_tensor_set(t, buf + r * width, offset, bytes);
        } else {
            ggml_backend_tensor_get(t, buf + r * width, offset, bytes);
        }
    }
}

void read_rows(const ggml_tensor * t, int64_t row, int64_t n, int32_t width, float * dst) {
    copy_rows(const_cast<ggml_tensor *>(t), row, n, width, dst, false);
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

// Generation: the neurons go off in the rows flagged in deact_row; a tensor that holds the
// output rows only (the last layer's) holds the flagged rows among them. Rows of host memory are
// written in place; on a device, each run of consecutive flagged rows is copied out and back
// once, since a copy per row or per neuron would cost more than the layer itself.
void deactivate_rows(tn_session * s, run_state & r, ggml_tensor * t, int32_t layer, bool by_output) {
    const int32_t width = s->width(TN_KIND_ACT);
    const bool host = t->buffer != nullptr && ggml_backend_buffer_is_host(t->buffer);
    const auto & off = r.deact[layer];
    int64_t row = 0;       // the tensor's row of batch row i
    int64_t run_start = -1; // the first tensor row of the current run of flagged rows
    auto flush = [&](int64_t end) {
        if (run_start < 0) return;
        const int64_t n = end - run_start;
        r.row.resize((size_t) n * width);
        read_rows(t, run_start, n, width, r.row.data());
        for (int64_t k = 0; k < n; k++) {
            for (const auto & e : off) r.row[(size_t) k * width + e.neuron] = e.value;
        }
        copy_rows(t, run_start, n, width, r.row.data(), true);
        run_start = -1;
    };
    for (int32_t i = 0; i < r.n_tokens; i++) {
        if (by_output && !r.output_row[i]) continue;
        if (r.deact_row[i]) {
            if (host) {
                auto * x = reinterpret_cast<float *>(static_cast<char *>(t->data) + row * t->nb[1]);
                for (const auto & e : off) x[e.neuron] = e.value;
            } else if (run_start < 0) {
                run_start = row;
            }
        } else {
            flush(row);
        }
        row++;
    }
    flush(row);
    r.deact_done[layer] = true;
}

void deactivate(tn_session * s, run_state & r, ggml_tensor * t, int32_t layer, bool by_output) {
    if (!r.deact_row.empty()) {
        deactivate_rows(s, r, t, layer, by_output);
        return;
    }
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
void count_positive(run_state & r, const ggml_tensor * t, int32_t width, bool by_output, float * dst) {
    for (int32_t q = 0; q < r.n_seq; q++) {
        int64_t first, n;
        sentence_rows(r, by_output, r.all_positions, r.skip_first, q, first, n);
        r.row.resize((size_t) n * width);
        read_rows(t, first, n, width, r.row.data());
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
                count_positive(r, t, width, by_output, dst);
            } else {
                for (int32_t q = 0; q < r.n_seq; q++) {
                    int64_t first, n;
                    sentence_rows(r, by_output, r.all_positions, r.skip_first, q, first, n);
                    read_rows(t, first, n, width, dst);
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

llama_context_params tn::context_params(int32_t n_ctx, int32_t n_batch, int32_t n_seq_max, bool unified, int32_t n_threads,
                                        bool kv_f32) {
    llama_context_params params = llama_context_default_params();
    params.n_ctx = (uint32_t) n_ctx;
    params.n_batch = (uint32_t) n_batch;
    params.n_ubatch = (uint32_t) n_batch;
    params.n_seq_max = (uint32_t) n_seq_max;
    params.kv_unified = unified;
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
    return params;
}

namespace {

// Creates the llama.cpp context of a session whose model, n_seq_max and n_batch are set, then
// finds each layer's activation node with a one-token warm-up pass.
void open_context(tn_session * s, int32_t n_threads, int32_t n_ctx_total, bool unified, bool kv_f32) {
    s->act_name.resize(s->model->info.n_layer);
    llama_context_params params = tn::context_params(n_ctx_total, s->n_batch, s->n_seq_max, unified, n_threads, kv_f32);
    params.cb_eval = eval_callback;
    params.cb_eval_user_data = s;

    params.abort_callback = abort_callback;
    params.abort_callback_data = s;

    tn::forget_log();
    s->ctx = llama_init_from_model(s->model->model, params);
    if (s->ctx == nullptr) {
        throw error(TN_ERR_MODEL, tn::with_log("llama.cpp could not create a context for " + s->model->path));
    }
    s->batch = llama_batch_init(s->n_batch, 0, 1);

    s->discovering = true;
    s->batch.n_tokens = 1;
    s->batch.token[0] = 0;
    s->batch.pos[0] = 0;
    s->batch.n_seq_id[0] = 1;
    s->batch.seq_id[0][0] = 0;
    s->batch.logits[0] = 1;
    const int32_t rc = decode(s);
    s->discovering = false;
    if (rc != 0) {
        throw error(TN_ERR_DECODE, tn::with_log("warm-up decode failed with code " + std::to_string(rc)));
    }
    index_nodes(s);
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
        s->n_batch = n_ctx; // one ubatch per decode: callback rows are batch rows
        // a unified cache keeps the batch's token order in the ubatch
        open_context(s.get(), n_threads, n_ctx, true, kv_f32 != 0);
        *out = s.release();
    });
}

int32_t tn_session_open_generation(tn_model * model, int32_t n_threads, int32_t n_ctx_seq, int32_t n_seq,
                                   int32_t n_batch, int32_t kv_f32, tn_session ** out) {
    return tn::guard([&] {
        if (out == nullptr || model == nullptr) throw error(TN_ERR_ARG, "null argument");
        *out = nullptr;
        if (n_ctx_seq < 1) throw error(TN_ERR_ARG, "context size must be positive, is " + std::to_string(n_ctx_seq));
        if (n_seq < 1 || n_seq > 256) throw error(TN_ERR_ARG, "sequences must be 1..256, is " + std::to_string(n_seq));
        if (n_batch < n_seq) {
            throw error(TN_ERR_ARG, "a decode call of " + std::to_string(n_batch) + " rows cannot step " +
                std::to_string(n_seq) + " sequences at once");
        }
        if ((int64_t) n_ctx_seq * n_seq > INT32_MAX) throw error(TN_ERR_ARG, "context too large");
        auto s = std::make_unique<tn_session>();
        s->model = model;
        s->generation = true;
        s->n_ctx = n_ctx_seq;
        s->n_seq_max = n_seq;
        s->n_batch = n_batch;
        // one KV stream per sequence (llama.cpp's default): a sequence attends over its own cells
        // only, laid out as if it ran alone
        open_context(s.get(), n_threads, n_ctx_seq * n_seq, false, kv_f32 != 0);
        *out = s.release();
    });
}

void tn_session_close(tn_session * session) {
    delete session;
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
        s->run = &r;
        const int32_t rc = decode(s);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(TN_ERR_CAPTURE, r.failure);
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

int32_t tn_session_decode(tn_session * s, const int32_t * tokens, const int32_t * seq, const int32_t * pos,
                          const uint8_t * off, const uint8_t * output, int32_t n_rows,
                          const int32_t * deact_layer, const int32_t * deact_neuron, const float * deact_value,
                          int32_t n_deact, int32_t * best, float * margin) {
    return tn::guard([&] {
        if (s == nullptr || tokens == nullptr || seq == nullptr || pos == nullptr || off == nullptr || output == nullptr ||
            best == nullptr || margin == nullptr) {
            throw error(TN_ERR_ARG, "null argument");
        }
        if (!s->generation) throw error(TN_ERR_ARG, "not a generation session (tn_session_open_generation)");
        const tn_model_info & info = s->model->info;
        if (n_rows < 1 || n_rows > s->n_batch) {
            throw error(TN_ERR_ARG, std::to_string(n_rows) + " rows; a decode call takes 1.." + std::to_string(s->n_batch));
        }
        check_tokens(tokens, n_rows, info.n_vocab);
        llama_memory_t memory = llama_get_memory(s->ctx);
        // Each sequence's rows come together, at consecutive positions that continue what its
        // stream holds (position 0 starts it afresh). llama.cpp splits a batch of several
        // streams into ubatches of equal rows per sequence and consecutive sequence ids; such
        // a batch is one ubatch, in batch order, so the callback's rows are the batch's rows.
        int32_t groups = 0, group_rows = -1, prev_seq = -1;
        for (int32_t i = 0; i < n_rows; ) {
            const int32_t q = seq[i];
            if (q < 0 || q >= s->n_seq_max) {
                throw error(TN_ERR_ARG, "row " + std::to_string(i) + ": sequence " + std::to_string(q) + " is outside 0.." +
                    std::to_string(s->n_seq_max - 1));
            }
            if (groups > 0 && q != prev_seq + 1) {
                throw error(TN_ERR_ARG, "row " + std::to_string(i) + ": sequence " + std::to_string(q) + " follows sequence " +
                    std::to_string(prev_seq) + "; a decode call's sequences must be consecutive and ascending");
            }
            int32_t j = i;
            while (j < n_rows && seq[j] == q) {
                if (pos[j] != pos[i] + (j - i)) {
                    throw error(TN_ERR_ARG, "row " + std::to_string(j) + ": position " + std::to_string(pos[j]) + " of sequence " +
                        std::to_string(q) + " does not follow position " + std::to_string(pos[j - 1]));
                }
                j++;
            }
            if (groups > 0 && j - i != group_rows) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + " has " + std::to_string(j - i) + " rows, sequence " +
                    std::to_string(prev_seq) + " " + std::to_string(group_rows) + "; a decode call gives every sequence as many");
            }
            if ((int64_t) pos[j - 1] >= s->n_ctx || pos[i] < 0) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + ": positions " + std::to_string(pos[i]) + ".." +
                    std::to_string(pos[j - 1]) + " do not fit its context of " + std::to_string(s->n_ctx) + " tokens");
            }
            const llama_pos last = llama_memory_seq_pos_max(memory, q);
            if (pos[i] > 0 && last != pos[i] - 1) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + " continues at position " + std::to_string(pos[i]) +
                    " but holds " + std::to_string(last + 1) + " tokens");
            }
            group_rows = j - i;
            prev_seq = q;
            groups++;
            i = j;
        }
        for (int32_t i = 0; i < n_rows; ) {
            const int32_t q = seq[i];
            if (pos[i] == 0) llama_memory_seq_rm(memory, q, -1, -1);
            while (i < n_rows && seq[i] == q) i++;
        }

        run_state r;
        r.n_seq = groups;
        r.n_tokens = n_rows;
        r.slots.assign(TN_KIND_GATE_POSITIVE + 1, std::vector<std::vector<int32_t>>(info.n_layer + 1));
        set_deactivation(r, info, deact_layer, deact_neuron, deact_value, n_deact);
        r.deact_row.assign(off, off + n_rows);
        r.output_row.assign(output, output + n_rows);
        bool any_off = false;
        for (int32_t i = 0; i < n_rows; i++) {
            r.n_outputs += output[i] ? 1 : 0;
            any_off |= off[i] != 0;
        }
        if (r.n_outputs == 0) throw error(TN_ERR_ARG, "no output row");
        if (!any_off) set_deactivation(r, info, nullptr, nullptr, nullptr, 0); // nothing to ask the graph for

        llama_batch & b = s->batch;
        b.n_tokens = n_rows;
        for (int32_t i = 0; i < n_rows; i++) {
            b.token[i] = tokens[i];
            b.pos[i] = pos[i];
            b.n_seq_id[i] = 1;
            b.seq_id[i][0] = seq[i];
            b.logits[i] = output[i] != 0;
        }
        s->run = &r;
        const int32_t rc = decode(s, false);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(TN_ERR_CAPTURE, r.failure);
        if (rc != 0) throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed with code " + std::to_string(rc)));
        check_deactivated(r);
        // the greedy choice of each output row: the largest logit, the lowest id among equals
        // (as llama.cpp's greedy sampler), and its lead over the runner-up
        for (int32_t i = 0, k = 0; i < n_rows; i++) {
            if (!output[i]) continue;
            const float * x = llama_get_logits_ith(s->ctx, i);
            if (x == nullptr) throw error(TN_ERR_DECODE, "llama.cpp returned no logits for row " + std::to_string(i));
            int32_t top = 0;
            float first = x[0], second = -INFINITY;
            for (int32_t v = 1; v < info.n_vocab; v++) {
                if (x[v] > first) {
                    second = first;
                    first = x[v];
                    top = v;
                } else if (x[v] > second) {
                    second = x[v];
                }
            }
            best[k] = top;
            margin[k] = first - second;
            k++;
        }
    });
}

} // extern "C"
