#include "analysis/home_towns.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace alprsim {

namespace {

struct TownFigures {
    size_t vehicles = 0;
    TripCounts trips;
    size_t homes = 0, homesFound = 0, work = 0, workFound = 0;
};

std::string homeTown(const AnalysisData& data, const AnalysisVehicle& v) {
    if (v.homeEdge == kNoIndex) return kNoHomeTown;
    const std::string& town = data.roads.edges()[v.homeEdge].town;
    return town.empty() ? kNoHomeTown : town;
}

// Whether vehicle i's place was found right (a view without the place metric finds none).
bool found(const PlaceCounts& places, size_t i) { return i < places.correctByVehicle.size() && places.correctByVehicle[i]; }

}  // namespace

nlohmann::json byHomeTown(const AnalysisData& data, const TripReconstruction& trips, const PlaceCounts& home,
                          const PlaceCounts& work) {
    nlohmann::json out = nlohmann::json::object();
    if (!data.populationKnown) return out;
    std::vector<std::string> townOf;
    townOf.reserve(data.vehicles.size());
    std::map<std::string, TownFigures> towns;
    for (size_t i = 0; i < data.vehicles.size(); ++i) {
        const AnalysisVehicle& v = data.vehicles[i];
        townOf.push_back(homeTown(data, v));
        TownFigures& f = towns[townOf.back()];
        ++f.vehicles;
        f.homes += v.homeEdge != kNoIndex;
        f.homesFound += found(home, i);
        f.work += v.workEdge != kNoIndex;
        f.workFound += found(work, i);
    }
    for (size_t t = 0; t < data.trips.size(); ++t)
        if (data.trips[t].departed()) towns[townOf[data.trips[t].vehicle]].trips.add(trips.outcomes[t]);
    for (const auto& [town, f] : towns)
        out[town] = {{"vehicles", f.vehicles},
                     {"trips", f.trips.toJson()},
                     {"homes", {{"vehicles", f.homes}, {"found", f.homesFound}}},
                     {"work", {{"vehicles", f.work}, {"found", f.workFound}}}};
    return out;
}

}  // namespace alprsim
