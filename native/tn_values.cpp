// Scoring's products from the model's own down projections: r = W_down^T x (the dot product of
// every value vector with every residual state of a batch) and the per-layer constants
// q_i = v_i . C and n_i = |v_i|^2, read from blk.l.ffn_down.weight where llama.cpp holds it,
// quantized, without a float copy of the matrix.
//
// A value vector is a column of W_down (ggml shape [n_ff, n_embd]: n_embd rows of n_ff), so
// W_down^T x needs the transpose of every mat-mul ggml has for quantized weights. Each layer takes
// one of three routes:
//   - kernel: the weights are in host memory. A CPU kernel dequantizes bands of 256 columns
//     (a multiple of every block size) KC rows at a time with ggml's type traits, once per batch,
//     and applies each tile to every state of the batch in a register-blocked loop. Bytes are read
//     with ggml_backend_tensor_get. (ggml's own OUT_PROD dequantizes each row once per state.)
//   - file: llama.cpp repacked the weights into a private layout (CPU_REPACK, which has no
//     get_tensor) or their device cannot dequantize them. Their bytes in the GGUF file are the same
//     quantized values, so the kernel reads them through a read-only mapping of the file, and drops
//     a layer's pages from the mapping once the layer is done (RSS stays within a layer or two).
//   - graph: the weights live on a device (a GPU). The product runs there as a ggml graph:
//     get_rows dequantizes the layer into a device buffer that the graph allocator reuses, and
//     out_prod (cuBLAS on CUDA) applies it to the batch. Nothing of the matrix crosses to the host.
// The constants are computed once per run in double on the CPU, streaming whole rows (for a
// device layer, one pass over the matrix through ggml_backend_tensor_get).
#include "tn_internal.h"
#include "tn_model.h"

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// llama.cpp's loaded tensors by name (src/llama-model.h of the pinned source; not in llama.h).
const std::vector<std::pair<std::string, ggml_tensor *>> & llama_internal_get_tensor_map(const llama_model * model);

using tn::error;

namespace {

constexpr int64_t BAND = 256; // columns per unit of work
constexpr int64_t KC = 128;   // rows per dequantized tile: KC x BAND floats = 128 KiB, in L2
constexpr int64_t PANEL = 16; // columns per register block: two 8-float vectors

enum class route { kernel, file, graph };

struct runner;

// One candidate layer's down projection and how its products are computed.
struct weight {
    ggml_tensor * t = nullptr; // llama.cpp's blk.l.ffn_down.weight
    route         how = route::kernel;
    uint64_t      file_offset = 0; // of the tensor's data in the GGUF file (route::file)
    runner *      run = nullptr;   // route::graph
    std::string   where;
};

// A backend that runs the graph route: its own context on the weights' device, and a graph
// allocator whose buffer (the dequantized layer, the batch, the products) is reused every call.
struct runner {
    ggml_backend_dev_t dev = nullptr;
    ggml_backend_t     backend = nullptr;
    ggml_gallocr_t     alloc = nullptr;

    ~runner() {
        if (alloc) ggml_gallocr_free(alloc);
        if (backend) ggml_backend_free(backend);
    }
};

// Row slices of a weight's quantized bytes: row r of the slice starts at p + r * stride.
struct slice {
    const uint8_t * p;
    size_t          stride;
};

// The model file, mapped read-only for the layers whose bytes come from it.
struct file_map {
    int       fd = -1;
    uint8_t * base = nullptr;
    size_t    size = 0;

    ~file_map() {
        if (base) munmap(base, size);
        if (fd >= 0) close(fd);
    }

    void open(const std::string & path) {
        if (base) return;
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw error(TN_ERR_IO, path + ": " + strerror(errno));
        struct stat st;
        if (fstat(fd, &st) != 0) throw error(TN_ERR_IO, path + ": " + strerror(errno));
        void * p = mmap(nullptr, (size_t) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) throw error(TN_ERR_IO, path + ": cannot map the file: " + strerror(errno));
        base = (uint8_t *) p;
        size = (size_t) st.st_size;
    }

    // Drops [from, from + n) from this process's resident pages; the page cache keeps them.
    void release(uint64_t from, uint64_t n) {
        const uint64_t page = (uint64_t) sysconf(_SC_PAGESIZE);
        const uint64_t a = from / page * page;
        const uint64_t b = std::min<uint64_t>(size, (from + n + page - 1) / page * page);
        if (base && b > a) madvise(base + a, b - a, MADV_DONTNEED);
    }
};

} // namespace

struct tn_values {
    tn_model *                           model = nullptr;
    int32_t                              n_threads = 1;
    std::vector<weight>                  weights;
    std::vector<std::unique_ptr<runner>> runners;
    file_map                             file;
};

namespace {

// ---- reading and dequantizing --------------------------------------------------------------

// Rows [row0, row0 + n) of w, bytes [off, off + len) of each row: straight from the mapped file,
// or copied into staging through ggml_backend_tensor_get (one call when whole rows are asked).
slice read_rows(tn_values * v, const weight & w, int64_t row0, int64_t n, size_t off, size_t len,
                std::vector<uint8_t> & staging) {
    const size_t nb1 = w.t->nb[1];
    if (w.how == route::file) {
        return {v->file.base + w.file_offset + (size_t) row0 * nb1 + off, nb1};
    }
    staging.resize((size_t) n * len);
    if (len == nb1) {
        ggml_backend_tensor_get(w.t, staging.data(), (size_t) row0 * nb1, (size_t) n * nb1);
    } else {
        for (int64_t r = 0; r < n; r++) {
            ggml_backend_tensor_get(w.t, staging.data() + r * len, (size_t) (row0 + r) * nb1 + off, len);
        }
    }
    return {staging.data(), len};
}

void to_float(ggml_type type, const uint8_t * src, float * dst, int64_t n) {
    if (type == GGML_TYPE_F32) {
        memcpy(dst, src, (size_t) n * sizeof(float));
    } else {
        ggml_get_type_traits(type)->to_float(src, dst, n);
    }
}

// ---- the CPU kernel ------------------------------------------------------------------------

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TN_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TN_VECTOR_CLONES
#endif

typedef float v8 __attribute__((vector_size(32)));

// acc[b][0..16) += sum over k < kc of x[b][j0 + k] * panel[k][0..16), for MR states b: 2 x MR
// vector accumulators stay in registers for the whole pass over the panel. Always inlined, so
// that it is compiled for the instruction set of each clone of band_products.
template <int MR>
__attribute__((always_inline)) inline void block(const float * panel, int64_t kc, const float * x, int64_t n_embd,
                                                 int64_t j0, float * acc) {
    v8 a[MR][2];
    for (int b = 0; b < MR; b++) {
        memcpy(&a[b][0], acc + b * BAND, sizeof(v8));
        memcpy(&a[b][1], acc + b * BAND + 8, sizeof(v8));
    }
    for (int64_t k = 0; k < kc; k++) {
        v8 w0, w1;
        memcpy(&w0, panel + k * PANEL, sizeof(v8));
        memcpy(&w1, panel + k * PANEL + 8, sizeof(v8));
        for (int b = 0; b < MR; b++) {
            const float xb = x[b * n_embd + j0 + k];
            a[b][0] += xb * w0;
            a[b][1] += xb * w1;
        }
    }
    for (int b = 0; b < MR; b++) {
        memcpy(acc + b * BAND, &a[b][0], sizeof(v8));
        memcpy(acc + b * BAND + 8, &a[b][1], sizeof(v8));
    }
}

// Per-thread buffers of the kernel.
struct scratch {
    std::vector<float>   tile;    // KC rows of a band, as BAND / PANEL panels of KC x PANEL
    std::vector<float>   line;    // one dequantized row slice
    std::vector<float>   acc;     // rows x BAND partial products
    std::vector<uint8_t> staging; // quantized bytes
};

// out[b][c0 .. c0 + width) = W^T x_b for the band of columns starting at c0, every state b.
TN_VECTOR_CLONES
void band_products(tn_values * v, const weight & w, int64_t c0, const float * x, int64_t rows, float * out,
                   scratch & s) {
    const int64_t n_embd = w.t->ne[1], n_ff = w.t->ne[0];
    const int64_t width = std::min(BAND, n_ff - c0);
    const int64_t panels = (width + PANEL - 1) / PANEL;
    const size_t  off = ggml_row_size(w.t->type, c0);
    const size_t  len = ggml_row_size(w.t->type, width);
    s.tile.resize(KC * BAND);
    s.line.assign(BAND, 0.0f); // columns past width stay 0 in the last panel
    s.acc.assign(rows * BAND, 0.0f);
    for (int64_t j0 = 0; j0 < n_embd; j0 += KC) {
        const int64_t kc = std::min(KC, n_embd - j0);
        const slice   sl = read_rows(v, w, j0, kc, off, len, s.staging);
        for (int64_t k = 0; k < kc; k++) {
            to_float(w.t->type, sl.p + k * sl.stride, s.line.data(), width);
            for (int64_t p = 0; p < panels; p++) {
                memcpy(s.tile.data() + (p * KC + k) * PANEL, s.line.data() + p * PANEL, PANEL * sizeof(float));
            }
        }
        for (int64_t p = 0; p < panels; p++) {
            const float * panel = s.tile.data() + p * KC * PANEL;
            float *       acc = s.acc.data() + p * PANEL;
            int64_t       b = 0;
            for (; b + 6 <= rows; b += 6) block<6>(panel, kc, x + b * n_embd, n_embd, j0, acc + b * BAND);
            for (; b + 2 <= rows; b += 2) block<2>(panel, kc, x + b * n_embd, n_embd, j0, acc + b * BAND);
            for (; b < rows; b++) block<1>(panel, kc, x + b * n_embd, n_embd, j0, acc + b * BAND);
        }
    }
    for (int64_t b = 0; b < rows; b++) {
        memcpy(out + b * n_ff + c0, s.acc.data() + b * BAND, (size_t) width * sizeof(float));
    }
}

// q[i] = sum_j W[j][i] c[j] and n[i] = sum_j W[j][i]^2, in double, whole rows at a time.
void layer_constants(tn_values * v, const weight & w, const double * c, double * q, double * n) {
    const int64_t        n_embd = w.t->ne[1], n_ff = w.t->ne[0];
    std::vector<uint8_t> staging;
    std::vector<float>   line(n_ff);
    std::fill(q, q + n_ff, 0.0);
    std::fill(n, n + n_ff, 0.0);
    for (int64_t j0 = 0; j0 < n_embd; j0 += KC) {
        const int64_t kc = std::min(KC, n_embd - j0);
        const slice   sl = read_rows(v, w, j0, kc, 0, w.t->nb[1], staging);
        for (int64_t k = 0; k < kc; k++) {
            to_float(w.t->type, sl.p + k * sl.stride, line.data(), n_ff);
            const double cj = c[j0 + k];
            for (int64_t i = 0; i < n_ff; i++) {
                const double x = line[i];
                q[i] += x * cj;
                n[i] += x * x;
            }
        }
    }
}

// Runs body(u, worker) for u in [0, units) on at most n_threads threads (this one included,
// as worker 0), each unit once.
template <typename F> void parallel(int64_t units, int32_t n_threads, F && body) {
    std::atomic<int64_t> next{0};
    std::mutex           failure_lock;
    std::exception_ptr   failure;
    auto                 work = [&](int64_t worker) {
        try {
            for (int64_t u; (u = next.fetch_add(1)) < units;) body(u, worker);
        } catch (...) {
            std::lock_guard<std::mutex> guard(failure_lock);
            if (!failure) failure = std::current_exception();
            next = units;
        }
    };
    const int64_t            threads = std::min<int64_t>(n_threads, units);
    std::vector<std::thread> pool;
    for (int64_t t = 1; t < threads; t++) pool.emplace_back(work, t);
    work(0);
    for (auto & t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

// ---- the graph route -----------------------------------------------------------------------

// The products of layers on one runner as one graph: for each, the layer dequantized by get_rows
// and applied to the batch by out_prod. Nodes come layer by layer, so the allocator can reuse one
// layer's dequantized copy for the next.
struct graph_call {
    ggml_context *                                       ctx = nullptr;
    ggml_cgraph *                                        graph = nullptr;
    ggml_tensor *                                        ids = nullptr;
    std::vector<std::pair<ggml_tensor *, ggml_tensor *>> io; // (states, products) per layer

    ~graph_call() {
        if (ctx) ggml_free(ctx);
    }
};

void build(graph_call & g, const std::vector<const weight *> & ws, int64_t rows) {
    const size_t     n_nodes = 4 * ws.size() + 1;
    ggml_init_params params = {n_nodes * ggml_tensor_overhead() + ggml_graph_overhead_custom(n_nodes, false), nullptr,
                               /*no_alloc =*/true};
    g.ctx = ggml_init(params);
    if (g.ctx == nullptr) throw error(TN_ERR_INTERNAL, "cannot create a ggml context for scoring");
    g.graph = ggml_new_graph_custom(g.ctx, n_nodes, false);
    const int64_t n_embd = ws[0]->t->ne[1];
    g.ids = ggml_new_tensor_1d(g.ctx, GGML_TYPE_I32, n_embd);
    ggml_set_input(g.ids);
    for (const weight * w : ws) {
        ggml_tensor * x = ggml_new_tensor_2d(g.ctx, GGML_TYPE_F32, n_embd, rows);
        ggml_set_input(x);
        ggml_tensor * values = ggml_get_rows(g.ctx, w->t, g.ids);                 // [n_ff, n_embd], F32
        ggml_tensor * r = ggml_out_prod(g.ctx, values, ggml_transpose(g.ctx, x)); // [n_ff, rows]
        ggml_set_output(r);
        ggml_build_forward_expand(g.graph, r);
        g.io.emplace_back(x, r);
    }
}

// Whether r's backend can run the graph route for w, with w where it is.
bool runs(runner & r, const weight & w) {
    if (!ggml_backend_supports_buft(r.backend, ggml_backend_buffer_get_type(w.t->buffer))) return false;
    graph_call g;
    build(g, {&w}, 1);
    for (int i = 0; i < ggml_graph_n_nodes(g.graph); i++) {
        if (!ggml_backend_supports_op(r.backend, ggml_graph_node(g.graph, i))) return false;
    }
    return true;
}

runner * runner_for(tn_values * v, ggml_backend_dev_t dev) {
    for (auto & r : v->runners) {
        if (r->dev == dev) return r.get();
    }
    auto r = std::make_unique<runner>();
    r->dev = dev;
    r->backend = ggml_backend_dev_init(dev, nullptr);
    if (r->backend == nullptr) {
        throw error(TN_ERR_MODEL, std::string("cannot start backend ") + ggml_backend_dev_name(dev) + " for scoring");
    }
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
    auto               set_threads =
        reg ? (ggml_backend_set_n_threads_t) ggml_backend_reg_get_proc_address(reg, "ggml_backend_set_n_threads")
            : nullptr;
    if (set_threads) set_threads(r->backend, v->n_threads);
    r->alloc = ggml_gallocr_new(ggml_backend_get_default_buffer_type(r->backend));
    v->runners.push_back(std::move(r));
    return v->runners.back().get();
}

// Starts the graph of the given layers on r (asynchronously); finish() waits and reads.
struct graph_run {
    runner *             r = nullptr;
    graph_call           g;
    std::vector<int64_t> slots; // index of each layer in the call's output
    bool                 running = false;

    ~graph_run() {
        if (running) ggml_backend_synchronize(r->backend); // before the graph's memory goes
    }

    void start(const std::vector<const weight *> & ws, const std::vector<int64_t> & at, const float * x, int64_t rows) {
        slots = at;
        build(g, ws, rows);
        if (!ggml_gallocr_alloc_graph(r->alloc, g.graph)) {
            throw error(TN_ERR_INTERNAL,
                        std::string("cannot allocate scoring buffers on ") + ggml_backend_name(r->backend));
        }
        const int64_t        n_embd = ws[0]->t->ne[1];
        std::vector<int32_t> ids(n_embd);
        for (int64_t j = 0; j < n_embd; j++) ids[j] = (int32_t) j;
        ggml_backend_tensor_set(g.ids, ids.data(), 0, ids.size() * sizeof(int32_t));
        for (size_t k = 0; k < ws.size(); k++) {
            ggml_backend_tensor_set(g.io[k].first, x + slots[k] * rows * n_embd, 0, ggml_nbytes(g.io[k].first));
        }
        running = true;
        if (ggml_backend_graph_compute_async(r->backend, g.graph) != GGML_STATUS_SUCCESS) {
            throw error(TN_ERR_INTERNAL, std::string("scoring failed on ") + ggml_backend_name(r->backend));
        }
    }

    void finish(float * out, int64_t rows, int64_t n_ff) {
        ggml_backend_synchronize(r->backend);
        running = false;
        for (size_t k = 0; k < g.io.size(); k++) {
            ggml_backend_tensor_get(g.io[k].second, out + slots[k] * rows * n_ff, 0, ggml_nbytes(g.io[k].second));
        }
    }
};

// ---- setup -----------------------------------------------------------------------------------

ggml_tensor * find_tensor(const tn_model * m, const std::string & name) {
    for (const auto & [n, t] : llama_internal_get_tensor_map(m->model)) {
        if (n == name) return t;
    }
    return nullptr;
}

// The file route: the kernel reads w's bytes from the model file, which holds what llama.cpp loaded.
void from_file(tn_values * v, weight & w, const std::string & why) {
    const int64_t t = tn_gguf_find_tensor(v->model->gguf, w.t->name);
    int32_t       type = -1;
    int64_t       ne[4];
    if (t < 0 || tn_gguf_tensor_info(v->model->gguf, t, &type, ne, nullptr) != TN_OK || type != w.t->type ||
        ne[0] != w.t->ne[0] || ne[1] != w.t->ne[1]) {
        throw error(TN_ERR_MODEL,
                    v->model->path + ": " + w.t->name + " in the file differs from the one llama.cpp loaded");
    }
    w.how = route::file;
    w.file_offset = tn::tensor_file_offset(v->model->gguf, t);
    w.where = "CPU, from the file (" + why + ")";
    v->file.open(v->model->path);
}

void place(tn_values * v, weight & w, int32_t flags) {
    ggml_backend_buffer_t buf = w.t->buffer;
    if (buf == nullptr) throw error(TN_ERR_MODEL, std::string(w.t->name) + " has no buffer in llama.cpp");
    ggml_backend_buffer_type_t buft = ggml_backend_buffer_get_type(buf);
    ggml_backend_dev_t         dev = ggml_backend_buft_get_device(buft);
    if (ggml_backend_buffer_is_host(buf)) {
        if (flags & TN_VALUES_GRAPH) {
            w.how = route::graph;
            w.run = runner_for(v, ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU));
            w.where = std::string(ggml_backend_name(w.run->backend)) + " (graph)";
        } else if (flags & TN_VALUES_FILE) {
            from_file(v, w, "asked for");
        } else {
            w.how = route::kernel;
            w.where = "CPU";
        }
    } else if (dev == nullptr || ggml_backend_dev_type(dev) == GGML_BACKEND_DEVICE_TYPE_CPU) {
        from_file(v, w, std::string("llama.cpp keeps the weights in ") + ggml_backend_buft_name(buft));
    } else {
        runner * r = runner_for(v, dev);
        if (runs(*r, w)) {
            w.how = route::graph;
            w.run = r;
            w.where = ggml_backend_name(r->backend);
        } else {
            from_file(v, w,
                      std::string(ggml_backend_name(r->backend)) + " cannot dequantize " + ggml_type_name(w.t->type));
        }
    }
}

} // namespace

extern "C" {

int32_t tn_values_open(tn_model * model, int32_t layer0, int32_t n_layers, int32_t n_threads, int32_t flags,
                       tn_values ** out) {
    return tn::guard([&] {
        if (model == nullptr || out == nullptr) throw error(TN_ERR_ARG, "null argument");
        *out = nullptr;
        if (layer0 < 0 || n_layers < 1 || layer0 + n_layers > model->info.n_layer) {
            throw error(TN_ERR_ARG, "layers " + std::to_string(layer0) + ".." + std::to_string(layer0 + n_layers - 1) +
                                        " are outside the model's 0.." + std::to_string(model->info.n_layer - 1));
        }
        if ((flags & ~(TN_VALUES_GRAPH | TN_VALUES_FILE)) != 0 || flags == (TN_VALUES_GRAPH | TN_VALUES_FILE)) {
            throw error(TN_ERR_ARG, "bad flags " + std::to_string(flags));
        }
        auto v = std::make_unique<tn_values>();
        v->model = model;
        v->n_threads = n_threads > 0 ? n_threads : tn::default_threads();
        for (int32_t l = layer0; l < layer0 + n_layers; l++) {
            weight            w;
            const std::string name = "blk." + std::to_string(l) + ".ffn_down.weight";
            w.t = find_tensor(model, name);
            if (w.t == nullptr) throw error(TN_ERR_MODEL, model->path + ": llama.cpp has no tensor " + name);
            if (w.t->ne[0] != model->info.n_ff || w.t->ne[1] != model->info.n_embd || w.t->ne[2] != 1 ||
                w.t->ne[3] != 1) {
                throw error(TN_ERR_MODEL, model->path + ": " + name + " is not an n_ff x n_embd matrix");
            }
            if (w.t->type != GGML_TYPE_F32 && ggml_get_type_traits(w.t->type)->to_float == nullptr) {
                throw error(TN_ERR_UNSUPPORTED, model->path + ": " + name + " has type " + ggml_type_name(w.t->type) +
                                                    ", which ggml cannot convert to float");
            }
            place(v.get(), w, flags);
            v->weights.push_back(std::move(w));
        }
        *out = v.release();
    });
}

void tn_values_close(tn_values * v) {
    delete v;
}

const char * tn_values_where(const tn_values * v, int32_t k) {
    if (v == nullptr || k < 0 || k >= (int32_t) v->weights.size()) return nullptr;
    return v->weights[k].where.c_str();
}

int32_t tn_values_constants(tn_values * v, const double * c, double * q, double * n) {
    return tn::guard([&] {
        if (v == nullptr || c == nullptr || q == nullptr || n == nullptr) throw error(TN_ERR_ARG, "null argument");
        const int64_t n_embd = v->model->info.n_embd, n_ff = v->model->info.n_ff;
        parallel((int64_t) v->weights.size(), v->n_threads, [&](int64_t k, int64_t) {
            const weight & w = v->weights[k];
            layer_constants(v, w, c + k * n_embd, q + k * n_ff, n + k * n_ff);
            if (w.how == route::file) v->file.release(w.file_offset, ggml_nbytes(w.t));
        });
    });
}

int32_t tn_values_products(tn_values * v, int32_t k0, int32_t nk, const float * x, int32_t n_rows, float * out) {
    return tn::guard([&] {
        if (v == nullptr || x == nullptr || out == nullptr) throw error(TN_ERR_ARG, "null argument");
        if (k0 < 0 || nk < 0 || k0 + nk > (int32_t) v->weights.size()) throw error(TN_ERR_ARG, "layers out of range");
        if (n_rows < 0 || n_rows > TN_MAX_SEQUENCES)
            throw error(TN_ERR_ARG, "states per call must be 0.." + std::to_string(TN_MAX_SEQUENCES) + ", is "
                                            + std::to_string(n_rows));
        if (nk == 0 || n_rows == 0) return;
        const int64_t n_embd = v->model->info.n_embd, n_ff = v->model->info.n_ff, rows = n_rows;

        // the device layers first, so that they run while the CPU computes the others
        std::vector<std::unique_ptr<graph_run>> graphs;
        std::vector<int64_t>                    cpu;
        for (const auto & r : v->runners) {
            std::vector<const weight *> ws;
            std::vector<int64_t>        at;
            for (int64_t k = 0; k < nk; k++) {
                if (v->weights[k0 + k].run == r.get()) {
                    ws.push_back(&v->weights[k0 + k]);
                    at.push_back(k);
                }
            }
            if (ws.empty()) continue;
            graphs.push_back(std::make_unique<graph_run>());
            graphs.back()->r = r.get();
            graphs.back()->start(ws, at, x, rows);
        }
        for (int64_t k = 0; k < nk; k++) {
            if (v->weights[k0 + k].how != route::graph) cpu.push_back(k);
        }

        // CPU layers: units are (layer, band), layer by layer, so that a mapped layer's pages can
        // be dropped as soon as its last band is done
        const int64_t                     bands = (n_ff + BAND - 1) / BAND;
        std::vector<std::atomic<int64_t>> left(cpu.size());
        for (auto & l : left) l = bands;
        std::vector<scratch> scratches(v->n_threads);
        parallel((int64_t) cpu.size() * bands, v->n_threads, [&](int64_t u, int64_t worker) {
            const int64_t  i = u / bands, k = cpu[i];
            const weight & w = v->weights[k0 + k];
            band_products(v, w, (u % bands) * BAND, x + k * rows * n_embd, rows, out + k * rows * n_ff,
                          scratches[worker]);
            if (--left[i] == 0 && w.how == route::file) v->file.release(w.file_offset, ggml_nbytes(w.t));
        });
        for (auto & g : graphs) g->finish(out, rows, n_ff);
    });
}

} // extern "C"
