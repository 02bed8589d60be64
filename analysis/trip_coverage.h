#pragma once
// Trip coverage: for each true trip, how many reads of its vehicle fall within it, and the
// shares of trips read at least once (observed) and at least twice (linked: direction and
// time of travel known). Reads are attributed by ground truth here, so this is the ceiling
// an adversary with perfect plate matching could reach.
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <vector>

#include "sim/trip_log.h"
#include "store/read_log.h"

namespace alprsim {

struct CoverageMetrics {
    size_t trips = 0;         // trips that entered the network
    size_t observed = 0;      // >= 1 read
    size_t linked = 0;        // >= 2 reads
    size_t reads = 0;         // reads attributed to a trip
    size_t unattributed = 0;  // reads whose vehicle had no trip under way: parked cars read by patrol cars
    double observedShare() const { return trips ? double(observed) / trips : 0.0; }
    double linkedShare() const { return trips ? double(linked) / trips : 0.0; }
    std::vector<size_t> histogram;  // trips with 0, 1, 2, 3, 4, 5+ reads
    nlohmann::json toJson() const;
};

// readsPerTrip[i] counts reads of trips[i]'s vehicle between its departure and arrival
// (or the end of the run if it had not arrived).
std::vector<size_t> countReadsPerTrip(const std::vector<TripRecord>& trips, const ReadLog& reads, size_t* unattributed = nullptr);

CoverageMetrics summarizeCoverage(const std::vector<TripRecord>& trips, const std::vector<size_t>& readsPerTrip,
                                  size_t unattributed);

}  // namespace alprsim
