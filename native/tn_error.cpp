// Errors, llama.cpp's log, and process-wide setup.
#include "tn_internal.h"

#include "ggml.h"
#include "llama.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace tn {

static thread_local std::string last_error;

int32_t fail(int32_t code, const std::string & msg) {
    last_error = msg;
    return code;
}

namespace {
// llama_model_quantize has no progress callback; it logs "[  12/ 291] tensor name ..." as it
// starts each tensor, which is progress enough.
std::atomic<bool>    quantizing{false};
std::atomic<int32_t> quantize_done{0};
std::atomic<int32_t> quantize_total{0};

void note_quantize_progress(const char * text) {
    int started = 0, total = 0;
    if (quantizing && text[0] == '[' && sscanf(text, "[%d/%d]", &started, &total) == 2) {
        quantize_done = started - 1;
        quantize_total = total;
    }
}

std::mutex              log_mutex;
std::deque<std::string> log_lines; // recent warnings and errors, oldest first
bool                    collecting = false;
std::string             collected;   // everything logged since collect_log_begin
std::string             log_partial; // llama.cpp sometimes logs one line in several calls
bool                    log_verbose = false;
ggml_log_level          log_partial_level = GGML_LOG_LEVEL_NONE;

void on_log(ggml_log_level level, const char * text, void *) {
    std::lock_guard<std::mutex> lock(log_mutex);
    if (log_verbose) {
        fputs(text, stderr);
    }
    note_quantize_progress(text);
    if (collecting) {
        collected += text;
    }
    if (level != GGML_LOG_LEVEL_CONT) {
        log_partial_level = level;
    }
    if (log_partial_level != GGML_LOG_LEVEL_WARN && log_partial_level != GGML_LOG_LEVEL_ERROR) {
        return;
    }
    log_partial += text;
    size_t nl;
    while ((nl = log_partial.find('\n')) != std::string::npos) {
        std::string line = log_partial.substr(0, nl);
        log_partial.erase(0, nl + 1);
        if (!line.empty()) {
            log_lines.push_back(line);
            if (log_lines.size() > 8) {
                log_lines.pop_front();
            }
        }
    }
}
// What tn is doing in llama.cpp right now, for the message of a failed internal check.
std::mutex                    activity_mutex;
std::string                   current_activity;
std::atomic<tn_abort_handler> abort_handler{nullptr};
std::atomic_flag              stopping = ATOMIC_FLAG_INIT;

// ggml's abort callback: ggml_abort calls it with "file:line: GGML_ASSERT(...) failed" and then
// abort()s, which would end the JVM with SIGABRT and a debugger's backtrace on stdout. The
// process cannot go on (the failing thread is in the middle of llama.cpp), so the handler ends it
// in good order: tn's own message, cleanups, a plain exit code.
void on_ggml_abort(const char * message) {
    if (stopping.test_and_set()) {
        // another thread failed the same check at the same time: the first one is ending the process
        for (;;) pause();
    }
    std::string what;
    if (activity_mutex.try_lock()) {
        what = current_activity;
        activity_mutex.unlock();
    }
    // "../../src/llama-model.cpp:1260: GGML_ASSERT(...) failed" -> "llama-model.cpp:1260: ..."
    const char * colon = strchr(message, ':');
    const char * name = message;
    for (const char * c = message; colon != nullptr && c < colon; c++) {
        if (*c == '/') name = c + 1;
    }
    const std::string      text = "llama.cpp stopped on a failed internal check" +
                                  (what.empty() ? std::string() : " while " + what) + ": " + name;
    const tn_abort_handler handler = abort_handler.load();
    if (handler != nullptr) handler(text.c_str()); // does not return
    fprintf(stderr, "tn: error: %s\n", text.c_str());
    fflush(stderr);
    _exit(1);
}
} // namespace

activity::activity(const std::string & what) {
    std::lock_guard<std::mutex> lock(activity_mutex);
    previous = current_activity;
    current_activity = what;
}

activity::~activity() {
    std::lock_guard<std::mutex> lock(activity_mutex);
    current_activity = previous;
}

void quantize_begin() {
    quantize_done = 0;
    quantize_total = 0;
    quantizing = true;
}

void quantize_end(bool ok) {
    quantizing = false;
    if (ok) quantize_done = quantize_total.load();
}

void quantize_progress(int32_t * done, int32_t * total) {
    *done = quantize_done;
    *total = quantize_total;
}

void collect_log_begin() {
    std::lock_guard<std::mutex> lock(log_mutex);
    collecting = true;
    collected.clear();
}

std::string collect_log_end() {
    std::lock_guard<std::mutex> lock(log_mutex);
    collecting = false;
    return std::move(collected);
}

void forget_log() {
    std::lock_guard<std::mutex> lock(log_mutex);
    log_lines.clear();
    log_partial.clear();
}

std::string recent_log() {
    std::lock_guard<std::mutex> lock(log_mutex);
    std::string                 out;
    for (const auto & line : log_lines) {
        if (!out.empty()) {
            out += " | ";
        }
        out += line;
    }
    return out;
}

std::string with_log(const std::string & msg) {
    std::string log = recent_log();
    return log.empty() ? msg : msg + " (llama.cpp: " + log + ")";
}

void ensure_backend() {
    static std::once_flag once;
    std::call_once(once, [] {
        llama_log_set(on_log, nullptr);
        ggml_set_abort_callback(on_ggml_abort);
        llama_backend_init();
    });
}

void require_regular_file(const char * path) {
    if (path == nullptr || *path == '\0') {
        throw error(TN_ERR_ARG, "no file path given");
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        throw error(TN_ERR_IO, std::string(path) + ": " + strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        throw error(TN_ERR_IO, std::string(path) + ": is a directory, not a GGUF file");
    }
    if (!S_ISREG(st.st_mode)) {
        throw error(TN_ERR_IO, std::string(path) + ": not a regular file");
    }
    if (access(path, R_OK) != 0) {
        throw error(TN_ERR_IO, std::string(path) + ": " + strerror(errno));
    }
}

int32_t default_threads() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 4 : (int32_t) n;
}

} // namespace tn

extern "C" {

const char * tn_last_error(void) {
    return tn::last_error.c_str();
}

const char * tn_llama_version(void) {
    return TN_LLAMA_SOURCE;
}

int32_t tn_has_cuda(void) {
    return TN_CUDA;
}

void tn_set_abort_handler(tn_abort_handler handler) {
    tn::abort_handler = handler;
    tn::ensure_backend();
}

void tn_set_verbose(int32_t verbose) {
    tn::ensure_backend();
    std::lock_guard<std::mutex> lock(tn::log_mutex);
    tn::log_verbose = verbose != 0;
}

} // extern "C"
