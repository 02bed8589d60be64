#pragma once
// One scenario, end to end: network -> simulation -> cameras -> reads -> store -> analysis,
// written atomically into an output directory.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "scenarios/scenario.h"

namespace alprsim {

struct RunOptions {
    std::filesystem::path outDir;
    bool replaceExisting = false;
    // More than 1: a multi-day scenario runs each day in its own process, this many at a time
    // (apps/day_parts.h), through `executable --only-day K`.
    unsigned dayProcesses = 1;
    std::filesystem::path executable;
    // Set: simulate only this day and write a day part into outDir instead of a run.
    std::optional<uint32_t> onlyDay;
    // Threads for planning routes and for the cameras (0: one per core); results do not depend on it.
    unsigned threads = 0;
};

// Returns the results.json document that was written. Throws InputError for problems with
// the scenario or its data, Interrupted on SIGINT/SIGTERM; the output directory then does
// not exist (or still holds the previous complete run when replacing).
nlohmann::json runScenario(const Scenario& scenario, const RunOptions& options);

// The few plain sentences printed after a run.
std::string plainSummary(const nlohmann::json& results, const std::filesystem::path& outDir);

}  // namespace alprsim
