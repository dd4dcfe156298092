// GGUF files through ggml's own gguf.h: reading metadata and tensors (dequantized with ggml's
// type traits), and writing files tensor by tensor so that a large model never sits in memory.
#include "tn_internal.h"

#include "ggml.h"
#include "gguf.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using tn::error;

struct tn_gguf {
    gguf_context * ctx = nullptr;
    std::string    path;
    int            fd = -1;

    ~tn_gguf() {
        if (ctx) gguf_free(ctx);
        if (fd >= 0) close(fd);
    }
};

namespace {

void check_kv(const tn_gguf * g, int64_t i) {
    if (g == nullptr) throw error(TN_ERR_ARG, "null gguf handle");
    if (i < 0 || i >= gguf_get_n_kv(g->ctx)) {
        throw error(TN_ERR_ARG, "metadata index " + std::to_string(i) + " out of range");
    }
}

void check_tensor(const tn_gguf * g, int64_t t) {
    if (g == nullptr) throw error(TN_ERR_ARG, "null gguf handle");
    if (t < 0 || t >= gguf_get_n_tensors(g->ctx)) {
        throw error(TN_ERR_ARG, "tensor index " + std::to_string(t) + " out of range");
    }
}

// A scalar of any numeric type, read at its own width.
bool scalar_f64(const gguf_context * ctx, int64_t i, double & out) {
    switch (gguf_get_kv_type(ctx, i)) {
        case GGUF_TYPE_UINT8: out = gguf_get_val_u8(ctx, i); return true;
        case GGUF_TYPE_INT8: out = gguf_get_val_i8(ctx, i); return true;
        case GGUF_TYPE_UINT16: out = gguf_get_val_u16(ctx, i); return true;
        case GGUF_TYPE_INT16: out = gguf_get_val_i16(ctx, i); return true;
        case GGUF_TYPE_UINT32: out = gguf_get_val_u32(ctx, i); return true;
        case GGUF_TYPE_INT32: out = gguf_get_val_i32(ctx, i); return true;
        case GGUF_TYPE_FLOAT32: out = gguf_get_val_f32(ctx, i); return true;
        case GGUF_TYPE_UINT64: out = (double) gguf_get_val_u64(ctx, i); return true;
        case GGUF_TYPE_INT64: out = (double) gguf_get_val_i64(ctx, i); return true;
        case GGUF_TYPE_FLOAT64: out = gguf_get_val_f64(ctx, i); return true;
        case GGUF_TYPE_BOOL: out = gguf_get_val_bool(ctx, i) ? 1 : 0; return true;
        default: return false;
    }
}

// The failure value of a getter that returns a pointer or an index, with tn_last_error() set.
template <typename T> T failed(T value, const std::string & msg) {
    tn::fail(TN_ERR_ARG, msg);
    return value;
}

template <typename T> double element(const void * data, int64_t j) {
    return (double) static_cast<const T *>(data)[j];
}

} // namespace

uint64_t tn::tensor_file_offset(const tn_gguf * g, int64_t t) {
    return gguf_get_data_offset(g->ctx) + gguf_get_tensor_offset(g->ctx, t);
}

extern "C" {

int32_t tn_gguf_open(const char * path, tn_gguf ** out) {
    return tn::guard([&] {
        if (out == nullptr) throw error(TN_ERR_ARG, "null output handle");
        *out = nullptr;
        tn::ensure_backend();
        tn::require_regular_file(path);
        tn::forget_log();
        auto g = std::make_unique<tn_gguf>();
        g->path = path;
        gguf_init_params params = {/*no_alloc =*/true, /*ctx =*/nullptr};
        g->ctx = gguf_init_from_file(path, params);
        if (g->ctx == nullptr) {
            throw error(TN_ERR_FORMAT, tn::with_log(std::string(path) + ": not a valid GGUF file"));
        }
        g->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (g->fd < 0) throw error(TN_ERR_IO, std::string(path) + ": " + strerror(errno));
        struct stat st;
        fstat(g->fd, &st);
        const uint64_t data = gguf_get_data_offset(g->ctx);
        for (int64_t t = 0; t < gguf_get_n_tensors(g->ctx); t++) {
            const uint64_t end = data + gguf_get_tensor_offset(g->ctx, t) + gguf_get_tensor_size(g->ctx, t);
            if (end > (uint64_t) st.st_size) {
                throw error(TN_ERR_FORMAT, std::string(path) + ": truncated: tensor '" +
                                               gguf_get_tensor_name(g->ctx, t) + "' ends at byte " +
                                               std::to_string(end) + " but the file has " +
                                               std::to_string((uint64_t) st.st_size) + " bytes");
            }
        }
        *out = g.release();
    });
}

void tn_gguf_close(tn_gguf * gguf) {
    delete gguf;
}

int64_t tn_gguf_n_kv(const tn_gguf * g) {
    if (g == nullptr) return failed(-1, "null gguf handle");
    return gguf_get_n_kv(g->ctx);
}

int64_t tn_gguf_n_tensors(const tn_gguf * g) {
    if (g == nullptr) return failed(-1, "null gguf handle");
    return gguf_get_n_tensors(g->ctx);
}

int64_t tn_gguf_find_key(const tn_gguf * g, const char * key) {
    if (g == nullptr || key == nullptr) return failed(-1, "null argument");
    const int64_t i = gguf_find_key(g->ctx, key);
    return i >= 0 ? i : failed(-1, g->path + ": no metadata '" + key + "'");
}

int64_t tn_gguf_find_tensor(const tn_gguf * g, const char * name) {
    if (g == nullptr || name == nullptr) return failed(-1, "null argument");
    const int64_t t = gguf_find_tensor(g->ctx, name);
    return t >= 0 ? t : failed(-1, g->path + ": no tensor '" + name + "'");
}

const char * tn_gguf_key(const tn_gguf * g, int64_t i) {
    if (g == nullptr) return failed(nullptr, "null gguf handle");
    if (i < 0 || i >= gguf_get_n_kv(g->ctx)) {
        return failed(nullptr, "metadata index " + std::to_string(i) + " out of range");
    }
    return gguf_get_key(g->ctx, i);
}

int32_t tn_gguf_kv_type(const tn_gguf * g, int64_t i, int32_t * arr_type, int64_t * arr_n) {
    int32_t       type = TN_ERR_ARG;
    const int32_t rc = tn::guard([&] {
        check_kv(g, i);
        type = gguf_get_kv_type(g->ctx, i);
        const bool is_arr = type == GGUF_TYPE_ARRAY;
        if (arr_type) *arr_type = is_arr ? gguf_get_arr_type(g->ctx, i) : -1;
        if (arr_n) *arr_n = is_arr ? (int64_t) gguf_get_arr_n(g->ctx, i) : 0;
    });
    return rc == TN_OK ? type : rc;
}

int32_t tn_gguf_get_f64(const tn_gguf * g, int64_t i, double * out) {
    return tn::guard([&] {
        check_kv(g, i);
        if (!scalar_f64(g->ctx, i, *out)) {
            throw error(TN_ERR_ARG, std::string("metadata '") + gguf_get_key(g->ctx, i) + "' is not a number");
        }
    });
}

int32_t tn_gguf_get_i64(const tn_gguf * g, int64_t i, int64_t * out) {
    return tn::guard([&] {
        check_kv(g, i);
        const gguf_type type = gguf_get_kv_type(g->ctx, i);
        if (type == GGUF_TYPE_UINT64) {
            *out = (int64_t) gguf_get_val_u64(g->ctx, i);
            return;
        }
        if (type == GGUF_TYPE_INT64) {
            *out = gguf_get_val_i64(g->ctx, i);
            return;
        }
        double v;
        if (!scalar_f64(g->ctx, i, v) || type == GGUF_TYPE_FLOAT32 || type == GGUF_TYPE_FLOAT64) {
            throw error(TN_ERR_ARG, std::string("metadata '") + gguf_get_key(g->ctx, i) + "' is not an integer");
        }
        *out = (int64_t) v;
    });
}

const char * tn_gguf_get_str(const tn_gguf * g, int64_t i, int64_t j) {
    if (g == nullptr) return failed(nullptr, "null gguf handle");
    if (i < 0 || i >= gguf_get_n_kv(g->ctx)) {
        return failed(nullptr, "metadata index " + std::to_string(i) + " out of range");
    }
    const std::string key = gguf_get_key(g->ctx, i);
    const gguf_type   type = gguf_get_kv_type(g->ctx, i);
    if (j < 0) {
        if (type != GGUF_TYPE_STRING) return failed(nullptr, g->path + ": metadata '" + key + "' is not a string");
        return gguf_get_val_str(g->ctx, i);
    }
    if (type != GGUF_TYPE_ARRAY || gguf_get_arr_type(g->ctx, i) != GGUF_TYPE_STRING) {
        return failed(nullptr, g->path + ": metadata '" + key + "' is not an array of strings");
    }
    if ((size_t) j >= gguf_get_arr_n(g->ctx, i)) {
        return failed(nullptr, g->path + ": no element " + std::to_string(j) + " in '" + key + "'");
    }
    return gguf_get_arr_str(g->ctx, i, (size_t) j);
}

int32_t tn_gguf_get_arr_f64(const tn_gguf * g, int64_t i, int64_t j, double * out) {
    return tn::guard([&] {
        check_kv(g, i);
        const std::string key = gguf_get_key(g->ctx, i);
        if (gguf_get_kv_type(g->ctx, i) != GGUF_TYPE_ARRAY)
            throw error(TN_ERR_ARG, "metadata '" + key + "' is not an array");
        if (j < 0 || (size_t) j >= gguf_get_arr_n(g->ctx, i))
            throw error(TN_ERR_ARG, "index out of range in '" + key + "'");
        const gguf_type et = gguf_get_arr_type(g->ctx, i);
        if (et == GGUF_TYPE_STRING || et == GGUF_TYPE_ARRAY)
            throw error(TN_ERR_ARG, "metadata '" + key + "' is not a numeric array");
        const void * d = gguf_get_arr_data(g->ctx, i);
        switch (et) {
            case GGUF_TYPE_UINT8: *out = element<uint8_t>(d, j); break;
            case GGUF_TYPE_INT8: *out = element<int8_t>(d, j); break;
            case GGUF_TYPE_UINT16: *out = element<uint16_t>(d, j); break;
            case GGUF_TYPE_INT16: *out = element<int16_t>(d, j); break;
            case GGUF_TYPE_UINT32: *out = element<uint32_t>(d, j); break;
            case GGUF_TYPE_INT32: *out = element<int32_t>(d, j); break;
            case GGUF_TYPE_FLOAT32: *out = element<float>(d, j); break;
            case GGUF_TYPE_UINT64: *out = element<uint64_t>(d, j); break;
            case GGUF_TYPE_INT64: *out = element<int64_t>(d, j); break;
            case GGUF_TYPE_FLOAT64: *out = element<double>(d, j); break;
            case GGUF_TYPE_BOOL: *out = static_cast<const int8_t *>(d)[j] ? 1 : 0; break;
            default: throw error(TN_ERR_ARG, "metadata '" + key + "' has an unknown element type");
        }
    });
}

const char * tn_gguf_tensor_name(const tn_gguf * g, int64_t t) {
    if (g == nullptr) return failed(nullptr, "null gguf handle");
    if (t < 0 || t >= gguf_get_n_tensors(g->ctx)) {
        return failed(nullptr, "tensor index " + std::to_string(t) + " out of range");
    }
    return gguf_get_tensor_name(g->ctx, t);
}

int32_t tn_gguf_tensor_info(const tn_gguf * g, int64_t t, int32_t * type, int64_t * ne, int64_t * n_bytes) {
    return tn::guard([&] {
        check_tensor(g, t);
        if (type) *type = gguf_get_tensor_type(g->ctx, t);
        if (ne) memcpy(ne, gguf_get_tensor_ne(g->ctx, t), sizeof(int64_t) * GGML_MAX_DIMS);
        if (n_bytes) *n_bytes = (int64_t) gguf_get_tensor_size(g->ctx, t);
    });
}

const char * tn_ggml_type_name(int32_t type) {
    const char * name = type >= 0 && type < GGML_TYPE_COUNT ? ggml_type_name((ggml_type) type) : nullptr;
    return name ? name : failed(nullptr, "unknown ggml type " + std::to_string(type));
}

int32_t tn_gguf_read_rows(const tn_gguf * g, int64_t t, int64_t row0, int64_t n_rows, float * out) {
    return tn::guard([&] {
        check_tensor(g, t);
        const std::string name = gguf_get_tensor_name(g->ctx, t);
        const ggml_type   type = gguf_get_tensor_type(g->ctx, t);
        const int64_t *   ne = gguf_get_tensor_ne(g->ctx, t);
        const int64_t     rows = ne[1] * ne[2] * ne[3];
        if (row0 < 0 || n_rows < 0 || row0 + n_rows > rows) {
            throw error(TN_ERR_ARG, "rows [" + std::to_string(row0) + ", " + std::to_string(row0 + n_rows) +
                                        ") out of range for tensor '" + name + "' with " + std::to_string(rows) +
                                        " rows");
        }
        if (out == nullptr) throw error(TN_ERR_ARG, "null output buffer");
        const auto * traits = ggml_get_type_traits(type);
        if (type != GGML_TYPE_F32 && traits->to_float == nullptr) {
            throw error(TN_ERR_UNSUPPORTED, "tensor '" + name + "' has type " + ggml_type_name(type) +
                                                ", which ggml cannot convert to float");
        }
        const size_t   row_bytes = ggml_row_size(type, ne[0]);
        const uint64_t base = gguf_get_data_offset(g->ctx) + gguf_get_tensor_offset(g->ctx, t);
        // a bounded staging buffer: a few MiB of rows at a time
        const int64_t        chunk = std::max<int64_t>(1, (int64_t) ((8u << 20) / row_bytes));
        std::vector<uint8_t> buf;
        for (int64_t r = row0; r < row0 + n_rows; r += chunk) {
            const int64_t n = std::min(chunk, row0 + n_rows - r);
            const size_t  bytes = row_bytes * (size_t) n;
            buf.resize(bytes);
            size_t done = 0;
            while (done < bytes) {
                ssize_t got = pread(g->fd, buf.data() + done, bytes - done, (off_t) (base + row_bytes * r + done));
                if (got <= 0) {
                    throw error(TN_ERR_IO,
                                g->path + ": cannot read tensor '" + name + "': " +
                                    (got == 0 ? std::string("unexpected end of file") : std::string(strerror(errno))));
                }
                done += (size_t) got;
            }
            float * dst = out + (r - row0) * ne[0];
            if (type == GGML_TYPE_F32) {
                memcpy(dst, buf.data(), bytes);
            } else {
                traits->to_float(buf.data(), dst, n * ne[0]);
            }
        }
    });
}

} // extern "C"

// ---- writing -----------------------------------------------------------------------------

struct tn_writer {
    std::string          path;
    gguf_context *       ctx = nullptr;
    ggml_context *       meta = nullptr; // tensor descriptors only, no data
    FILE *               file = nullptr;
    int64_t              next = -1;   // next tensor to write; -1 before begin_data
    int64_t              written = 0; // values of tensor next written so far
    bool                 finished = false;
    std::vector<uint8_t> converted; // a chunk of rows in the tensor's type

    ~tn_writer() {
        if (file) fclose(file);
        if (!finished && !path.empty()) remove(path.c_str());
        if (meta) ggml_free(meta);
        if (ctx) gguf_free(ctx);
    }
};

namespace {

constexpr int64_t max_writer_tensors = 8192;

void check_writer_meta(const tn_writer * w, const char * key) {
    if (w == nullptr) throw error(TN_ERR_ARG, "null writer");
    if (w->next >= 0) throw error(TN_ERR_ARG, "metadata must be set before tensor data is written");
    if (key == nullptr || *key == '\0') throw error(TN_ERR_ARG, "empty metadata key");
    if (strcmp(key, "general.alignment") == 0) throw error(TN_ERR_ARG, "general.alignment cannot be set");
}

void write_all(tn_writer * w, const void * data, size_t n) {
    if (n && fwrite(data, 1, n, w->file) != n) {
        throw error(TN_ERR_IO, w->path + ": write failed: " + strerror(errno));
    }
}

} // namespace

extern "C" {

int32_t tn_writer_open(const char * path, tn_writer ** out) {
    return tn::guard([&] {
        if (out == nullptr) throw error(TN_ERR_ARG, "null output handle");
        *out = nullptr;
        if (path == nullptr || *path == '\0') throw error(TN_ERR_ARG, "no output path given");
        tn::ensure_backend();
        auto w = std::make_unique<tn_writer>();
        w->ctx = gguf_init_empty();
        ggml_init_params params = {(size_t) max_writer_tensors * ggml_tensor_overhead(), nullptr, /*no_alloc =*/true};
        w->meta = ggml_init(params);
        w->file = fopen(path, "wb");
        if (w->file == nullptr) throw error(TN_ERR_IO, std::string(path) + ": " + strerror(errno));
        w->path = path;
        *out = w.release();
    });
}

int32_t tn_writer_copy_kv(tn_writer * w, const tn_gguf * src) {
    return tn::guard([&] {
        check_writer_meta(w, "-");
        if (src == nullptr) throw error(TN_ERR_ARG, "null source");
        gguf_set_kv(w->ctx, src->ctx);
    });
}

int32_t tn_writer_set_str(tn_writer * w, const char * key, const char * value) {
    return tn::guard([&] {
        check_writer_meta(w, key);
        if (value == nullptr) throw error(TN_ERR_ARG, "null value for " + std::string(key));
        gguf_set_val_str(w->ctx, key, value);
    });
}

int32_t tn_writer_set_u32(tn_writer * w, const char * key, uint32_t value) {
    return tn::guard([&] {
        check_writer_meta(w, key);
        gguf_set_val_u32(w->ctx, key, value);
    });
}

int32_t tn_writer_set_f32(tn_writer * w, const char * key, float value) {
    return tn::guard([&] {
        check_writer_meta(w, key);
        gguf_set_val_f32(w->ctx, key, value);
    });
}

int32_t tn_writer_remove_key(tn_writer * w, const char * key) {
    return tn::guard([&] {
        check_writer_meta(w, key);
        gguf_remove_key(w->ctx, key);
    });
}

int32_t tn_writer_add_tensor(tn_writer * w, const char * name, int32_t n_dims, const int64_t * ne) {
    return tn::guard([&] {
        if (w == nullptr) throw error(TN_ERR_ARG, "null writer");
        if (w->next >= 0) throw error(TN_ERR_ARG, "tensors must be declared before tensor data is written");
        if (name == nullptr || *name == '\0' || strlen(name) >= GGML_MAX_NAME) {
            throw error(TN_ERR_ARG, "tensor name must have 1 to " + std::to_string(GGML_MAX_NAME - 1) + " bytes");
        }
        if (gguf_find_tensor(w->ctx, name) >= 0)
            throw error(TN_ERR_ARG, std::string("duplicate tensor '") + name + "'");
        if (gguf_get_n_tensors(w->ctx) >= max_writer_tensors) throw error(TN_ERR_ARG, "too many tensors");
        if (n_dims < 1 || n_dims > GGML_MAX_DIMS || ne == nullptr)
            throw error(TN_ERR_ARG, "tensor '" + std::string(name) + "': 1 to 4 dimensions");
        for (int d = 0; d < n_dims; d++) {
            if (ne[d] <= 0) throw error(TN_ERR_ARG, "tensor '" + std::string(name) + "': dimensions must be positive");
        }
        ggml_tensor * t = ggml_new_tensor(w->meta, GGML_TYPE_F32, n_dims, ne);
        ggml_set_name(t, name);
        gguf_add_tensor(w->ctx, t);
    });
}

int32_t tn_writer_plan_types(tn_writer * w, int32_t ftype, const char * scratch, int32_t n_threads) {
    return tn::guard([&] {
        if (w == nullptr || scratch == nullptr) throw error(TN_ERR_ARG, "null argument");
        if (w->next >= 0) throw error(TN_ERR_ARG, "types must be planned before tensor data is written");
        const int64_t n_tensors = gguf_get_n_tensors(w->ctx);
        if (n_tensors == 0) throw error(TN_ERR_ARG, "no tensors declared");
        for (int64_t t = 0; t < n_tensors; t++) {
            if (gguf_get_tensor_type(w->ctx, t) != GGML_TYPE_F32) throw error(TN_ERR_ARG, "types are already planned");
        }
        // the declared F32 file without its data: a sparse file, header then a hole
        const size_t         last = (size_t) n_tensors - 1;
        const size_t         data = GGML_PAD(gguf_get_tensor_offset(w->ctx, last) + gguf_get_tensor_size(w->ctx, last),
                                             gguf_get_alignment(w->ctx));
        std::vector<uint8_t> meta(gguf_get_meta_size(w->ctx));
        gguf_get_meta_data(w->ctx, meta.data());
        struct skeleton_file {
            std::string path;
            ~skeleton_file() { remove(path.c_str()); }
        } skeleton{scratch};
        {
            FILE * f = fopen(scratch, "wb");
            if (f == nullptr) throw error(TN_ERR_IO, std::string(scratch) + ": " + strerror(errno));
            const bool ok = fwrite(meta.data(), 1, meta.size(), f) == meta.size() && fflush(f) == 0 &&
                            ftruncate(fileno(f), (off_t) (meta.size() + data)) == 0;
            fclose(f);
            if (!ok) throw error(TN_ERR_IO, std::string(scratch) + ": " + strerror(errno));
        }
        const std::vector<std::pair<std::string, std::string>> plan = tn::quantization_plan(scratch, ftype, n_threads);
        for (const auto & [name, type_name] : plan) {
            ggml_type type = GGML_TYPE_COUNT;
            for (int i = 0; i < GGML_TYPE_COUNT; i++) {
                const char * n = ggml_type_name((ggml_type) i);
                if (n != nullptr && type_name == n) type = (ggml_type) i;
            }
            if (type == GGML_TYPE_COUNT || gguf_find_tensor(w->ctx, name.c_str()) < 0) {
                throw error(TN_ERR_INTERNAL, "llama.cpp's quantization plan names " + name + " as " + type_name);
            }
            gguf_set_tensor_type(w->ctx, name.c_str(), type);
        }
        if ((int64_t) plan.size() != n_tensors) {
            throw error(TN_ERR_INTERNAL, "llama.cpp's quantization plan has " + std::to_string(plan.size()) + " of " +
                                             std::to_string(n_tensors) + " tensors");
        }
        // what llama_model_quantize records in its output
        gguf_set_val_u32(w->ctx, "general.quantization_version", GGML_QNT_VERSION);
        gguf_set_val_u32(w->ctx, "general.file_type", (uint32_t) ftype);
    });
}

int32_t tn_writer_begin_data(tn_writer * w) {
    return tn::guard([&] {
        if (w == nullptr) throw error(TN_ERR_ARG, "null writer");
        if (w->next >= 0) throw error(TN_ERR_ARG, "tensor data already begun");
        std::vector<uint8_t> meta(gguf_get_meta_size(w->ctx));
        gguf_get_meta_data(w->ctx, meta.data());
        write_all(w, meta.data(), meta.size());
        w->next = 0;
    });
}

int32_t tn_writer_write_values(tn_writer * w, const float * data, int64_t n, int32_t n_threads) {
    return tn::guard([&] {
        if (w == nullptr) throw error(TN_ERR_ARG, "null writer");
        if (w->next < 0) throw error(TN_ERR_ARG, "tn_writer_begin_data first");
        if (w->next >= gguf_get_n_tensors(w->ctx)) throw error(TN_ERR_ARG, "every declared tensor is already written");
        const std::string name = gguf_get_tensor_name(w->ctx, w->next);
        const ggml_type   type = gguf_get_tensor_type(w->ctx, w->next);
        const int64_t     row = gguf_get_tensor_ne(w->ctx, w->next)[0];
        const int64_t     total = (int64_t) (gguf_get_tensor_size(w->ctx, w->next) / ggml_row_size(type, row)) * row;
        if (data == nullptr || n <= 0 || n % row != 0 || w->written + n > total) {
            throw error(TN_ERR_ARG, "tensor '" + name + "' takes whole rows of " + std::to_string(row) + " values, " +
                                        std::to_string(total - w->written) + " more; got " + std::to_string(n));
        }
        const int64_t rows = n / row;
        w->converted.resize(ggml_row_size(type, row) * rows);
        if (type == GGML_TYPE_F32) {
            memcpy(w->converted.data(), data, (size_t) n * sizeof(float));
        } else {
            // rows quantize independently; llama_model_quantize makes the same bytes
            ggml_quantize_init(type);
            const int64_t threads =
                std::max<int64_t>(1, std::min<int64_t>(n_threads > 0 ? n_threads : tn::default_threads(), rows));
            std::vector<std::thread> pool;
            for (int64_t t = 0; t < threads; t++) {
                const int64_t r0 = rows * t / threads, r1 = rows * (t + 1) / threads;
                pool.emplace_back([&, r0, r1] {
                    ggml_quantize_chunk(type, data, w->converted.data(), r0 * row, r1 - r0, row, nullptr);
                });
            }
            for (auto & t : pool) t.join();
        }
        write_all(w, w->converted.data(), w->converted.size());
        w->written += n;
        if (w->written == total) {
            const size_t         bytes = gguf_get_tensor_size(w->ctx, w->next);
            const size_t         pad = GGML_PAD(bytes, gguf_get_alignment(w->ctx)) - bytes;
            static const uint8_t zeros[64] = {0};
            for (size_t left = pad; left > 0; left -= std::min(left, sizeof zeros)) {
                write_all(w, zeros, std::min(left, sizeof zeros));
            }
            w->next++;
            w->written = 0;
        }
    });
}

int32_t tn_writer_finish(tn_writer * w) {
    return tn::guard([&] {
        if (w == nullptr) throw error(TN_ERR_ARG, "null writer");
        if (w->next < 0) throw error(TN_ERR_ARG, "tn_writer_begin_data was never called");
        if (w->next != gguf_get_n_tensors(w->ctx)) {
            throw error(TN_ERR_ARG, "only " + std::to_string(w->next) + " of " +
                                        std::to_string(gguf_get_n_tensors(w->ctx)) + " tensors were written");
        }
        if (fflush(w->file) != 0 || fsync(fileno(w->file)) != 0) {
            throw error(TN_ERR_IO, w->path + ": " + strerror(errno));
        }
        FILE * f = w->file;
        w->file = nullptr;
        if (fclose(f) != 0) throw error(TN_ERR_IO, w->path + ": " + strerror(errno));
        w->finished = true;
    });
}

void tn_writer_close(tn_writer * w) {
    delete w;
}

} // extern "C"
