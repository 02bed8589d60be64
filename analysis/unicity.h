#pragma once
// Unicity (de Montjoye et al. 2013, "Unique in the Crowd"): the share of traces that k points
// drawn at random from them single out from all others. A trace is one plate string's reads in
// the view (the adversary's identities); a point is (camera, time bin). For each trace with at
// least k distinct points, k of them are drawn (seeded per plate and k, so results are
// reproducible) and the trace is unique if no other trace holds all k. Above
// AnalysisConfig::unicitySampleTraces traces, a seeded random sample of that many is tested
// (each test costs in proportion to the traces sharing a point, so testing all would grow
// quadratically), as de Montjoye et al. estimated over a sample.
#include <nlohmann/json_fwd.hpp>

#include <vector>

#include "analysis/adversary_view.h"
#include "analysis/analysis_config.h"
#include "analysis/analysis_data.h"

namespace alprsim {

struct UnicityCounts {
    struct ForK {
        int k = 0;
        size_t traces = 0;  // traces with at least k distinct points
        size_t unique = 0;  // of those, singled out by k random points
    };
    size_t tracesTotal = 0;
    size_t tracesTested = 0;  // all traces, or AnalysisConfig::unicitySampleTraces of them
    std::vector<ForK> byK;
    nlohmann::json toJson() const;
};

UnicityCounts measureUnicity(const AnalysisData& data, const ReadsByPlate& byPlate, const AnalysisConfig& config);

}  // namespace alprsim
