#pragma once
// Demand: which trips the simulation drives, day by day, routed on the network. Two models:
// `random-od` (trips between length-weighted random edges, one per car, day 0 only) and
// `population` (a synthetic population with routines over many days; sim/population.h).
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json_reader.h"
#include "sim/population.h"
#include "sim/random_demand.h"
#include "sim/road_router.h"
#include "sim/route_assignment.h"
#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class SumoRoutes;
class TownMap;

struct DemandConfig {
    enum class Model { RandomOd, Population } model = Model::RandomOd;
    uint64_t vehicles = 0;           // random-od
    double departWindowHours = 0.0;  // random-od: departures spread over this from the start (0: 3/4 of the run)
    PopulationConfig population;     // population
    std::string source;              // file and JSON path, for errors found later
    std::string jsonPath;
};

struct DemandLimits {
    static constexpr uint64_t kMaxVehicles = 5'000'000;
    static constexpr double kMaxScale = 2.0;
};

// Reads the scenario's "demand" section; throws InputError (file, JSON path, expectation).
DemandConfig readDemandConfig(JsonObjectReader obj);

// Plans routed trips one simulated day at a time, within the scenario's time window.
class TripPlanner {
public:
    TripPlanner(const DemandConfig& config, const RoadNetwork& network, const TownMap& towns, uint64_t seed, double beginSeconds,
                double endSeconds);

    uint32_t firstDay() const { return firstDay_; }
    uint32_t lastDay() const { return lastDay_; }
    // Day `day`'s trips that depart within the window, routed (random-od: by SUMO's `router`;
    // population: fastest routes on empty roads, then spread by congestion,
    // sim/route_assignment.h); trips without a route are counted, not driven.
    std::vector<TripPlan> planDay(uint32_t day, const SumoRoutes& router);
    // Threads planning a day's routes (0, the default: one per core); the plans do not depend on it.
    void setThreads(unsigned threads) { threads_ = threads; }
    size_t unroutableTrips() const { return unroutable_; }
    size_t reroutedTrips() const { return rerouted_; }  // route changes made by congestion

    const Population* population() const { return population_ ? &*population_ : nullptr; }
    const RoadNetwork& network() const { return network_; }  // the one the plans' routes index
    // vehicles.csv: vehicle,plate,state,household,role,home_edge,work_edge,works_outside,plate_design
    std::string vehiclesCsv(const std::vector<TripPlan>& randomPlans) const;

private:
    // random-od: departures spread over this many seconds from the start (default 3/4 of the run).
    double randomDepartWindowSeconds() const;
    // Searches the fastest routes on empty roads (free-flow travel times) from the day's places
    // of departure not searched from before: one search per place, to every edge, kept as a
    // tree of routes (sim/road_router.h). A route on empty roads never changes, and residents
    // leave the same places day after day, so the trees are remembered.
    void searchNewOrigins(const std::vector<const PlannedTrip*>& trips);

    DemandConfig config_;
    const RoadNetwork& network_;
    uint64_t seed_;
    double begin_, end_;
    uint32_t firstDay_ = 0, lastDay_ = 0;
    std::optional<Population> population_;
    size_t unroutable_ = 0, rerouted_ = 0;
    unsigned threads_ = 0;
    std::vector<RoadRouter> routers_;                          // one per thread, made on first use
    std::vector<double> freeFlow_;                             // their edge costs on empty roads
    std::unordered_map<size_t, std::vector<uint32_t>> trees_;  // origin -> its routes (RoadRouter::tree)
    static constexpr size_t kMaxTreeEntries = 64'000'000;      // 256 MB of trees
};

}  // namespace alprsim
