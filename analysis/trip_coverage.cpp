#include "analysis/trip_coverage.h"

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

std::vector<size_t> countReadsPerTrip(const std::vector<TripRecord>& trips, const ReadStore& store, size_t* unattributed) {
    const auto byVehicle = tripsByVehicle(trips);
    std::vector<size_t> counts(trips.size(), 0);
    size_t orphans = 0;
    store.forEachReadTimeAndVehicle([&](double time, const std::string& vehicle) {
        const auto it = byVehicle.find(vehicle);
        if (it != byVehicle.end()) {
            for (size_t t : it->second) {
                const double end = trips[t].arrive >= 0 ? trips[t].arrive : std::numeric_limits<double>::infinity();
                if (time >= trips[t].depart && time <= end) {
                    ++counts[t];
                    return;
                }
            }
        }
        ++orphans;
    });
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
