#pragma once
// The few plain sentences `alprsim run` prints after a run.
#include <filesystem>
#include <string>

#include "run_folder/run_results.h"

namespace alprsim {

// What the run simulated and measured, where its files are, and a warning when the traffic
// model did not carry the demand. `results`: a complete run's, as runScenario returns them.
std::string plainSummary(const RunResults& results, const std::filesystem::path& outDir);

}  // namespace alprsim
