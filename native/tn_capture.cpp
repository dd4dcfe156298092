// Sessions: batched forward passes whose graph evaluation callback copies out the tensors the
// transfer-neuron method needs and, before the down projection, overwrites chosen activations.
//
// Which graph node holds what comes from the model's row of the architecture table
// (tn_arch.cpp), never from guesses at run time. A one-token warm-up pass at session start
// checks the row against the graph llama.cpp really builds: that the mat-mul with
// blk.N.ffn_down.weight reads the row's activation node, that the MLP output is that mat-mul
// (plus a bias), and that it joins the residual stream by plain addition, to x_l where a node
// holds x_l. A row that does not match the graph is an error before anything runs.
#include "tn_arch.h"
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
#include <unordered_set>
#include <vector>

using tn::error;

namespace {

// What a graph node is to the method.
enum class role {
    embd,       // the embedding output (EMBD)
    x,          // a node holding x_l (FFN_INP)
    act,        // a_l (ACT, ACT_POSITIVE; deactivation)
    h,          // h_l (L_OUT; FFN_INP for TN_X_SUBTRACT rows)
    final_norm, // RESULT_NORM
    gate,       // the gate projection (GATE_POSITIVE)
    mlp_out,    // the MLP output, kept to subtract from h_l (TN_X_SUBTRACT rows)
};

struct node_id {
    role    what;
    int32_t layer; // -1 for embd and final_norm
};

struct deact_entry {
    int32_t neuron;
    float   value;
};

// Everything one tn_session_run needs inside the callback.
struct run_state {
    // the batch
    int32_t              n_seq = 0;
    int32_t              n_tokens = 0;
    int32_t              n_outputs = 0;
    bool                 all_positions = false;
    bool                 skip_first = false; // captures leave out each sentence's first token (a BOS)
    std::vector<int32_t> seq_start;          // first batch index of each sentence
    std::vector<int32_t> seq_len;
    // capture: slots per kind and layer
    std::vector<std::vector<std::vector<int32_t>>> slots; // [kind][layer + 1] -> slot indices
    const int64_t *                                slot_offset = nullptr;
    std::vector<int32_t>                           slot_filled;
    float *                                        out = nullptr;
    int64_t                                        value_rows = 0; // rows of a value capture (all sentences)
    std::vector<std::vector<float>>                mlp_out;        // [layer]: the MLP output's rows, for x_l = h_l - it
    // deactivation
    std::vector<std::vector<deact_entry>> deact; // [layer]
    std::vector<bool>                     deact_done;
    bool                                  deact_all_positions = false;
    // generation (tn_session_decode): per batch row, whether the neurons are off there and
    // whether the row is an output; replaces the per-sentence rules above when non-empty
    std::vector<uint8_t> deact_row;
    std::vector<uint8_t> output_row;
    std::vector<float>   row; // scratch rows
    // early stop: once the last wanted node is done, the rest of the graph (later layers, the
    // output head) cannot change what this run returns, so it is skipped
    int32_t pending = 0; // wanted nodes not yet seen
    bool    stop_early = false;
    bool    stopped = false;
    // the first failure inside the callback, reported after llama_decode returns
    std::string failure;
    int32_t     failure_code = TN_ERR_CAPTURE;

    bool has(int32_t kind, int32_t layer) const { return !slots[kind][layer + 1].empty(); }
};

// What the warm-up pass finds of one layer.
struct layer_graph {
    std::string         act;            // the name of the down projection's input
    const ggml_tensor * down = nullptr; // the mat-mul with the value tensor
    std::string         mismatch;       // how the graph differs from the table, "" if it does not
};

// Where a captured value was NaN or infinite: what tn_session_nonfinite reports.
struct nonfinite_at {
    int32_t kind = -1; // a tn_kind, or -1 for the logits of tn_session_decode
    int32_t layer = -1;
    int32_t seq = -1; // the sentence's (sequence's) index in the batch
};

} // namespace

struct tn_session {
    tn_model *      model = nullptr;
    llama_context * ctx = nullptr;
    llama_batch     batch{};
    int32_t         n_ctx = 0;
    int32_t         n_seq_max = 0;
    // a generation session (tn_session_open_generation): one KV stream per sequence, decode
    // calls of at most n_batch rows; n_ctx is then each sequence's context
    bool                                     generation = false;
    int32_t                                  n_batch = 0;
    bool                                     discovering = false;
    std::vector<layer_graph>                 found; // [layer], from the warm-up pass
    std::unordered_set<std::string>          seen;  // every node name of the warm-up graph
    std::unordered_map<std::string, node_id> nodes; // graph node name -> what it is
    run_state *                              run = nullptr;
    nonfinite_at                             nonfinite; // of the last run that failed with TN_ERR_NONFINITE
    // exact flash attention (see exact_flash_attention): on, and why a graph could not have it
    bool        f32_flash = false;
    std::string flash_failure;

    ~tn_session() {
        if (batch.token) llama_batch_free(batch);
        if (ctx) llama_free(ctx);
    }

    const tn_arch & arch() const { return *model->arch; }

    int32_t width(role what) const {
        return what == role::act || what == role::gate ? model->info.n_ff : model->info.n_embd;
    }
};

namespace {

const char * kind_name(int32_t kind) {
    switch (kind) {
        case TN_KIND_EMBD: return "embd";
        case TN_KIND_FFN_INP: return "x_l (ffn_inp)";
        case TN_KIND_ACT: return "activation";
        case TN_KIND_L_OUT: return "l_out";
        case TN_KIND_RESULT_NORM: return "result_norm";
        case TN_KIND_ACT_POSITIVE: return "activation sign count";
        case TN_KIND_GATE_POSITIVE: return "gate sign count";
        default: return "?";
    }
}

const char * role_name(role what) {
    switch (what) {
        case role::embd: return "embd";
        case role::x: return "x_l";
        case role::act: return "activation";
        case role::h: return "l_out";
        case role::final_norm: return "result_norm";
        case role::gate: return "gate projection";
        case role::mlp_out: return "MLP output";
    }
    return "?";
}

bool per_layer(int32_t kind) {
    return kind != TN_KIND_EMBD && kind != TN_KIND_RESULT_NORM;
}

bool subtracts(const tn_arch & a) {
    return a.x_source == TN_X_SUBTRACT;
}

std::string layer_node(const char * name, int32_t layer) {
    return std::string(name) + "-" + std::to_string(layer);
}

// The layer of a node named "<prefix>-<layer>", or -1.
int32_t layer_of(const char * name, const char * prefix) {
    const size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || name[n] != '-') return -1;
    char *     end = nullptr;
    const long l = strtol(name + n + 1, &end, 10);
    return end != name + n + 1 && *end == '\0' && l >= 0 ? (int32_t) l : -1;
}

// Whether the graph builder left a node unnamed: ggml then calls it "node_<index>".
bool unnamed(const ggml_tensor * t) {
    const char * n = t->name;
    if (n[0] == '\0') return true;
    if (strncmp(n, "node_", 5) != 0 || n[5] == '\0') return false;
    for (const char * c = n + 5; *c; c++) {
        if (*c < '0' || *c > '9') return false;
    }
    return true;
}

// The terms of a sum as the graph builds it: descends through additions the builder left
// unnamed (a named node is a term in its own right).
void sum_terms(const ggml_tensor * t, std::vector<const ggml_tensor *> & terms, bool top = true) {
    if (t->op == GGML_OP_ADD && (top || unnamed(t))) {
        sum_terms(t->src[0], terms, false);
        sum_terms(t->src[1], terms, false);
    } else {
        terms.push_back(t);
    }
}

// How layer l's output is built from its MLP output, "" when as the table says: by addition,
// to x_node-l alone (TN_X_NODE) or to other terms (TN_X_SUBTRACT).
std::string check_join(const tn_arch & a, const ggml_tensor * h, int32_t l) {
    const std::string mlp_out = layer_node(a.mlp_out_node, l);
    const std::string where = "'" + std::string(h->name) + "'";
    if (h->op != GGML_OP_ADD) return where + " is not a sum (" + ggml_op_desc(h) + ")";
    std::vector<const ggml_tensor *> terms;
    sum_terms(h, terms);
    int32_t     n_mlp = 0;
    std::string names;
    for (const ggml_tensor * t : terms) {
        n_mlp += mlp_out == t->name;
        names += (names.empty() ? "'" : ", '") + std::string(t->name) + "'";
    }
    if (n_mlp != 1)
        return where + " is the sum of " + names + ", not of the MLP output '" + mlp_out + "' and the residual";
    if (a.x_source == TN_X_NODE) {
        const std::string x = layer_node(a.x_node, l);
        if (terms.size() != 2 || (x != terms[0]->name && x != terms[1]->name)) {
            return where + " is the sum of " + names + ", not of '" + mlp_out + "' and '" + x + "'";
        }
    }
    return "";
}

// During discovery: what the table's claims rest on, layer by layer.
void discover(tn_session * s, const ggml_tensor * t) {
    const tn_arch & a = s->arch();
    const int32_t   n_layer = (int32_t) s->found.size();
    s->seen.insert(t->name);
    int  layer = -1;
    char weight[GGML_MAX_NAME] = {0};
    if (t->op == GGML_OP_MUL_MAT && t->src[0] != nullptr && t->src[1] != nullptr &&
        sscanf(t->src[0]->name, "blk.%d.%63s", &layer, weight) == 2 &&
        std::string(weight) == std::string(a.value_tensor) + ".weight" && layer >= 0 && layer < n_layer) {
        s->found[layer].act = t->src[1]->name;
        s->found[layer].down = t;
    }
    if ((layer = layer_of(t->name, a.mlp_out_node)) >= 0 && layer < n_layer) {
        const ggml_tensor * down = s->found[layer].down;
        const bool          plain = down != nullptr && (t == down || (t->op == GGML_OP_ADD && t->src[0] == down));
        if (!plain) {
            s->found[layer].mismatch = "'" + std::string(t->name) + "' is not the down projection (plus a bias)";
        }
    }
    if ((layer = layer_of(t->name, a.h_node)) >= 0 && layer < n_layer && s->found[layer].mismatch.empty()) {
        s->found[layer].mismatch = check_join(a, t, layer);
    }
}

// After discovery: every node the row names exists and is what the row says; then the index
// of the nodes runs ask for.
void index_nodes(tn_session * s) {
    const tn_arch &   a = s->arch();
    const int32_t     n_layer = s->model->info.n_layer;
    const std::string table = "llama.cpp's graph for architecture " + std::string(a.name) +
                              " differs from tn's architecture table (native/tn_arch.cpp): ";
    auto              require = [&](const std::string & name, role what, int32_t layer) {
        if (!s->seen.count(name)) throw error(TN_ERR_MODEL, table + "no node '" + name + "' (" + role_name(what) + ")");
        if (s->nodes.count(name)) {
            throw error(TN_ERR_MODEL, table + "node '" + name + "' would serve two roles; it cannot be captured");
        }
        s->nodes[name] = {what, layer};
    };
    require("embd", role::embd, -1);
    require(a.final_norm_node, role::final_norm, -1);
    for (int32_t l = 0; l < n_layer; l++) {
        const layer_graph & g = s->found[l];
        const std::string   act = layer_node(a.act_node, l);
        if (g.down == nullptr) {
            throw error(TN_ERR_MODEL, table + "layer " + std::to_string(l) + " has no mat-mul with blk." +
                                          std::to_string(l) + "." + a.value_tensor + ".weight");
        }
        if (g.act != act) {
            throw error(TN_ERR_MODEL, table + "the down projection of layer " + std::to_string(l) + " reads '" + g.act +
                                          "', not '" + act + "'");
        }
        if (!g.mismatch.empty()) throw error(TN_ERR_MODEL, table + g.mismatch);
        require(act, role::act, l);
        require(layer_node(a.h_node, l), role::h, l);
        require(layer_node(a.mlp_out_node, l), role::mlp_out, l);
        if (a.x_source == TN_X_NODE) require(layer_node(a.x_node, l), role::x, l);
        if (a.gate_node) require(layer_node(a.gate_node, l), role::gate, l);
    }
}

// Copies n rows of width floats from (or, with write, to) a node's tensor, starting at row.
void copy_rows(ggml_tensor * t, int64_t row, int64_t n, int32_t width, float * buf, bool write) {
    const size_t row_bytes = (size_t) width * sizeof(float);
    const bool   contiguous = t->nb[1] == row_bytes;
    for (int64_t r = 0; r < (contiguous ? 1 : n); r++) {
        const size_t offset = (row + r) * t->nb[1], bytes = contiguous ? row_bytes * n : row_bytes;
        if (write) {
            ggml_backend_tensor_set(t, buf + r * width, offset, bytes);
        } else {
            ggml_backend_tensor_get(t, buf + r * width, offset, bytes);
        }
    }
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
            throw nonfinite_error({kind, layer, seq}, std::string(std::isnan(x[i]) ? "NaN" : "an infinite value") +
                                                          " in " + what +
                                                          (layer >= 0 ? " of layer " + std::to_string(layer) : "") +
                                                          " for sentence " + std::to_string(seq) + " of the batch");
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
    const int32_t width = s->width(role::act);
    const bool    host = t->buffer != nullptr && ggml_backend_buffer_is_host(t->buffer);
    const auto &  off = r.deact[layer];
    int64_t       row = 0;        // the tensor's row of batch row i
    int64_t       run_start = -1; // the first tensor row of the current run of flagged rows
    auto          flush = [&](int64_t end) {
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
    const int32_t width = s->width(role::act);
    r.row.resize(width);
    for (int32_t q = 0; q < r.n_seq; q++) {
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

// Every sentence's rows at the captured positions, back to back, each checked to be finite (a
// failure is named as kind of layer).
void gather(const run_state & r, const ggml_tensor * t, int32_t width, bool by_output, int32_t kind, int32_t layer,
            float * dst) {
    for (int32_t q = 0; q < r.n_seq; q++) {
        int64_t first, n;
        sentence_rows(r, by_output, r.all_positions, r.skip_first, q, first, n);
        read_rows(t, first, n, width, dst);
        check_finite(dst, n * width, kind, layer, q, kind_name(kind));
        dst += n * width;
    }
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

// Copies the node into every slot of kind at its layer.
void fill_slots(run_state & r, int32_t kind, int32_t layer, const ggml_tensor * t, int32_t width, bool by_output) {
    for (int32_t k : r.slots[kind][layer + 1]) {
        float * dst = r.out + r.slot_offset[k];
        if (kind == TN_KIND_ACT_POSITIVE || kind == TN_KIND_GATE_POSITIVE) {
            count_positive(r, t, width, by_output, kind, layer, dst);
        } else {
            gather(r, t, width, by_output, kind, layer, dst);
        }
        r.slot_filled[k] = 1;
    }
}

// x_l = h_l - MLP output, for the rows kept when the MLP output was computed.
void fill_x_by_subtraction(run_state & r, int32_t layer, const ggml_tensor * h, int32_t width, bool by_output) {
    const std::vector<float> & mlp = r.mlp_out[layer];
    for (int32_t k : r.slots[TN_KIND_FFN_INP][layer + 1]) {
        float * dst = r.out + r.slot_offset[k];
        gather(r, h, width, by_output, TN_KIND_FFN_INP, layer, dst);
        for (size_t i = 0; i < mlp.size(); i++) dst[i] -= mlp[i];
        r.slot_filled[k] = 1;
    }
}

bool wanted(const tn_session * s, const run_state & r, node_id id) {
    const int32_t l = id.layer;
    switch (id.what) {
        case role::embd: return r.has(TN_KIND_EMBD, l);
        case role::x: return r.has(TN_KIND_FFN_INP, l);
        case role::act: return r.has(TN_KIND_ACT, l) || r.has(TN_KIND_ACT_POSITIVE, l) || !r.deact[l].empty();
        case role::h: return r.has(TN_KIND_L_OUT, l) || (subtracts(s->arch()) && r.has(TN_KIND_FFN_INP, l));
        case role::final_norm: return r.has(TN_KIND_RESULT_NORM, l);
        case role::gate: return r.has(TN_KIND_GATE_POSITIVE, l);
        case role::mlp_out: return subtracts(s->arch()) && r.has(TN_KIND_FFN_INP, l);
    }
    return false;
}

void on_node(tn_session * s, run_state & r, ggml_tensor * t, node_id id) {
    const int32_t     width = s->width(id.what);
    const std::string where = std::string(role_name(id.what)) +
                              (id.layer >= 0 ? " of layer " + std::to_string(id.layer) : "") + " (node '" + t->name +
                              "')";
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
                                        std::to_string(r.n_tokens) + " tokens or " + std::to_string(r.n_outputs) +
                                        " outputs");
    }
    const int32_t l = id.layer;
    switch (id.what) {
        case role::embd: fill_slots(r, TN_KIND_EMBD, l, t, width, by_output); break;
        case role::x: fill_slots(r, TN_KIND_FFN_INP, l, t, width, by_output); break;
        case role::final_norm: fill_slots(r, TN_KIND_RESULT_NORM, l, t, width, by_output); break;
        case role::gate: fill_slots(r, TN_KIND_GATE_POSITIVE, l, t, width, by_output); break;
        case role::act:
            if (!r.deact[l].empty()) deactivate(s, r, t, l, by_output);
            fill_slots(r, TN_KIND_ACT, l, t, width, by_output);
            fill_slots(r, TN_KIND_ACT_POSITIVE, l, t, width, by_output);
            break;
        case role::mlp_out:
            r.mlp_out[l].resize((size_t) r.value_rows * width);
            gather(r, t, width, by_output, TN_KIND_FFN_INP, l, r.mlp_out[l].data());
            break;
        case role::h:
            fill_slots(r, TN_KIND_L_OUT, l, t, width, by_output);
            if (subtracts(s->arch())) fill_x_by_subtraction(r, l, t, width, by_output);
            break;
    }
}

// llama.cpp's graph casts an F32 K and V to F16 before flash attention (for its GPU kernels),
// which would round them as an F16 cache does; the CPU kernel takes F32 K and V as they are, with
// F32 accumulation. Before the attention node runs (the scheduler asks about each node before it
// computes it), its K and V operands are pointed back at the F32 views of the cache the casts
// read; the casts still run, their results unread. Exactness rests on this, so an attention node
// whose K or V is not F32 afterwards fails the run.
void exact_flash_attention(tn_session * s, ggml_tensor * t) {
    for (int i = 1; i <= 2; i++) {
        ggml_tensor * operand = t->src[i];
        if (operand->type == GGML_TYPE_F16 && operand->op == GGML_OP_CPY && operand->src[0]->type == GGML_TYPE_F32 &&
            operand->src[0]->view_src != nullptr) {
            t->src[i] = operand->src[0];
        }
    }
    if (t->src[1]->type != GGML_TYPE_F32 || t->src[2]->type != GGML_TYPE_F32) {
        s->flash_failure = std::string("flash attention node '") + t->name + "' reads K as " +
                           ggml_type_name(t->src[1]->type) + " and V as " + ggml_type_name(t->src[2]->type) +
                           ", not the F32 cache";
    }
}

bool eval_callback(ggml_tensor * t, bool ask, void * user_data) {
    auto * s = static_cast<tn_session *>(user_data);
    if (ask && s->f32_flash && t->op == GGML_OP_FLASH_ATTN_EXT) exact_flash_attention(s, t);
    if (s->discovering) {
        if (ask) discover(s, t);
        return ask ? false : true;
    }
    run_state * r = s->run;
    if (r == nullptr) return ask ? false : true;
    auto it = s->nodes.find(t->name);
    if (it == s->nodes.end() || !wanted(s, *r, it->second)) {
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
        if (deact_layer[j] < 0 || deact_layer[j] >= info.n_layer || deact_neuron[j] < 0 ||
            deact_neuron[j] >= info.n_ff) {
            throw error(TN_ERR_ARG, "deactivation of (layer " + std::to_string(deact_layer[j]) + ", neuron " +
                                        std::to_string(deact_neuron[j]) + ") is outside the model's " +
                                        std::to_string(info.n_layer) + " x " + std::to_string(info.n_ff) + " neurons");
        }
        r.deact[deact_layer[j]].push_back({deact_neuron[j], deact_value[j]});
    }
}

// Every layer holding a deactivation must have run it; a graph without the node would
// silently leave the neurons on.
void check_deactivated(const run_state & r) {
    for (size_t l = 0; l < r.deact.size(); l++) {
        if (!r.deact[l].empty() && !r.deact_done[l]) {
            throw error(TN_ERR_CAPTURE, "the activation of layer " + std::to_string(l) +
                                            " was never computed; deactivation not applied");
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
    s->flash_failure.clear();
    const int32_t rc = llama_decode(s->ctx, s->batch);
    if (!s->flash_failure.empty()) {
        s->run = nullptr;
        throw error(TN_ERR_INTERNAL, s->flash_failure);
    }
    return rc;
}

} // namespace

llama_context_params tn::context_params(int32_t n_ctx, int32_t n_batch, int32_t n_seq_max, bool unified,
                                        int32_t n_threads, bool kv_f32, bool f32_flash) {
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
        // exact attention: without exact_flash_attention, flash attention would cast K and V to F16
        params.type_k = GGML_TYPE_F32;
        params.type_v = GGML_TYPE_F32;
        params.flash_attn_type = f32_flash ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED;
    }
    return params;
}

namespace {

// Creates the llama.cpp context of a session whose model, n_seq_max and n_batch are set, then
// checks the architecture's row against the graph with a one-token warm-up pass.
void open_context(tn_session * s, int32_t n_threads, int32_t n_ctx_total, bool unified, bool kv_f32) {
    s->found.resize(s->model->info.n_layer);
    // flash attention skips the blocks of the mask that keep a batch's sentences apart, which plain
    // attention multiplies through; the CPU kernel is the one that takes F32 K and V
    s->f32_flash = kv_f32 && unified && (!TN_CUDA || s->model->n_gpu_layers == 0);
    llama_context_params params =
        tn::context_params(n_ctx_total, s->n_batch, s->n_seq_max, unified, n_threads, kv_f32, s->f32_flash);
    params.cb_eval = eval_callback;
    params.cb_eval_user_data = s;

    params.abort_callback = abort_callback;
    params.abort_callback_data = s;

    tn::forget_log();
    const tn::activity doing("creating a context and running a first token through " + s->model->path);
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

int32_t tn_session_open(tn_model * model, int32_t n_threads, int32_t n_ctx, int32_t n_seq_max, int32_t kv_f32,
                        tn_session ** out) {
    return tn::guard([&] {
        if (out == nullptr || model == nullptr) throw error(TN_ERR_ARG, "null argument");
        *out = nullptr;
        if (n_ctx < 1) throw error(TN_ERR_ARG, "context size must be positive, is " + std::to_string(n_ctx));
        if (n_seq_max < 1 || n_seq_max > TN_MAX_SEQUENCES) {
            throw error(TN_ERR_ARG, "sentences per batch must be 1.." + std::to_string(TN_MAX_SEQUENCES) + ", is "
                                            + std::to_string(n_seq_max));
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
        if (n_seq < 1 || n_seq > TN_MAX_SEQUENCES)
            throw error(TN_ERR_ARG, "sequences must be 1.." + std::to_string(TN_MAX_SEQUENCES) + ", is "
                                            + std::to_string(n_seq));
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

int32_t tn_session_nonfinite(const tn_session * s, int32_t * kind, int32_t * layer, int32_t * seq) {
    return tn::guard([&] {
        if (s == nullptr || kind == nullptr || layer == nullptr || seq == nullptr)
            throw error(TN_ERR_ARG, "null argument");
        *kind = s->nonfinite.kind;
        *layer = s->nonfinite.layer;
        *seq = s->nonfinite.seq;
    });
}

int32_t tn_session_run(tn_session * s, const tn_run_params * p) {
    return tn::guard([&] {
        if (s == nullptr || p == nullptr || p->tokens == nullptr || p->seq_len == nullptr) {
            throw error(TN_ERR_ARG, "null argument");
        }
        const tn_model_info & info = s->model->info;
        if (p->n_seq < 1 || p->n_seq > s->n_seq_max) {
            throw error(TN_ERR_ARG, std::to_string(p->n_seq) + " sentences in one batch; this session takes 1.." +
                                        std::to_string(s->n_seq_max));
        }
        if (p->capture_positions < TN_POSITIONS_LAST || p->capture_positions > TN_POSITIONS_AFTER_FIRST) {
            throw error(TN_ERR_ARG, "unknown capture positions " + std::to_string(p->capture_positions));
        }
        if (p->deact_positions != TN_POSITIONS_LAST && p->deact_positions != TN_POSITIONS_ALL) {
            throw error(TN_ERR_ARG, "deactivation positions must be TN_POSITIONS_LAST or TN_POSITIONS_ALL, is " +
                                        std::to_string(p->deact_positions));
        }
        run_state r;
        r.n_seq = p->n_seq;
        r.all_positions = p->capture_positions != TN_POSITIONS_LAST;
        r.skip_first = p->capture_positions == TN_POSITIONS_AFTER_FIRST;
        for (int32_t q = 0; q < p->n_seq; q++) {
            const int32_t len = p->seq_len[q];
            if (len < 1) throw error(TN_ERR_ARG, "sentence " + std::to_string(q) + " has no tokens");
            if (len > s->n_ctx) {
                throw error(TN_ERR_ARG, "sentence " + std::to_string(q) + " has " + std::to_string(len) +
                                            " tokens, longer than the context (" + std::to_string(s->n_ctx) + ")");
            }
            r.seq_start.push_back(r.n_tokens);
            r.seq_len.push_back(len);
            r.n_tokens += len;
            r.value_rows += !r.all_positions ? 1 : r.skip_first ? len - 1 : len;
            if (r.n_tokens > s->n_ctx) {
                throw error(TN_ERR_ARG, "the batch has more tokens than the context (" + std::to_string(s->n_ctx) +
                                            "); put fewer sentences in one batch");
            }
        }
        check_tokens(p->tokens, r.n_tokens, info.n_vocab);
        r.n_outputs = r.all_positions ? r.n_tokens : p->n_seq;

        r.slots.assign(TN_KIND_GATE_POSITIVE + 1, std::vector<std::vector<int32_t>>(info.n_layer + 1));
        if (p->n_slots < 0 || (p->n_slots > 0 && (p->slot_kind == nullptr || p->slot_layer == nullptr ||
                                                  p->slot_offset == nullptr || p->out == nullptr))) {
            throw error(TN_ERR_ARG, "bad capture slots");
        }
        for (int32_t k = 0; k < p->n_slots; k++) {
            const int32_t kind = p->slot_kind[k];
            if (kind < TN_KIND_EMBD || kind > TN_KIND_GATE_POSITIVE)
                throw error(TN_ERR_ARG, "unknown capture kind " + std::to_string(kind));
            const int32_t layer = per_layer(kind) ? p->slot_layer[k] : -1;
            if (per_layer(kind) && (layer < 0 || layer >= info.n_layer)) {
                throw error(TN_ERR_ARG, std::string("capture of ") + kind_name(kind) + " at layer " +
                                            std::to_string(layer) + ": the model has layers 0.." +
                                            std::to_string(info.n_layer - 1));
            }
            if (kind == TN_KIND_GATE_POSITIVE && s->arch().gate_node == nullptr) {
                throw error(
                    TN_ERR_UNSUPPORTED,
                    std::string("architecture ") + s->arch().name +
                        " has no gate projection of its own in llama.cpp's graph; count the activation instead");
            }
            if (p->slot_offset[k] < 0) throw error(TN_ERR_ARG, "negative slot offset");
            r.slots[kind][layer + 1].push_back(k);
        }
        r.slot_offset = p->slot_offset;
        r.slot_filled.assign(p->n_slots, 0);
        r.out = p->out;
        r.mlp_out.resize(info.n_layer);

        set_deactivation(r, info, p->deact_layer, p->deact_neuron, p->deact_value, p->n_deact);
        r.deact_all_positions = p->deact_positions == TN_POSITIONS_ALL;

        // only a run that captures something may stop early: without captures, a run is for
        // its side effects (a deactivated forward pass), which need the whole graph
        r.stop_early = p->n_slots > 0;
        for (const auto & node : s->nodes) {
            if (wanted(s, r, node.second)) r.pending++;
        }

        fill_batch(s, p->tokens, r, r.all_positions);
        const tn::activity doing("decoding " + std::to_string(p->n_seq) + " sentences (" + std::to_string(r.n_tokens) +
                                 " tokens) with " + s->model->path);
        s->run = &r;
        const int32_t rc = decode(s);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(r.failure_code, r.failure);
        const bool aborted_on_purpose = rc == 2 && r.stopped;
        if (rc != 0 && !aborted_on_purpose)
            throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed with code " + std::to_string(rc)));
        for (int32_t k = 0; k < p->n_slots; k++) {
            if (!r.slot_filled[k]) {
                throw error(TN_ERR_CAPTURE, std::string("no ") + kind_name(p->slot_kind[k]) + " node for layer " +
                                                std::to_string(p->slot_layer[k]) +
                                                " in llama.cpp's graph for architecture " + s->model->architecture);
            }
        }
        check_deactivated(r);
    });
}

int32_t tn_session_decode(tn_session * s, const int32_t * tokens, const int32_t * seq, const int32_t * pos,
                          const uint8_t * off, const uint8_t * output, int32_t n_rows, const int32_t * deact_layer,
                          const int32_t * deact_neuron, const float * deact_value, int32_t n_deact, int32_t * best,
                          float * margin) {
    return tn::guard([&] {
        if (s == nullptr || tokens == nullptr || seq == nullptr || pos == nullptr || off == nullptr ||
            output == nullptr || best == nullptr || margin == nullptr) {
            throw error(TN_ERR_ARG, "null argument");
        }
        if (!s->generation) throw error(TN_ERR_ARG, "not a generation session (tn_session_open_generation)");
        const tn_model_info & info = s->model->info;
        if (n_rows < 1 || n_rows > s->n_batch) {
            throw error(TN_ERR_ARG,
                        std::to_string(n_rows) + " rows; a decode call takes 1.." + std::to_string(s->n_batch));
        }
        check_tokens(tokens, n_rows, info.n_vocab);
        llama_memory_t memory = llama_get_memory(s->ctx);
        // Each sequence's rows come together, at consecutive positions that continue what its
        // stream holds (position 0 starts it afresh). llama.cpp splits a batch of several
        // streams into ubatches of equal rows per sequence and consecutive sequence ids; such
        // a batch is one ubatch, in batch order, so the callback's rows are the batch's rows.
        int32_t groups = 0, group_rows = -1, prev_seq = -1;
        for (int32_t i = 0; i < n_rows;) {
            const int32_t q = seq[i];
            if (q < 0 || q >= s->n_seq_max) {
                throw error(TN_ERR_ARG, "row " + std::to_string(i) + ": sequence " + std::to_string(q) +
                                            " is outside 0.." + std::to_string(s->n_seq_max - 1));
            }
            if (groups > 0 && q != prev_seq + 1) {
                throw error(TN_ERR_ARG, "row " + std::to_string(i) + ": sequence " + std::to_string(q) +
                                            " follows sequence " + std::to_string(prev_seq) +
                                            "; a decode call's sequences must be consecutive and ascending");
            }
            int32_t j = i;
            while (j < n_rows && seq[j] == q) {
                if (pos[j] != pos[i] + (j - i)) {
                    throw error(TN_ERR_ARG, "row " + std::to_string(j) + ": position " + std::to_string(pos[j]) +
                                                " of sequence " + std::to_string(q) + " does not follow position " +
                                                std::to_string(pos[j - 1]));
                }
                j++;
            }
            if (groups > 0 && j - i != group_rows) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + " has " + std::to_string(j - i) +
                                            " rows, sequence " + std::to_string(prev_seq) + " " +
                                            std::to_string(group_rows) +
                                            "; a decode call gives every sequence as many");
            }
            if ((int64_t) pos[j - 1] >= s->n_ctx || pos[i] < 0) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + ": positions " + std::to_string(pos[i]) +
                                            ".." + std::to_string(pos[j - 1]) + " do not fit its context of " +
                                            std::to_string(s->n_ctx) + " tokens");
            }
            const llama_pos last = llama_memory_seq_pos_max(memory, q);
            if (pos[i] > 0 && last != pos[i] - 1) {
                throw error(TN_ERR_ARG, "sequence " + std::to_string(q) + " continues at position " +
                                            std::to_string(pos[i]) + " but holds " + std::to_string(last + 1) +
                                            " tokens");
            }
            group_rows = j - i;
            prev_seq = q;
            groups++;
            i = j;
        }
        for (int32_t i = 0; i < n_rows;) {
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
        const tn::activity doing("decoding " + std::to_string(n_rows) + " rows of " + std::to_string(groups) +
                                 " sequences with " + s->model->path);
        s->run = &r;
        const int32_t rc = decode(s, false);
        s->run = nullptr;
        if (!r.failure.empty()) throw error(r.failure_code, r.failure);
        if (rc != 0) throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed with code " + std::to_string(rc)));
        check_deactivated(r);
        // the greedy choice of each output row: the largest logit, the lowest id among equals
        // (as llama.cpp's greedy sampler), and its lead over the runner-up
        for (int32_t i = 0, k = 0; i < n_rows; i++) {
            if (!output[i]) continue;
            const float * x = llama_get_logits_ith(s->ctx, i);
            if (x == nullptr) throw error(TN_ERR_DECODE, "llama.cpp returned no logits for row " + std::to_string(i));
            try {
                check_finite(x, info.n_vocab, -1, -1, seq[i], "the logits");
            } catch (const nonfinite_error & e) {
                s->nonfinite = e.at;
                throw;
            }
            int32_t top = 0;
            float   first = x[0], second = -INFINITY;
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

int32_t tn_session_lone_row_exact(tn_session * s, int32_t * exact) {
    return tn::guard([&] {
        if (s == nullptr || exact == nullptr) throw error(TN_ERR_ARG, "null argument");
        if (!s->generation || s->n_seq_max < 2 || s->n_ctx < 4 || s->n_batch < 3) {
            throw error(TN_ERR_ARG, "the probe needs a generation session of 2 sequences of 4 tokens");
        }
        const int32_t  n_vocab = s->model->info.n_vocab;
        llama_memory_t memory = llama_get_memory(s->ctx);
        llama_batch &  b = s->batch;
        auto           row = [&](int32_t i, int32_t token, int32_t q, int32_t pos, bool output) {
            b.token[i] = token % n_vocab;
            b.pos[i] = pos;
            b.n_seq_id[i] = 1;
            b.seq_id[i][0] = q;
            b.logits[i] = output;
        };
        auto run = [&](int32_t n_rows) {
            b.n_tokens = n_rows;
            const int32_t rc = decode(s, false);
            if (rc != 0) throw error(TN_ERR_DECODE, tn::with_log("probe decode failed with code " + std::to_string(rc)));
        };
        const tn::activity doing("comparing a lone row with a row of a batch in " + s->model->path);
        llama_memory_seq_rm(memory, 0, -1, -1);
        llama_memory_seq_rm(memory, 1, -1, -1);
        // a three-token prompt, so that the step attends over several cells
        for (int32_t p = 0; p < 3; p++) row(p, 1000 + 7919 * p, 0, p, p == 2);
        run(3);
        row(0, 4242, 0, 3, true);
        run(1);
        const float *      x = llama_get_logits_ith(s->ctx, 0);
        std::vector<float> alone(x, x + n_vocab);
        llama_memory_seq_rm(memory, 0, 3, -1);
        row(0, 4242, 0, 3, true);
        row(1, 77, 1, 0, true);
        run(2);
        x = llama_get_logits_ith(s->ctx, 0);
        *exact = memcmp(alone.data(), x, sizeof(float) * n_vocab) == 0 ? 1 : 0;
        llama_memory_seq_rm(memory, 0, -1, -1);
        llama_memory_seq_rm(memory, 1, -1, -1);
    });
}

} // extern "C"
