#pragma once
// trips.csv: one row per true trip with what the cameras made of it.
#include <string>
#include <vector>

#include "sim/trip_log.h"

namespace alprsim {

// Columns: trip, vehicle, plate, planned_depart, depart, arrive, teleported, origin,
// destination, route_length_m, route_edges (space-separated), reads.
std::string tripsCsv(const std::vector<TripRecord>& trips, const std::vector<size_t>& readsPerTrip);

}  // namespace alprsim
