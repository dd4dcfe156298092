/*
 * tn: the native bridge between Java and llama.cpp.
 *
 * Everything here is plain C so that JNA can call it. Every function that can fail returns
 * TN_OK (0) or a negative TN_ERR_* code; those that return a pointer return NULL, and those that
 * return a count or an index return -1. After any such failure tn_last_error() describes it
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

/* The most sentences (sequences, states) one call takes: one llama_decode batch of them. */
#define TN_MAX_SEQUENCES 256

enum tn_status {
    TN_OK = 0,
    TN_ERR_ARG = -1,         /* a bad argument: out of range, null, too long, ... */
    TN_ERR_IO = -2,          /* a file is missing, unreadable, not a regular file, or not writable */
    TN_ERR_FORMAT = -3,      /* a file is not a valid GGUF, is truncated, lacks a tensor, ... */
    TN_ERR_MODEL = -4,       /* llama.cpp refused the model (unsupported architecture, ...) */
    TN_ERR_DECODE = -5,      /* llama_decode failed */
    TN_ERR_CAPTURE = -6,     /* a requested tensor was not found in the graph */
    TN_ERR_UNSUPPORTED = -7, /* a tensor type without a float conversion, ... */
    TN_ERR_INTERNAL = -8,    /* an unexpected exception inside llama.cpp or tn */
    TN_ERR_NONFINITE = -9    /* a forward pass gave NaN or infinity where it was captured (broken
                                weights or hyperparameters); tn_session_nonfinite says where */
};

/* What a capture slot copies. Per layer: FFN_INP, ACT, L_OUT, ACT_POSITIVE, GATE_POSITIVE;
 * once per model: EMBD, RESULT_NORM. Where each comes from in the graph is the architecture
 * table's business (tn_arch). */
enum tn_kind {
    TN_KIND_EMBD = 0,        /* embedding output, the input of layer 0 (graph node `embd`) */
    TN_KIND_FFN_INP = 1,     /* x_l: the residual stream layer l's MLP output is added to, before
                                it is added (h_{l-1} + attention output; tn_arch.x_source) */
    TN_KIND_ACT = 2,         /* a_l: the MLP activation, input of the down projection */
    TN_KIND_L_OUT = 3,       /* h_l: the output of layer l */
    TN_KIND_RESULT_NORM = 4, /* the final-normed output of the last layer */
    /* Counts instead of values: one row of n_ff per sentence, whatever the positions; element i
     * is the number of the sentence's positions (those asked for) where neuron i is > 0. */
    TN_KIND_ACT_POSITIVE = 5, /* of the MLP activation a_l (after any deactivation) */
    TN_KIND_GATE_POSITIVE = 6 /* of the gate projection: act(gate) > 0 for SiLU and GELU, LAPE's
                                 definition (Tang et al. 2024) */
};

/* Which token positions of each sentence a capture or a deactivation applies to. */
enum tn_positions {
    TN_POSITIONS_LAST = 0,       /* the sentence's last token */
    TN_POSITIONS_ALL = 1,        /* every token */
    TN_POSITIONS_AFTER_FIRST = 2 /* every token but the first (a BOS, the same in every sentence;
                                    a one-token sentence gives no rows and counts of 0); captures only */
};

TN_API const char * tn_last_error(void);
/* The pinned llama.cpp source this library was built from, and whether CUDA is compiled in. */
TN_API const char * tn_llama_version(void);
TN_API int32_t      tn_has_cuda(void);
/* 1: pass llama.cpp's log lines to stderr; 0 (default): keep only warnings and errors, which
 * are appended to tn_last_error() messages when a call fails. */
TN_API void tn_set_verbose(int32_t verbose);
/* ggml stops the process on a failed internal check (GGML_ASSERT); tn routes that stop to
 * handler, with a message naming what tn was doing (loading which model, decoding what) and the
 * check that failed. handler runs on the failing thread, which cannot go on, and must end the
 * process. Without one (NULL), tn writes the message to stderr and exits with code 1: no SIGABRT,
 * no core dump, no debugger backtrace on stdout. */
typedef void (*tn_abort_handler)(const char * message);
TN_API void tn_set_abort_handler(tn_abort_handler handler);

/* ---- architectures: where the method's quantities come from in llama.cpp's graph --------- */

/* How x_l is obtained: the residual stream that layer l's MLP output is added to, before it is
 * added (h_{l-1} plus the attention output of layer l). */
enum tn_x_source {
    TN_X_NONE = 0,    /* not defined for this architecture (it is refused) */
    TN_X_NODE = 1,    /* a graph node holds it: x_node-l (`ffn_inp-l` in sequential blocks) */
    TN_X_SUBTRACT = 2 /* h_node-l minus mlp_out_node-l, for blocks whose graph adds the MLP output
                         to h_{l-1} and the attention output without naming their sum */
};

/* One row of tn's architecture table (native/tn_arch.cpp). Node names are llama.cpp's graph
 * names without the layer suffix: layer l's node is "<name>-l". A session checks each of them
 * against the graph llama.cpp builds before it runs anything. Strings are static. */
typedef struct tn_arch {
    const char * name;            /* llama.cpp's general.architecture */
    const char * models;          /* models known to convert to it */
    const char * block;           /* the block in words: norms, attention, MLP, how they join */
    int32_t      x_source;        /* enum tn_x_source */
    const char * x_node;          /* TN_X_NODE: the node holding x_l; NULL otherwise */
    const char * act_node;        /* a_l: the second operand of the mat-mul with the value tensor */
    const char * gate_node;       /* the gate projection (LAPE's signal); NULL if it has no node */
    const char * mlp_out_node;    /* the MLP output, value tensor x a_l, before it joins the residual */
    const char * h_node;          /* h_l, the output of layer l */
    const char * final_norm_node; /* the last layer's output after the final norm (no suffix) */
    const char * value_tensor;    /* blk.l.<value_tensor>.weight: column i is neuron i's value vector */
    const char * deactivation;    /* how a_{l,i} is set to 0, in words */
    /* NULL where the capability is supported; otherwise why not */
    const char * no_detection;    /* centroids, transfer scores, ranking */
    const char * no_analyses;     /* hidden states and activations of the analyses, generation */
    const char * no_deactivation; /* switching neurons off */
} tn_arch;

TN_API int32_t tn_arch_count(void);
/* Row i (0 <= i < tn_arch_count()). */
TN_API int32_t tn_arch_get(int32_t i, tn_arch * out);
/* The row of an architecture; TN_ERR_UNSUPPORTED, with tn_last_error() saying so, if the table
 * has none. */
TN_API int32_t tn_arch_find(const char * name, tn_arch * out);

/* ---- models ----------------------------------------------------------------------------- */

typedef struct tn_model tn_model;

/* Loads a GGUF model. n_gpu_layers: layers to offload (0 on a CPU-only build). An architecture
 * the table does not support in full is refused before llama.cpp loads anything:
 * TN_ERR_UNSUPPORTED, tn_last_error() naming the architecture and the reason. */
TN_API int32_t tn_model_open(const char * path, int32_t n_gpu_layers, tn_model ** out);
TN_API void    tn_model_close(tn_model * model);

/* Model facts. Strings stay valid while the model is open. n_ff is read from the shape of
 * blk.0.ffn_down.weight; file_type is general.file_type (a llama_ftype), -1 if absent. */
typedef struct tn_model_info {
    int32_t      n_layer;
    int32_t      n_embd;
    int32_t      n_ff;
    int32_t      n_head;
    int32_t      n_head_kv;
    int32_t      n_vocab;
    int32_t      n_ctx_train;
    int32_t      file_type;
    int32_t      add_bos; /* whether tokenization adds BOS, per the model's metadata */
    int64_t      n_params;
    int64_t      size_bytes; /* tensor data size */
    const char * architecture;
    const char * description; /* llama_model_desc */
} tn_model_info;

TN_API int32_t tn_model_get_info(const tn_model * model, tn_model_info * out);

/* Tokenizes UTF-8 text (len bytes) with BOS/EOS as the model's metadata says. Writes at most
 * cap tokens; *n_tokens receives the count (also when cap is too small: then TN_ERR_ARG). */
TN_API int32_t tn_tokenize(const tn_model * model, const char * text, int32_t len, int32_t * tokens, int32_t cap,
                           int32_t * n_tokens);
/* 1 if token ends generation (EOS, EOT, ... per the vocabulary), 0 otherwise; TN_ERR_ARG for a
 * token outside the vocabulary. */
TN_API int32_t tn_token_is_eog(const tn_model * model, int32_t token);
/* Detokenizes into buf (cap bytes); *len receives the UTF-8 length (TN_ERR_ARG if cap is short).
 * remove_special drops BOS/EOS; special tokens are otherwise rendered as text. */
TN_API int32_t tn_detokenize(const tn_model * model, const int32_t * tokens, int32_t n_tokens, int32_t remove_special,
                             char * buf, int32_t cap, int32_t * len);

/* ---- sessions: batched forward passes with capture and deactivation ---------------------- */

typedef struct tn_session tn_session;

/* n_threads <= 0: the machine's core count. n_ctx: tokens per decode call (KV cells; also the
 * longest sentence). n_seq_max: sentences per decode call (1..TN_MAX_SEQUENCES; at most n_ctx are used).
 * kv_f32: 1 keeps attention in F32 for exact comparisons (F32 KV cache; on the CPU through flash
 * attention over the F32 cache itself, elsewhere without flash attention); 0 uses llama.cpp's
 * defaults (F16 KV cache, flash attention where supported). */
TN_API int32_t tn_session_open(tn_model * model, int32_t n_threads, int32_t n_ctx, int32_t n_seq_max, int32_t kv_f32,
                               tn_session ** out);
TN_API void    tn_session_close(tn_session * session);

/*
 * What one tn_session_run does. A zero-initialised struct is a batch of nothing that captures
 * nothing and switches nothing off; fill in at least the batch.
 *
 * Batch: tokens holds n_seq sentences' tokens back to back; seq_len[s] is sentence s's length
 * (>= 1). Each starts at position 0 and attends only to itself.
 *
 * Capture: slot k copies kind slot_kind[k] (enum tn_kind) of layer slot_layer[k] (ignored for
 * EMBD and RESULT_NORM) into out + slot_offset[k] (in floats), as rows x width, row-major, where
 * width is n_embd (n_ff for ACT and the counting kinds) and rows are, in sentence order, the
 * positions capture_positions names: one row per sentence for TN_POSITIONS_LAST, one per token
 * for the others (the counting kinds: always one row per sentence, counting over those tokens).
 *
 * Deactivation: before layer deact_layer[j]'s down projection, activation deact_neuron[j] is
 * set to deact_value[j] (0 switches a neuron off), at the positions deact_positions names
 * (TN_POSITIONS_LAST or TN_POSITIONS_ALL), in every sentence.
 *
 * Every captured value is checked: a NaN or infinity fails the run with TN_ERR_NONFINITE.
 */
typedef struct tn_run_params {
    const int32_t * tokens;
    const int32_t * seq_len;
    int32_t         n_seq;

    int32_t         capture_positions; /* enum tn_positions */
    const int32_t * slot_kind;
    const int32_t * slot_layer;
    const int64_t * slot_offset;
    int32_t         n_slots;
    float *         out;

    const int32_t * deact_layer;
    const int32_t * deact_neuron;
    const float *   deact_value;
    int32_t         n_deact;
    int32_t         deact_positions; /* enum tn_positions: LAST or ALL */
} tn_run_params;

/* One forward pass over a batch of sentences in one llama_decode call, as params say. */
TN_API int32_t tn_session_run(tn_session * session, const tn_run_params * params);

/*
 * Generation of several sequences at once (batched greedy decoding). A generation session holds
 * n_seq sequences (0..n_seq-1), each in a KV stream of its own of n_ctx_seq tokens, so that a
 * sequence computes as it would alone; a decode call takes at most n_batch rows. Only
 * tn_session_decode runs on it (tn_session_run takes a capture session).
 */
TN_API int32_t tn_session_open_generation(tn_model * model, int32_t n_threads, int32_t n_ctx_seq, int32_t n_seq,
                                          int32_t n_batch, int32_t kv_f32, tn_session ** out);

/*
 * One llama_decode of n_rows rows of a generation session: row i is token tokens[i] of
 * sequence seq[i] at position pos[i]. A sequence's rows come together at consecutive positions
 * that continue what it holds (a first position of 0 starts it afresh); the sequences of one
 * call are consecutive and ascending, each with as many rows (what llama.cpp decodes as one
 * ubatch). The deactivation (as in tn_session_run) applies at the rows with off[i] != 0: the
 * prompt's rows, not generated tokens. For each row with output[i] != 0, in row order, writes the
 * greedy choice best[k] (the largest logit, the lowest id among equals) and margin[k], the largest
 * logit minus the second largest. NaN or infinite logits fail with TN_ERR_NONFINITE.
 */
TN_API int32_t tn_session_decode(tn_session * session, const int32_t * tokens, const int32_t * seq, const int32_t * pos,
                                 const uint8_t * off, const uint8_t * output, int32_t n_rows,
                                 const int32_t * deact_layer, const int32_t * deact_neuron, const float * deact_value,
                                 int32_t n_deact, int32_t * best, float * margin);

/*
 * Whether a lone row computes bit for bit as it does among others on this machine and model: a
 * decode call of one row takes other kernels than one of several (llama.cpp's CPU mat-mul hands
 * a single row to a dot-product loop, several to tiled kernels), and for some weight types these
 * sum in another order. Decodes a probe in sequence 0, then its last token again alone and beside
 * a row of sequence 1, and compares every logit; *exact receives 1 when all are equal. Leaves
 * sequences 0 and 1 empty. Needs a generation session of at least 2 sequences.
 */
TN_API int32_t tn_session_lone_row_exact(tn_session * session, int32_t * exact);

/* After TN_ERR_NONFINITE: the kind (a tn_kind; -1 for the logits of tn_session_decode), the
 * layer (-1 if none) and the sentence's (sequence's) index in the batch where a value was NaN or
 * infinite. */
TN_API int32_t tn_session_nonfinite(const tn_session * session, int32_t * kind, int32_t * layer, int32_t * seq);

/*
 * For benchmarks: llama.cpp's own batched greedy decoding with no tn callback, in a context laid
 * out as tn_session_open_generation's. Sequence s's prompt is tokens[start_s .. start_s +
 * prompt_len[s]) (back to back); prompts are decoded one at a time, then every step decodes the
 * next token of each unfinished sequence together; sequence s generates n_new[s] >= 1 tokens
 * (argmax, end of generation not checked), written back to back to generated. *seconds receives
 * the wall time of the decoding (the context's creation left out).
 */
TN_API int32_t tn_bench_greedy(tn_model * model, int32_t n_threads, int32_t n_ctx_seq, int32_t kv_f32,
                               const int32_t * tokens, const int32_t * prompt_len, int32_t n_seq, const int32_t * n_new,
                               int32_t * generated, double * seconds);

/* ---- scoring: products with the value vectors ----------------------------------------- */

typedef struct tn_values tn_values;

/* flags of tn_values_open, for layers in host memory, which otherwise go to the CPU kernel reading
 * them through ggml: TN_VALUES_GRAPH runs them through the backend graph a GPU runs (on the CPU
 * backend); TN_VALUES_FILE has the kernel read their bytes from the model file, as it does for
 * weights llama.cpp repacked. All routes must agree. */
#define TN_VALUES_GRAPH 1
#define TN_VALUES_FILE  2

/* The down projections blk.l.ffn_down.weight of layers layer0 .. layer0 + n_layers - 1 of an
 * open model, read where llama.cpp holds them (quantized, on the CPU or a device), for the
 * products scoring needs. Layer k of the handle is model layer layer0 + k. n_threads <= 0: the
 * machine's core count. The model must stay open while the handle is. */
TN_API int32_t tn_values_open(tn_model * model, int32_t layer0, int32_t n_layers, int32_t n_threads, int32_t flags,
                              tn_values ** out);
TN_API void    tn_values_close(tn_values * values);
/* Where layer k's products run, in words ("CPU", "CUDA0", "CPU, from the file (...)"). */
TN_API const char * tn_values_where(const tn_values * values, int32_t k);
/* Per layer k: q[k * n_ff + i] = v_i . c_k and n[k * n_ff + i] = |v_i|^2, in double, where c_k
 * is c + k * n_embd (the layer's centroid). */
TN_API int32_t tn_values_constants(tn_values * values, const double * c, double * q, double * n);
/* For layers k0 .. k0 + nk - 1 (k = k0 + i): out[(i * n_rows + b) * n_ff + j] = v_j . x_b, the
 * dot product of value vector j with state b, where the states of layer k are the n_rows x n_embd
 * row-major matrix at x + i * n_rows * n_embd. n_rows: 0..TN_MAX_SEQUENCES. */
TN_API int32_t tn_values_products(tn_values * values, int32_t k0, int32_t nk, const float * x, int32_t n_rows,
                                  float * out);

/* ---- GGUF files: metadata and tensors through ggml's gguf.h ----------------------------- */

typedef struct tn_gguf tn_gguf;

/* Opens a GGUF file's index (not its tensor data); checks that every tensor's data lies within
 * the file, so that a truncated file fails here. */
TN_API int32_t tn_gguf_open(const char * path, tn_gguf ** out);
TN_API void    tn_gguf_close(tn_gguf * gguf);
TN_API int64_t tn_gguf_n_kv(const tn_gguf * gguf);
TN_API int64_t tn_gguf_n_tensors(const tn_gguf * gguf);
/* -1 if absent (tn_last_error() then names the key or tensor and the file). */
TN_API int64_t      tn_gguf_find_key(const tn_gguf * gguf, const char * key);
TN_API int64_t      tn_gguf_find_tensor(const tn_gguf * gguf, const char * name);
TN_API const char * tn_gguf_key(const tn_gguf * gguf, int64_t i);
/* Returns value i's gguf_type (GGUF_TYPE_*, >= 0) or an error; for arrays, also the element
 * type and count. */
TN_API int32_t tn_gguf_kv_type(const tn_gguf * gguf, int64_t i, int32_t * arr_type, int64_t * arr_n);
/* Scalars of any numeric or bool type as double / int64; TN_ERR_ARG for other types. */
TN_API int32_t tn_gguf_get_f64(const tn_gguf * gguf, int64_t i, double * out);
TN_API int32_t tn_gguf_get_i64(const tn_gguf * gguf, int64_t i, int64_t * out);
/* A string value, or element j of a string array (j = -1 for a scalar string); NULL, with
 * tn_last_error() saying why, for a value of another type or an element out of range. */
TN_API const char * tn_gguf_get_str(const tn_gguf * gguf, int64_t i, int64_t j);
/* Element j of a numeric array as double. */
TN_API int32_t tn_gguf_get_arr_f64(const tn_gguf * gguf, int64_t i, int64_t j, double * out);

TN_API const char * tn_gguf_tensor_name(const tn_gguf * gguf, int64_t t);
/* ggml type, dimensions (ne[0] is the row length) and byte size of tensor t. */
TN_API int32_t      tn_gguf_tensor_info(const tn_gguf * gguf, int64_t t, int32_t * type, int64_t * ne /* [4] */,
                                        int64_t * n_bytes);
TN_API const char * tn_ggml_type_name(int32_t type);
/* Rows [row0, row0 + n_rows) of tensor t (rows of ne[0] elements) dequantized to float with
 * ggml's type traits: works for every type llama.cpp can convert to float. */
TN_API int32_t tn_gguf_read_rows(const tn_gguf * gguf, int64_t t, int64_t row0, int64_t n_rows, float * out);

/* ---- writing GGUF files ------------------------------------------------------------------ */

typedef struct tn_writer tn_writer;

/* Starts a GGUF file at path (overwritten). Metadata first, then tensor declarations (F32),
 * optionally their types (tn_writer_plan_types), then tn_writer_begin_data, then each tensor's
 * values in declaration order, then finish. */
TN_API int32_t tn_writer_open(const char * path, tn_writer ** out);
/* Copies every key of src (e.g. a tokenizer from a vocab-only GGUF). */
TN_API int32_t tn_writer_copy_kv(tn_writer * w, const tn_gguf * src);
TN_API int32_t tn_writer_set_str(tn_writer * w, const char * key, const char * value);
TN_API int32_t tn_writer_set_u32(tn_writer * w, const char * key, uint32_t value);
TN_API int32_t tn_writer_set_f32(tn_writer * w, const char * key, float value);
TN_API int32_t tn_writer_remove_key(tn_writer * w, const char * key);
TN_API int32_t tn_writer_add_tensor(tn_writer * w, const char * name, int32_t n_dims, const int64_t * ne);
/* Gives each declared tensor the type llama_model_quantize would give it when quantizing the
 * declared F32 file to llama_ftype ftype, asked by a dry run over a sparse copy of that file at
 * scratch (header only; removed after). */
TN_API int32_t tn_writer_plan_types(tn_writer * w, int32_t ftype, const char * scratch, int32_t n_threads);
TN_API int32_t tn_writer_begin_data(tn_writer * w);
/* The next n values (whole rows) of the current tensor, as float: converted to its type (as
 * llama_model_quantize converts them) on n_threads threads (<= 0: core count). A tensor may come
 * in several calls; the next tensor starts when one is complete. */
TN_API int32_t tn_writer_write_values(tn_writer * w, const float * data, int64_t n, int32_t n_threads);
/* Flushes and closes; TN_ERR_ARG if tensors are missing. */
TN_API int32_t tn_writer_finish(tn_writer * w);
/* Frees the writer; an unfinished file is removed. */
TN_API void tn_writer_close(tn_writer * w);

/* ---- quantization ------------------------------------------------------------------------ */

/* llama_model_quantize from in to out with a llama_ftype; n_threads <= 0: core count. */
TN_API int32_t tn_quantize(const char * in, const char * out, int32_t ftype, int32_t n_threads);
/* Tensors done and in all of the tn_quantize running now (or last run), for progress from
 * another thread; total is 0 until the first tensor starts. */
TN_API void tn_quantize_progress(int32_t * done, int32_t * total);

#ifdef __cplusplus
}
#endif

#endif /* TN_H */
