#pragma once
// One scenario, end to end: network -> simulation -> cameras -> reads -> store -> analysis,
// written atomically into a run folder (run_folder/run_folder.h).
#include <cstdint>
#include <filesystem>
#include <optional>

#include "run_folder/run_results.h"
#include "scenarios/scenario.h"
#include "sweep/slurm_backend.h"

namespace alprsim {

struct RunOptions {
    std::filesystem::path outDir;
    bool replaceExisting = false;
    // More than 1: a multi-day scenario runs each day in its own process, this many at a time
    // (pipeline/day_parts.h), through `executable run --only-day K`.
    unsigned dayProcesses = 1;
    std::filesystem::path executable;
    // Set (with dayProcesses above 1): the day processes run as a Slurm array job, at most
    // dayProcesses tasks at once; a scenario of one day is then an error (nothing to hand out).
    std::optional<SlurmOptions> slurm;
    // Threads for planning routes and for the cameras (0: one per core); results do not depend on it.
    unsigned threads = 0;
    // `run --only-day K --cameras-from FILE`: the fixed cameras the whole run deployed
    // (days/cameras.json), placed as listed instead of from the first day's plans; empty: planned.
    std::filesystem::path dayCameras;
};

// Returns the results that were written (results.json). Throws InputError for problems with
// the scenario or its data, Interrupted on SIGINT/SIGTERM; the output directory then does
// not exist (or still holds the previous complete run when replacing).
RunResults runScenario(const Scenario& scenario, const RunOptions& options);

struct DayPartSummary {
    uint32_t day = 0;
    size_t trips = 0, reads = 0;
};

// `alprsim run --only-day K`: simulates day K of the scenario alone and writes its day part
// (pipeline/day_parts.h) into options.outDir. Throws InputError if K is no day of the scenario.
DayPartSummary runDayPart(const Scenario& scenario, const RunOptions& options, uint32_t day);

}  // namespace alprsim
