#pragma once
// Ground truth: every trip as it was planned and as it happened in the simulation. Analysis
// measures the adversary's reconstruction against this; it never leaves the evaluation side.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/plate.h"

namespace alprsim {

struct TripPlan {
    std::string trip;     // SUMO vehicle id; one SUMO vehicle per trip
    std::string vehicle;  // the car making the trip (several trips may share one)
    std::string plate;
    double plannedDepart = 0.0;
    std::vector<uint32_t> route;               // indices of the run's RoadNetwork edges, origin first; once
                                               // simulated, the route driven (SimulationConfig::reroutePeriod)
    double routeLength = 0.0;                  // metres
    uint32_t day = 0;                          // day of the scenario the trip belongs to
    std::string purpose;                       // commute, return-home, errand, through, random
    std::string plateDesign{kStandardDesign};  // core/plate.h
};

struct TripRecord {
    TripPlan plan;
    double depart = -1.0;  // actual departure; -1 if it never entered the network
    double arrive = -1.0;  // actual arrival; -1 if it had not arrived when the run ended
    bool teleported = false;
    bool rerouted = false;  // took another route on the way: plan.route is the route driven
    bool completed() const { return depart >= 0 && arrive >= 0; }
};

class RoadNetwork;
class Simulation;

// Follows the simulation's departures, arrivals, teleports and route changes, step by step.
class TripLog {
public:
    explicit TripLog(const std::vector<TripPlan>& plans = {});
    // Trips planned later (the next day's) join the log (moved in when given an rvalue: a
    // month of a town's routes is gigabytes).
    void add(std::vector<TripPlan> plans);
    // `network`: the run's, whose edge indices the plans' routes hold.
    void record(const Simulation& sim, const RoadNetwork& network);
    // What happened to a trip, as another process simulated it (a day run on its own); false
    // if the trip is not in the log.
    bool setOutcome(const std::string& trip, double depart, double arrive, bool teleported);
    // The route a trip took when it left its planned one (as another process simulated it).
    bool setRoute(const std::string& trip, std::vector<uint32_t> route, double lengthMetres);

    const std::vector<TripRecord>& trips() const { return trips_; }
    // Hands the trips over and leaves the log empty: the run's analysis keeps their routes
    // (moved, not copied: a month of a town's routes is gigabytes).
    std::vector<TripRecord> takeTrips();
    // The trip a SUMO vehicle id belongs to, or nullptr.
    const TripRecord* find(const std::string& trip) const;
    size_t departedCount() const { return departed_; }

private:
    std::vector<TripRecord> trips_;
    std::unordered_map<std::string, size_t> index_;
    size_t departed_ = 0;
};

}  // namespace alprsim
