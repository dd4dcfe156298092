// The one hot loop of scoring that is not llama.cpp's: r = W_down^T x for a batch of residual
// states, i.e. the dot product of every value vector with every state. Scoring needs it for
// every sentence and candidate layer (n_embd x n_ff multiply-adds each); the rest of the closed
// form is O(n_ff) per sentence and lives in Java.
//
// The matrix arrives as GGUF stores W_down, dequantized: n_embd rows of n_ff values, so a value
// vector is a column. Summing row j of the matrix times x[j] into the output (an axpy per row)
// keeps every access contiguous; each thread owns a band of columns and walks the rows once per
// block of four states, so a row segment is loaded once for four states.
#include "tn_internal.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace {

constexpr int64_t BAND = 256; // columns per unit of work: 4 x 256 accumulators stay in L1
constexpr int     BLOCK = 4;  // states per pass over the rows

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TN_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TN_VECTOR_CLONES
#endif

// out[b][c0 .. c0+w) for states b0 .. b0+nb (nb <= BLOCK).
TN_VECTOR_CLONES
void band(const float * values, int64_t n_embd, int64_t n_ff, const float * x, int64_t b0, int nb,
          int64_t c0, int64_t w, float * out) {
    float acc[BLOCK][BAND] = {};
    for (int64_t j = 0; j < n_embd; j++) {
        const float * v = values + j * n_ff + c0;
        if (nb == BLOCK) {
            const float x0 = x[(b0 + 0) * n_embd + j], x1 = x[(b0 + 1) * n_embd + j];
            const float x2 = x[(b0 + 2) * n_embd + j], x3 = x[(b0 + 3) * n_embd + j];
            for (int64_t k = 0; k < w; k++) {
                acc[0][k] += x0 * v[k];
                acc[1][k] += x1 * v[k];
                acc[2][k] += x2 * v[k];
                acc[3][k] += x3 * v[k];
            }
        } else {
            for (int b = 0; b < nb; b++) {
                const float xb = x[(b0 + b) * n_embd + j];
                for (int64_t k = 0; k < w; k++) acc[b][k] += xb * v[k];
            }
        }
    }
    for (int b = 0; b < nb; b++) std::copy(acc[b], acc[b] + w, out + (b0 + b) * n_ff + c0);
}

} // namespace

extern "C" int32_t tn_value_products(const float * values, int64_t n_embd, int64_t n_ff, const float * x,
                                     int32_t n_rows, float * out, int32_t n_threads) {
    return tn::guard([&] {
        if (values == nullptr || x == nullptr || out == nullptr) throw tn::error(TN_ERR_ARG, "null argument");
        if (n_embd < 1 || n_ff < 1 || n_rows < 0) throw tn::error(TN_ERR_ARG, "bad matrix dimensions");
        const int64_t n_bands = (n_ff + BAND - 1) / BAND;
        const int64_t n_blocks = (n_rows + BLOCK - 1) / BLOCK;
        const int64_t units = n_bands * n_blocks;
        std::atomic<int64_t> next{0};
        auto work = [&] {
            for (int64_t u; (u = next.fetch_add(1)) < units;) {
                const int64_t c0 = (u % n_bands) * BAND;
                const int64_t b0 = (u / n_bands) * BLOCK;
                band(values, n_embd, n_ff, x, b0, (int) std::min<int64_t>(BLOCK, n_rows - b0), c0,
                     std::min(BAND, n_ff - c0), out);
            }
        };
        const int64_t threads = std::min<int64_t>(n_threads > 0 ? n_threads : tn::default_threads(), units);
        std::vector<std::thread> pool;
        for (int64_t t = 1; t < threads; t++) pool.emplace_back(work);
        work();
        for (auto & t : pool) t.join();
    });
}
