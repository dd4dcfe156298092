/*
 * tn: the native bridge between Java and llama.cpp.
 *
 * Everything here is plain C so that JNA can call it. Every function that can fail returns
 * TN_OK (0) or a negative TN_ERR_* code, and tn_last_error() then describes the failure
 * (per thread, valid until the next tn_* call on that thread). No C++ exception crosses this
 * API. Inputs that llama.cpp would abort on are checked first (in Java, before loading: see
 * tn.llama.LoadCheck); a failed internal check that still happens ends the process through
 * tn_set_abort_handler, never with SIGABRT.
 *
 * Handles:
 *   tn_model    a loaded GGUF model (llama.cpp model + the file's GGUF index)
 *   tn_session  a llama.cpp context over a model, with the capture/deactivation callback
 *   tn_gguf     a GGUF file's metadata and tensor index, read through ggml's gguf.h
 *   tn_writer   a GGUF file being written, tensor by tensor
 */
#ifndef TN_H
#define TN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TN_API __attribute__((visibility("default")))

enum tn_status {
    TN_OK            =  0,
    TN_ERR_ARG       = -1, /* a bad argument: out of range, null, too long, ... */
    TN_ERR_IO        = -2, /* a file is missing, unreadable, not a regular file, or not writable */
    TN_ERR_FORMAT    = -3, /* a file is not a valid GGUF, is truncated, lacks a tensor, ... */
    TN_ERR_MODEL     = -4, /* llama.cpp refused the model (unsupported architecture, ...) */
    TN_ERR_DECODE    = -5, /* llama_decode failed */
    TN_ERR_CAPTURE   = -6, /* a requested tensor was not found in the graph */
    TN_ERR_UNSUPPORTED = -7, /* a tensor type without a float conversion, ... */
    TN_ERR_INTERNAL  = -8, /* an unexpected exception inside llama.cpp or tn */
    TN_ERR_NONFINITE = -9  /* a forward pass gave NaN or infinity where it was captured (broken
                              weights or hyperparameters); tn_session_nonfinite says where */
};

/* What a capture slot copies. Per layer: FFN_INP, ACT, L_OUT, ACT_POSITIVE, GATE_POSITIVE;
 * once per model: EMBD, RESULT_NORM. */
enum tn_kind {
    TN_KIND_EMBD        = 0, /* embedding output, the input of layer 0 (graph node `embd`)      */
    TN_KIND_FFN_INP     = 1, /* residual stream entering layer l's MLP (`ffn_inp-l`)            */
    TN_KIND_ACT         = 2, /* MLP activation: second operand of mat-mul with blk.l.ffn_down    */
    TN_KIND_L_OUT       = 3, /* output of layer l (`l_out-l`)                                   */
    TN_KIND_RESULT_NORM = 4, /* final-normed output of the last layer (`result_norm`)            */
    /* Counts instead of values: one row of n_ff per sentence, whatever the positions; element i
     * is the number of the sentence's positions (those asked for) where neuron i is > 0. */
    TN_KIND_ACT_POSITIVE  = 5, /* of the MLP activation a_l (after any deactivation)            */
    TN_KIND_GATE_POSITIVE = 6  /* of the gate projection (`ffn_gate-l`): act(gate) > 0 for SiLU
                                  and GELU, LAPE's definition (Tang et al. 2024)                */
};

TN_API const char * tn_last_error(void);
/* The pinned llama.cpp source this library was built from, and whether CUDA is compiled in. */
TN_API const char * tn_llama_version(void);
TN_API int32_t      tn_has_cuda(void);
/* 1: pass llama.cpp's log lines to stderr; 0 (default): keep only warnings and errors, which
 * are appended to tn_last_error() messages when a call fails. */
TN_API void         tn_set_verbose(int32_t verbose);
/* ggml stops the process on a failed internal check (GGML_ASSERT); tn routes that stop to
 * handler, with a message naming what tn was doing (loading which model, decoding what) and the
 * check that failed. handler runs on the failing thread, which cannot go on, and must end the
 * process. Without one (NULL), tn writes the message to stderr and exits with code 1: no SIGABRT,
 * no core dump, no debugger backtrace on stdout. */
typedef void (*tn_abort_handler)(const char * message);
TN_API void         tn_set_abort_handler(tn_abort_handler handler);

/* ---- models ----------------------------------------------------------------------------- */

typedef struct tn_model tn_model;

/* Loads a GGUF model. n_gpu_layers: layers to offload (0 on a CPU-only build). */
TN_API int32_t tn_model_open(const char * path, int32_t n_gpu_layers, tn_model ** out);
TN_API void    tn_model_close(tn_model * model);

/* Model facts. Strings stay valid while the model is open. n_ff is read from the shape of
 * blk.0.ffn_down.weight; file_type is general.file_type (a llama_ftype), -1 if absent. */
typedef struct tn_model_info {
    int32_t n_layer;
    int32_t n_embd;
    int32_t n_ff;
    int32_t n_head;
    int32_t n_head_kv;
    int32_t n_vocab;
    int32_t n_ctx_train;
    int32_t file_type;
    int32_t add_bos;      /* whether tokenization adds BOS, per the model's metadata */
    int64_t n_params;
    int64_t size_bytes;   /* tensor data size */
    const char * architecture;
    const char * description; /* llama_model_desc */
} tn_model_info;

TN_API int32_t tn_model_get_info(const tn_model * model, tn_model_info * out);

/* Tokenizes UTF-8 text (len bytes) with BOS/EOS as the model's metadata says. Writes at most
 * cap tokens; *n_tokens receives the count (also when cap is too small: then TN_ERR_ARG). */
TN_API int32_t tn_tokenize(const tn_model * model, const char * text, int32_t len,
                           int32_t * tokens, int32_t cap, int32_t * n_tokens);
/* 1 if token ends generation (EOS, EOT, ... per the vocabulary), 0 otherwise. */
TN_API int32_t tn_token_is_eog(const tn_model * model, int32_t token);
/* Detokenizes into buf (cap bytes); *len receives the UTF-8 length (TN_ERR_ARG if cap is short).
 * remove_special drops BOS/EOS; special tokens are otherwise rendered as text. */
TN_API int32_t tn_detokenize(const tn_model * model, const int32_t * tokens, int32_t n_tokens,
                             int32_t remove_special, char * buf, int32_t cap, int32_t * len);

/* ---- sessions: batched forward passes with capture and deactivation ---------------------- */

typedef struct tn_session tn_session;

/* n_threads <= 0: the machine's core count. n_ctx: tokens per decode call (KV cells; also the
 * longest sentence). n_seq_max: sentences per decode call (1..256; at most n_ctx are used).
 * kv_f32: 1 keeps attention in F32 (F32 KV cache, no flash attention) for exact comparisons;
 * 0 uses llama.cpp's defaults (F16 KV cache, flash attention where supported). */
TN_API int32_t tn_session_open(tn_model * model, int32_t n_threads, int32_t n_ctx,
                               int32_t n_seq_max, int32_t kv_f32, tn_session ** out);
TN_API void    tn_session_close(tn_session * session);

/*
 * One forward pass over n_seq sentences in one llama_decode call. tokens holds the sentences'
 * tokens back to back; seq_len[s] is sentence s's length (>= 1). Each starts at position 0
 * and attends only to itself.
 *
 * Capture: slot k copies kind slot_kind[k] of layer slot_layer[k] (ignored for EMBD and
 * RESULT_NORM) into out + slot_offset[k] (in floats), as rows x width, row-major, where
 * width is n_embd (n_ff for ACT and the counting kinds) and rows are, in sentence order:
 *   all_positions == 0: one row per sentence, its last token;
 *   all_positions == 1: every token of every sentence (the counting kinds: still one row per
 *   sentence, counting over all its tokens);
 *   all_positions == 2: as 1, without each sentence's first token (a BOS, the same in every
 *   sentence; a one-token sentence gives no rows and counts of 0).
 *
 * Deactivation: before layer deact_layer[j]'s down projection, activation deact_neuron[j] is
 * set to deact_value[j] (0 switches a neuron off), at each sentence's last token, or at every
 * position with deact_all_positions == 1; only for sentences s with deact_seq_mask[s] != 0
 * (NULL: all sentences).
 *
 * Every captured value is checked: a NaN or infinity fails the run with TN_ERR_NONFINITE.
 */
TN_API int32_t tn_session_run(tn_session * session,
                              const int32_t * tokens, const int32_t * seq_len, int32_t n_seq,
                              int32_t all_positions,
                              const int32_t * slot_kind, const int32_t * slot_layer,
                              const int64_t * slot_offset, int32_t n_slots, float * out,
                              const int32_t * deact_layer, const int32_t * deact_neuron,
                              const float * deact_value, int32_t n_deact,
                              int32_t deact_all_positions, const uint8_t * deact_seq_mask);

/*
 * Generation, one sequence at a time: decodes n tokens at positions pos .. pos+n-1 after the
 * tokens already decoded (pos == 0 starts afresh; otherwise pos must be the number of tokens
 * decoded so far), and writes the logits of the last of them (n_vocab floats) to logits.
 * The deactivation (as in tn_session_run) applies at all n positions: give the prompt's
 * deactivation with the prompt and none with the generated tokens. tn_session_run forgets
 * what was decoded here. NaN or infinite logits fail with TN_ERR_NONFINITE.
 */
TN_API int32_t tn_session_continue(tn_session * session, const int32_t * tokens, int32_t n, int32_t pos,
                                   float * logits,
                                   const int32_t * deact_layer, const int32_t * deact_neuron,
                                   const float * deact_value, int32_t n_deact);

/* After TN_ERR_NONFINITE: the kind (a tn_kind; -1 for the logits of tn_session_continue), the
 * layer (-1 if none) and the sentence's index in the batch where a value was NaN or infinite. */
TN_API int32_t tn_session_nonfinite(const tn_session * session, int32_t * kind, int32_t * layer, int32_t * seq);

/* ---- Scoring ------------------------------------------------------------------------------ */

/* out[b * n_ff + i] = sum_j x[b * n_embd + j] * values[j * n_ff + i] for b < n_rows: the dot
 * products of the value vectors (columns of values, W_down dequantized as GGUF stores it) with
 * each row of x. n_threads <= 0: the machine's core count. */
TN_API int32_t tn_value_products(const float * values, int64_t n_embd, int64_t n_ff, const float * x,
                                 int32_t n_rows, float * out, int32_t n_threads);

/* ---- GGUF files: metadata and tensors through ggml's gguf.h ----------------------------- */

typedef struct tn_gguf tn_gguf;

/* Opens a GGUF file's index (not its tensor data); checks that every tensor's data lies within
 * the file, so that a truncated file fails here. */
TN_API int32_t tn_gguf_open(const char * path, tn_gguf ** out);
TN_API void    tn_gguf_close(tn_gguf * gguf);
TN_API int64_t tn_gguf_n_kv(const tn_gguf * gguf);
TN_API int64_t tn_gguf_n_tensors(const tn_gguf * gguf);
TN_API int64_t tn_gguf_find_key(const tn_gguf * gguf, const char * key);     /* -1 if absent */
TN_API int64_t tn_gguf_find_tensor(const tn_gguf * gguf, const char * name); /* -1 if absent */
TN_API const char * tn_gguf_key(const tn_gguf * gguf, int64_t i);
/* Returns value i's gguf_type (GGUF_TYPE_*, >= 0) or an error; for arrays, also the element
 * type and count. */
TN_API int32_t tn_gguf_kv_type(const tn_gguf * gguf, int64_t i, int32_t * arr_type, int64_t * arr_n);
/* Scalars of any numeric or bool type as double / int64; TN_ERR_ARG for other types. */
TN_API int32_t tn_gguf_get_f64(const tn_gguf * gguf, int64_t i, double * out);
TN_API int32_t tn_gguf_get_i64(const tn_gguf * gguf, int64_t i, int64_t * out);
/* A string value, or element j of a string array (j = -1 for a scalar string). */
TN_API const char * tn_gguf_get_str(const tn_gguf * gguf, int64_t i, int64_t j);
/* Element j of a numeric array as double. */
TN_API int32_t tn_gguf_get_arr_f64(const tn_gguf * gguf, int64_t i, int64_t j, double * out);

TN_API const char * tn_gguf_tensor_name(const tn_gguf * gguf, int64_t t);
/* ggml type, dimensions (ne[0] is the row length) and byte size of tensor t. */
TN_API int32_t tn_gguf_tensor_info(const tn_gguf * gguf, int64_t t, int32_t * type,
                                   int64_t * ne /* [4] */, int64_t * n_bytes);
TN_API const char * tn_ggml_type_name(int32_t type);
/* Rows [row0, row0 + n_rows) of tensor t (rows of ne[0] elements) dequantized to float with
 * ggml's type traits: works for every type llama.cpp can convert to float. */
TN_API int32_t tn_gguf_read_rows(const tn_gguf * gguf, int64_t t, int64_t row0, int64_t n_rows,
                                 float * out);

/* ---- writing GGUF files ------------------------------------------------------------------ */

typedef struct tn_writer tn_writer;

/* Starts a GGUF file at path (overwritten). Metadata first, then tensor declarations (F32),
 * then tn_writer_begin_data, then each tensor's data in declaration order, then finish. */
TN_API int32_t tn_writer_open(const char * path, tn_writer ** out);
/* Copies every key of src (e.g. a tokenizer from a vocab-only GGUF). */
TN_API int32_t tn_writer_copy_kv(tn_writer * w, const tn_gguf * src);
TN_API int32_t tn_writer_set_str(tn_writer * w, const char * key, const char * value);
TN_API int32_t tn_writer_set_u32(tn_writer * w, const char * key, uint32_t value);
TN_API int32_t tn_writer_set_f32(tn_writer * w, const char * key, float value);
TN_API int32_t tn_writer_remove_key(tn_writer * w, const char * key);
TN_API int32_t tn_writer_add_tensor(tn_writer * w, const char * name, int32_t n_dims, const int64_t * ne);
TN_API int32_t tn_writer_begin_data(tn_writer * w);
/* The next declared tensor's values, all of them (F32). */
TN_API int32_t tn_writer_write_tensor(tn_writer * w, const float * data, int64_t n);
/* Flushes and closes; TN_ERR_ARG if tensors are missing. */
TN_API int32_t tn_writer_finish(tn_writer * w);
/* Frees the writer; an unfinished file is removed. */
TN_API void    tn_writer_close(tn_writer * w);

/* ---- quantization ------------------------------------------------------------------------ */

/* llama_model_quantize from in to out with a llama_ftype; n_threads <= 0: core count. */
TN_API int32_t tn_quantize(const char * in, const char * out, int32_t ftype, int32_t n_threads);
/* Tensors done and in all of the tn_quantize running now (or last run), for progress from
 * another thread; total is 0 until the first tensor starts. */
TN_API void    tn_quantize_progress(int32_t * done, int32_t * total);

#ifdef __cplusplus
}
#endif

#endif /* TN_H */
