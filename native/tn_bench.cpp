// For benchmarks only: llama.cpp's own batched greedy decoding, the bare work tn's generation is
// measured against. The context is laid out as a generation session's (one KV stream per
// sequence, the same n_batch and attention types) but has no evaluation callback, so nothing is
// asked of the graph; prompts are decoded one at a time, then every step decodes the next token
// of each unfinished sequence in one llama_decode call, and the greedy choice is the argmax.
#include "tn_internal.h"
#include "tn_model.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

using tn::error;

extern "C" {

int32_t tn_bench_greedy(tn_model * model, int32_t n_threads, int32_t n_ctx_seq, int32_t kv_f32, const int32_t * tokens,
                        const int32_t * prompt_len, int32_t n_seq, const int32_t * n_new, int32_t * generated,
                        double * seconds) {
    return tn::guard([&] {
        if (model == nullptr || tokens == nullptr || prompt_len == nullptr || n_new == nullptr ||
            generated == nullptr || seconds == nullptr) {
            throw error(TN_ERR_ARG, "null argument");
        }
        if (n_seq < 1 || n_seq > TN_MAX_SEQUENCES)
            throw error(TN_ERR_ARG, "sequences must be 1.." + std::to_string(TN_MAX_SEQUENCES));
        const int32_t              n_batch = std::max(512, n_seq);
        const llama_context_params params =
            tn::context_params(n_ctx_seq * n_seq, n_batch, n_seq, false, n_threads, kv_f32 != 0);
        tn::forget_log();
        llama_context * ctx = llama_init_from_model(model->model, params);
        if (ctx == nullptr) throw error(TN_ERR_MODEL, tn::with_log("llama.cpp could not create a context"));
        llama_batch   batch = llama_batch_init(n_batch, 0, 1);
        const int32_t n_vocab = model->info.n_vocab;
        auto          argmax = [&](int32_t i) {
            const float * x = llama_get_logits_ith(ctx, i);
            return (int32_t) (std::max_element(x, x + n_vocab) - x);
        };
        auto run = [&]() {
            if (llama_decode(ctx, batch) != 0) throw error(TN_ERR_DECODE, tn::with_log("llama_decode failed"));
        };
        try {
            std::vector<int32_t> next(n_seq), pos(n_seq), done(n_seq, 0), out_at(n_seq);
            for (int32_t s = 0, at = 0; s < n_seq; s++) {
                out_at[s] = at;
                at += n_new[s];
            }
            const auto t0 = std::chrono::steady_clock::now();
            for (int32_t s = 0, start = 0; s < n_seq; start += prompt_len[s], s++) {
                for (int32_t from = 0; from < prompt_len[s]; from += n_batch) {
                    const int32_t to = std::min(prompt_len[s], from + n_batch);
                    batch.n_tokens = to - from;
                    for (int32_t i = from; i < to; i++) {
                        const int32_t k = i - from;
                        batch.token[k] = tokens[start + i];
                        batch.pos[k] = i;
                        batch.n_seq_id[k] = 1;
                        batch.seq_id[k][0] = s;
                        batch.logits[k] = i == to - 1;
                    }
                    run();
                }
                next[s] = argmax(batch.n_tokens - 1);
                pos[s] = prompt_len[s];
            }
            for (bool more = true; more;) {
                batch.n_tokens = 0;
                std::vector<int32_t> rows;
                for (int32_t s = 0; s < n_seq; s++) {
                    if (done[s] >= n_new[s]) continue;
                    generated[out_at[s] + done[s]++] = next[s];
                    if (done[s] == n_new[s]) continue;
                    const int32_t k = batch.n_tokens++;
                    batch.token[k] = next[s];
                    batch.pos[k] = pos[s]++;
                    batch.n_seq_id[k] = 1;
                    batch.seq_id[k][0] = s;
                    batch.logits[k] = 1;
                    rows.push_back(s);
                }
                more = batch.n_tokens > 0;
                if (!more) break;
                run();
                for (int32_t k = 0; k < (int32_t) rows.size(); k++) next[rows[k]] = argmax(k);
            }
            *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        } catch (...) {
            llama_batch_free(batch);
            llama_free(ctx);
            throw;
        }
        llama_batch_free(batch);
        llama_free(ctx);
    });
}

} // extern "C"
