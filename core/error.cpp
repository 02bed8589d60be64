#include "core/error.h"

namespace alprsim {
namespace {
std::string describe(const std::string& file, const std::string& where, const std::string& expected) {
    std::string msg = file;
    if (!where.empty()) msg += ": at " + where;
    msg += ": " + expected;
    return msg;
}
}  // namespace

InputError::InputError(std::string file, std::string where, std::string expected)
    : std::runtime_error(describe(file, where, expected)),
      file_(std::move(file)),
      where_(std::move(where)),
      expected_(std::move(expected)) {}

}  // namespace alprsim
