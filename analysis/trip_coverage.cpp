#include "analysis/trip_coverage.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace alprsim {

namespace {
// Trip indices of each vehicle, in departure order.
std::unordered_map<std::string, std::vector<size_t>> tripsByVehicle(const std::vector<TripRecord>& trips) {
    std::unordered_map<std::string, std::vector<size_t>> byVehicle;
    for (size_t i = 0; i < trips.size(); ++i)
        if (trips[i].depart >= 0) byVehicle[trips[i].plan.vehicle].push_back(i);
    for (auto& [vehicle, list] : byVehicle)
        std::sort(list.begin(), list.end(), [&](size_t a, size_t b) { return trips[a].depart < trips[b].depart; });
    return byVehicle;
}
}  // namespace

std::vector<size_t> countReadsPerTrip(const std::vector<TripRecord>& trips, const ReadLog& reads, size_t* unattributed) {
    const auto byVehicle = tripsByVehicle(trips);
    // Each of the log's vehicles' trips, looked up once rather than by name a read.
    std::vector<const std::vector<size_t>*> tripsOf(reads.vehicles().size(), nullptr);
    for (size_t v = 0; v < tripsOf.size(); ++v)
        if (const auto it = byVehicle.find(reads.vehicles()[v]); it != byVehicle.end()) tripsOf[v] = &it->second;
    std::vector<size_t> counts(trips.size(), 0);
    size_t orphans = 0;
    for (const ReadLog::Entry& r : reads.entries()) {
        bool attributed = false;
        if (tripsOf[r.vehicle])
            for (size_t t : *tripsOf[r.vehicle]) {
                const double end = trips[t].arrive >= 0 ? trips[t].arrive : std::numeric_limits<double>::infinity();
                if (r.time >= trips[t].depart && r.time <= end) {
                    ++counts[t];
                    attributed = true;
                    break;
                }
            }
        orphans += !attributed;
    }
    if (unattributed) *unattributed = orphans;
    return counts;
}

CoverageMetrics summarizeCoverage(const std::vector<TripRecord>& trips, const std::vector<size_t>& readsPerTrip,
                                  size_t unattributed) {
    CoverageMetrics m;
    m.histogram.assign(6, 0);
    m.unattributed = unattributed;
    for (size_t i = 0; i < trips.size(); ++i) {
        if (trips[i].depart < 0) continue;
        ++m.trips;
        const size_t n = readsPerTrip[i];
        m.reads += n;
        if (n >= 1) ++m.observed;
        if (n >= 2) ++m.linked;
        ++m.histogram[std::min<size_t>(n, 5)];
    }
    return m;
}

nlohmann::json CoverageMetrics::toJson() const {
    return {
        {"trips_departed", trips},
        {"trips_observed", observed},
        {"trips_linked", linked},
        {"share_observed", observedShare()},
        {"share_linked", linkedShare()},
        {"reads_attributed", reads},
        {"reads_unattributed", unattributed},
        {"mean_reads_per_trip", trips ? double(reads) / trips : 0.0},
        {"trips_by_read_count",
         {{"0", histogram[0]},
          {"1", histogram[1]},
          {"2", histogram[2]},
          {"3", histogram[3]},
          {"4", histogram[4]},
          {"5+", histogram[5]}}},
    };
}

}  // namespace alprsim
