#pragma once
// trips.csv: one row per true trip with what the cameras made of it.
#include <ostream>
#include <string>
#include <vector>

#include "sim/road_network.h"
#include "sim/trip_log.h"

namespace alprsim {

// A time as trips.csv holds it (depart, arrive...): seconds to the hundredth, "" if negative
// (never happened).
std::string tripsCsvSeconds(double t);

// Columns: trip, vehicle, plate, planned_depart, depart, arrive, teleported, origin,
// destination, route_length_m, route_edges (space-separated ids of `network`'s edges, which the
// trips' routes index), reads. Written row by row: a month of a town's trips is gigabytes.
void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip);

// The same as a string (small runs, tests).
std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip);

}  // namespace alprsim
