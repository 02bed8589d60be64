#pragma once
// A sweep, end to end, into one directory:
//   DIR/sweep.json            the sweep as given and its runs (id, point, seed, parameter values)
//   DIR/scenarios/<id>.json   the complete scenario of each run
//   DIR/runs/<id>/            each run's `alprsim run` output (exists only once complete)
//   DIR/logs/<id>.log         each run's messages
//   DIR/runs.csv              each run's status: finished, failed, not run
//   DIR/summary.csv           mean and 95% CI over seeds per parameter combination and metric
// A rerun into the same DIR skips runs whose results.json exists and redoes the others.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sweep/run_backend.h"
#include "sweep/sweep_plan.h"
#include "sweep/sweep_spec.h"

namespace alprsim {

struct SweepReport {
    size_t runs = 0;
    size_t alreadyDone = 0;            // skipped: finished by an earlier invocation
    size_t executed = 0;               // started by this invocation
    std::vector<RunOutcome> failures;  // executed but not finished
    std::filesystem::path summary;
};

// Validates every run's scenario before starting any (InputError names the run and its file),
// then executes the unfinished runs on `backend` and aggregates. Holds a lock on DIR: a second
// sweep into the same DIR at the same time is refused.
SweepReport runSweep(const SweepSpec& spec, const std::filesystem::path& outDir, RunBackend& backend);

// A finished run's results.json, or nullopt: not finished, or damaged (then `problem` says
// which file and what is wrong).
std::optional<nlohmann::json> readFinishedRun(const std::filesystem::path& runDir, std::string& problem);

// The runs of `plan` that have finished in `outDir` (damaged ones left out): run id -> results.json.
std::map<std::string, nlohmann::json> finishedResults(const SweepPlan& plan, const std::filesystem::path& outDir);

}  // namespace alprsim
