#pragma once
// A scenario's world, set up the same way for a whole run and for one day of it (a day part):
// the road network (converted, or reused from the cache), the simulation on it, the roads with
// their towns and attributes, and the planner of the scenario's trips.
#include <filesystem>

#include "scenarios/scenario.h"
#include "sim/demand.h"
#include "sim/road_network.h"
#include "sim/simulation.h"
#include "sim/towns.h"

namespace alprsim {

struct ScenarioWorld {
    // The simulation begins at `beginSeconds` (the scenario's begin, or a day part's day) and
    // logs into outDir's sumo.log; `threads` plan routes (0: one per core).
    ScenarioWorld(const Scenario& s, const std::filesystem::path& outDir, double beginSeconds, unsigned threads);
    ScenarioWorld(const ScenarioWorld&) = delete;
    ScenarioWorld& operator=(const ScenarioWorld&) = delete;

    const std::filesystem::path network;  // the SUMO net file
    Simulation sim;
    const TownMap towns;
    const RoadNetwork roads;
    TripPlanner planner;  // plans over `roads` and `towns`
};

// A network converted into the run's folder because the cache could not be written
// (cachedNetwork) is no output of the run.
void removeUncachedNetwork(const std::filesystem::path& dir);

}  // namespace alprsim
