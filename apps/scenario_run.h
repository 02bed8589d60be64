#pragma once
// One scenario, end to end: network -> simulation -> cameras -> reads -> store -> analysis,
// written atomically into an output directory.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "scenarios/scenario.h"

namespace alprsim {

struct RunOptions {
    std::filesystem::path outDir;
    bool replaceExisting = false;
};

// Returns the results.json document that was written. Throws InputError for problems with
// the scenario or its data, Interrupted on SIGINT/SIGTERM; the output directory then does
// not exist (or still holds the previous complete run when replacing).
nlohmann::json runScenario(const Scenario& scenario, const RunOptions& options);

// The few plain sentences printed after a run.
std::string plainSummary(const nlohmann::json& results, const std::filesystem::path& outDir);

}  // namespace alprsim
