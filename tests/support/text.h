#pragma once
// Small text checks shared by the tests (one definition: the test executables are unity builds,
// tests/CMakeLists.txt, so file-local copies of a helper would clash).
#include <string_view>

namespace alprsim::test {

// Whether `part` occurs in `text`.
inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace alprsim::test
