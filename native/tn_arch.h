// The architecture table: for each llama.cpp architecture tn has read the graph builder of,
// where the method's quantities come from in llama.cpp's graph (src/models/<arch>.cpp) and
// whether tn supports it. The capture code takes its node names from here; the session's
// warm-up pass checks every one of them against the graph llama.cpp really builds.
#pragma once

#include "tn.h"

#include <string>

namespace tn {

// The row of an architecture name, or nullptr when tn has no row for it.
const tn_arch * find_arch(const std::string & name);

// The names of the architectures tn supports, comma separated (for error messages).
std::string supported_arch_names();

// Why a model of this architecture cannot be used, "" when it can: every capability of its row
// must be supported (a run never finds out halfway that a step is impossible).
std::string refusal(const std::string & name);

} // namespace tn
