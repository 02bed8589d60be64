// Inputs the fuzz harnesses (fuzz/) found to crash or misbehave, kept as regression tests: each
// is now refused with an InputError (or handled), in-process, as the harness calls it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "scenarios/scenario.h"
#include "sim/net_file.h"
#include "sim/towns.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_spec.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
fs::path writeInput(const std::string& name, const std::string& bytes) {
    const fs::path dir = fs::current_path() / "tmp-fuzz-regressions";
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary | std::ios::trunc) << bytes;
    return dir / name;
}
}  // namespace

TEST_CASE("fuzz_scenario: a deeply nested document is an InputError, not a stack overflow", "[hardening][fuzz]") {
    const std::string deep = "{\"name\": " + std::string(50'000, '[') + std::string(50'000, ']') + "}";
    CHECK_THROWS_AS(loadScenario(writeInput("deep.json", deep)), InputError);
}
