#pragma once
// TripReconstruction: for every true trip, how far the reads in one adversary view give it away
// (docs/metrics.md): observed, linked, endpoints exposed, route reconstructed. A read counts for
// a trip only when correctly attributed: it carries the vehicle's true plate (the adversary files
// a misread under another identity) and was made while the trip was under way.
// TripSplitting: the adversary's own trips (a plate's reads split at gaps), compared with the true
// ones; IdentityErrors: what misreads do to the adversary's identities.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/adversary_view.h"
#include "analysis/analysis_config.h"
#include "analysis/analysis_data.h"
#include "analysis/path_inference.h"

namespace alprsim {

enum class TripLevel : uint8_t { Unobserved, Observed, Linked, Route, Full };
std::string_view toString(TripLevel level);

struct TripOutcome {
    uint32_t reads = 0;               // correctly attributed reads in the view
    bool endpointsExposed = false;    // reads near both origin and destination
    float routeCoverage = 0.0f;       // share of the true route's length inferred (0 with < 2 reads)
    bool routeReconstructed = false;  // routeCoverage >= the threshold
    bool observed() const { return reads >= 1; }
    bool linked() const { return reads >= 2; }
    // Unobserved < observed < linked < route (route reconstructed) < full (route and endpoints).
    TripLevel level() const;
};

// Throws std::logic_error if an outcome breaks the nesting the definitions promise (linked =>
// observed, endpoints => observed, route => linked); each flag is computed on its own, so this
// checks the code, not a tautology.
void checkNesting(const TripOutcome& outcome, const AnalysisTrip& trip);

struct TripCounts {
    size_t departed = 0, observed = 0, linked = 0, endpointsExposed = 0, routeReconstructed = 0, full = 0;
    double coverageSumLinked = 0.0;             // for the mean route coverage over linked trips
    void add(const TripOutcome& departedTrip);  // counts one trip that departed
    nlohmann::json toJson() const;
};

struct InferredTripCounts {
    size_t inferred = 0;      // trips the adversary cut from its plate histories
    size_t matched = 0;       // exactly the reads of one true trip (and all of them)
    size_t fragments = 0;     // reads of one true trip, but not all of them
    size_t merged = 0;        // one vehicle's reads, but spanning several true trips (or none)
    size_t contaminated = 0;  // holding a read of another vehicle, misread into this plate
    size_t wrongVehicle = 0;  // most of its reads are of a vehicle whose plate is not this one
    nlohmann::json toJson() const;
};

struct IdentityCounts {
    size_t reads = 0, readsCorrect = 0, readsMisread = 0;
    size_t misreadAsOtherVehicle = 0;  // the misread string is another real vehicle's plate
    size_t misreadAsPhantom = 0;       // the misread string is nobody's plate
    size_t identities = 0, phantomIdentities = 0;
    size_t vehiclesSeen = 0;
    size_t vehiclesSplit = 0;             // a vehicle whose reads carry two or more plate strings
    size_t identitiesMixingVehicles = 0;  // a plate string holding reads of two or more vehicles
    nlohmann::json toJson() const;
};

struct TripReconstruction {
    std::vector<TripOutcome> outcomes;  // per data.trips index
    TripCounts counts;
};

// Every trip's outcome (in parallel over trips; each outcome depends on its trip's reads only, so
// the result is the same whatever the thread count). Legs between consecutive cameras come from
// `paths`, which memoises them.
TripReconstruction reconstructTrips(const AnalysisData& data, const std::vector<uint32_t>& visible, const PathInference& paths,
                                    const AnalysisConfig& config);

// The edges the adversary would draw for one trip (the fastest path through its reads'
// cameras, over plausible legs), for maps.
std::vector<uint32_t> inferredRoute(const AnalysisData& data, const std::vector<uint32_t>& tripReads, const PathInference& paths,
                                    const AnalysisConfig& config);

InferredTripCounts splitAndMatchTrips(const AnalysisData& data, const ReadsByPlate& byPlate, const TripReconstruction& truth,
                                      const AnalysisConfig& config);

IdentityCounts countIdentityErrors(const AnalysisData& data, const ReadsByPlate& byPlate);

}  // namespace alprsim
