// The model handle, shared by tn_model.cpp and tn_capture.cpp.
#pragma once

#include "tn.h"

#include <string>

struct llama_model;

struct tn_model {
    llama_model * model = nullptr;
    tn_gguf *     gguf  = nullptr; // the file's index: hyperparameters and tensor shapes
    std::string   path;
    std::string   architecture;
    std::string   description;
    tn_model_info info{};

    ~tn_model();
};
