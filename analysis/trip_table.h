#pragma once
// trips.csv: one row per true trip with what the cameras made of it.
#include <ostream>
#include <string>
#include <vector>

#include "analysis/trip_reconstruction.h"
#include "sim/road_network.h"
#include "sim/trip_log.h"

namespace alprsim {

// A time as trips.csv holds it (depart, arrive...): seconds to the hundredth, "" if negative
// (never happened).
std::string tripsCsvSeconds(double t);

// The columns the analysis adds: each trip's outcome in the widest view (reconstructibility.h).
extern const std::vector<std::string> kTripOutcomeColumns;
// A trip's outcome as those columns' cells, joined by commas.
std::string tripOutcomeCells(const TripOutcome& outcome);

// Columns: trip, vehicle, plate, planned_depart, depart, arrive, teleported, origin,
// destination, route_length_m, route_edges (space-separated ids of `network`'s edges, which the
// trips' routes index), reads; with `outcomes` (one a trip), kTripOutcomeColumns after them.
// Written row by row: a month of a town's trips is gigabytes.
void writeTripsCsv(std::ostream& out, const std::vector<TripRecord>& trips, const RoadNetwork& network,
                   const std::vector<size_t>& readsPerTrip, const std::vector<TripOutcome>* outcomes = nullptr);

// The same as a string (small runs, tests).
std::string tripsCsv(const std::vector<TripRecord>& trips, const RoadNetwork& network, const std::vector<size_t>& readsPerTrip);

}  // namespace alprsim
