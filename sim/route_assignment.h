#pragma once
// Route choice under congestion. Fastest routes on empty roads send every driver between two
// parts of town down the same arterial; with a whole town's population those arterials jam,
// and in a simulation a jam spreads until vehicles are teleported out of it. Drivers who make
// the trip every day know better and spread over the alternatives. This is a few rounds of the
// method of successive averages (the textbook static assignment, e.g. Sheffi, Urban
// Transportation Networks, 1985, ch. 7), hour by hour within the day:
//
//   1. each trip enters the edges of its route at its free-flow times, giving hourly loads;
//   2. each loaded edge's hourly travel time follows the BPR function
//      t = t0 (1 + 0.15 (load / capacity)^4) (U.S. Bureau of Public Roads, 1964), with a
//      capacity of 900 vehicles per lane and hour (a signalised urban lane: about 1,800 an
//      hour of green, green half the time);
//   3. in round k, one trip in k+1 (chosen by a hash of its id and k, so deterministically)
//      among those that cross an edge loaded past its capacity takes the fastest route on the
//      travel times of its departure hour; the loads are averaged over the rounds.
//
// A trip's first and last edges are not counted as loaded: every route between its two places
// has them. A day's assignment depends only on that day's trips (day k is the same whether or
// not the days before it were planned), and it searches the road graph itself rather than
// SUMO's router, whose edge weights are global state. Vehicles then drive the routes they were
// given; nothing reroutes them on the way.
#include <cstdint>
#include <vector>

#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class RoadRouter;

struct RouteAssignmentConfig {
    int rounds = 3;                      // rerouting rounds after the free-flow routes
    double capacityPerLaneHour = 900.0;  // vehicles
    double bprAlpha = 0.15, bprBeta = 4.0;
    // Threads searching a round's routes (0: one per core). The routes do not depend on it.
    unsigned threads = 0;
};

struct RouteAssignmentStats {
    size_t rerouted = 0;  // route changes made, over all rounds
    // Vehicles entering edges beyond their hourly capacity, summed over edges (not a trip's
    // first or last) and hours: on empty-road routes, and after the rounds.
    double excessBefore = 0.0, excessAfter = 0.0;
};

// Re-routes some of `plans` (one day's trips; origin and destination kept) in place.
RouteAssignmentStats assignRoutes(std::vector<TripPlan>& plans, const RoadNetwork& network,
                                  const RouteAssignmentConfig& config = {});

// The same on routes given as edge indices: `routes[i]` is plans[i]'s route, re-routed in place
// (of the plans only the trip ids and departures are read). Searches with `routers`, made for
// `network` (copies of the first are added if config.threads asks for more; one per thread).
RouteAssignmentStats assignRoutes(const std::vector<TripPlan>& plans, std::vector<std::vector<uint32_t>>& routes,
                                  const RoadNetwork& network, std::vector<RoadRouter>& routers,
                                  const RouteAssignmentConfig& config = {});

}  // namespace alprsim
