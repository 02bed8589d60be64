#pragma once
// The runs of a sweep: every parameter combination ("point") times every seed, each with the
// complete scenario it simulates and a stable id. The id carries a hash of that scenario, so a
// rerun after the sweep or its base changed never mistakes an old run for a new one.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sweep/sweep_spec.h"

namespace alprsim {

struct PlannedRun {
    std::string id;    // p<point>-s<seed>-<hash of scenario>, e.g. p0003-s2-9f1c2ab4
    size_t point = 0;  // index of the parameter combination
    uint64_t seed = 0;
    std::vector<nlohmann::json> values;  // one per parameter, in SweepPlan::parameters order
    nlohmann::json scenario;             // the complete scenario (bases merged, values set)
};

struct SweepPlan {
    std::vector<std::string> parameters;  // JSON pointers: the grid's, then the zip's
    size_t points = 0;
    std::vector<PlannedRun> runs;  // point by point, seeds in the sweep's order
};

// Deterministic: the same spec and base files give the same runs, ids and order.
SweepPlan planSweep(const SweepSpec& spec);

}  // namespace alprsim
