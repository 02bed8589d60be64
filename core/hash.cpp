#include "core/hash.h"

#include <fmt/format.h>

namespace alprsim {

std::string hex64(uint64_t value) { return fmt::format("{:016x}", value); }

}  // namespace alprsim
