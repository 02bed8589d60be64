#pragma once
// Random origin-destination demand: the simplest traffic that still uses every street.
// Origins and destinations are drawn with probability proportional to edge length, departure
// times uniformly over a window, one trip per vehicle, each with a Massachusetts plate.
// Deterministic by seed. (A synthetic population with homes and routines replaces it later.)
#include <cstdint>
#include <vector>

#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class SumoRoutes;

struct RandomDemandConfig {
    uint64_t vehicles = 0;
    double departBegin = 0.0;  // simulated seconds
    double departEnd = 0.0;
    double minTripMetres = 500.0;  // shorter draws are redrawn: a car does not drive 50 m
    uint64_t seed = 1;
};

// Plans `vehicles` routable trips. Throws InputError-free std::runtime_error if the network is
// so fragmented that routable pairs cannot be found.
std::vector<TripPlan> planRandomTrips(const RandomDemandConfig& config, const RoadNetwork& network, const SumoRoutes& router);

}  // namespace alprsim
