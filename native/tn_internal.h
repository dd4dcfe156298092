// Internals shared by the tn_*.cpp files: errors that become status codes at the C boundary,
// and llama.cpp's log lines kept so that a failure can say what llama.cpp complained about.
#pragma once

#include "tn.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tn {

// Thrown inside the library; tn::guard turns it into a status code and tn_last_error().
struct error : std::runtime_error {
    int32_t code;
    error(int32_t code, const std::string & msg) : std::runtime_error(msg), code(code) {}
};

// Sets the thread's last error and returns code.
int32_t fail(int32_t code, const std::string & msg);

// Runs body; exceptions become status codes, so no C++ exception crosses the C API.
template <typename F> int32_t guard(F && body) {
    try {
        body();
        return TN_OK;
    } catch (const error & e) {
        return fail(e.code, e.what());
    } catch (const std::bad_alloc &) {
        return fail(TN_ERR_INTERNAL, "out of memory");
    } catch (const std::exception & e) {
        return fail(TN_ERR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(TN_ERR_INTERNAL, "internal error: unknown exception");
    }
}

// Progress of the running llama_model_quantize, read off llama.cpp's per-tensor log lines.
void quantize_begin();
void quantize_end(bool ok);
void quantize_progress(int32_t * done, int32_t * total);

// Everything llama.cpp logs between the two calls, verbatim (one collection at a time).
void        collect_log_begin();
std::string collect_log_end();

// The type llama_model_quantize gives each tensor of the GGUF file at path when quantizing it to
// llama_ftype ftype, as (tensor name, ggml type name): a dry run, whose per-tensor log lines say it.
std::vector<std::pair<std::string, std::string>> quantization_plan(const char * path, int32_t ftype, int32_t n_threads);

// llama.cpp's warnings and errors since the last call of forget_log(), as one line.
void        forget_log();
std::string recent_log();
// msg, followed by what llama.cpp logged while failing, if anything.
std::string with_log(const std::string & msg);

// Names what tn is doing inside llama.cpp (loading a model, decoding a batch) while it lives,
// for the message of a failed internal check that ends the process.
class activity {
  public:
    explicit activity(const std::string & what);
    ~activity();
    activity(const activity &) = delete;
    activity & operator=(const activity &) = delete;

  private:
    std::string previous;
};

// Routes llama.cpp/ggml logging through tn (once per process) and initialises the backends.
void ensure_backend();

// Checks that path names a readable regular file; throws TN_ERR_IO naming the path otherwise.
void require_regular_file(const char * path);

int32_t default_threads();

// Where the data of tensor t of a GGUF file starts, in bytes from the start of the file.
uint64_t tensor_file_offset(const tn_gguf * g, int64_t t);

} // namespace tn
