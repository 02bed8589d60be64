#pragma once
// What one view gives away about the residents of each town: trips, homes and work places
// (the weekday routine) reconstructible, broken down by the driver's home town (the town of the
// vehicle's home edge). Vehicles with no home on the network (through traffic) or a home on a
// road of no town (a stand-in road) are counted under kNoHomeTown.
#include <nlohmann/json_fwd.hpp>

#include "analysis/analysis_data.h"
#include "analysis/place_inference.h"
#include "analysis/trip_reconstruction.h"

namespace alprsim {

constexpr const char* kNoHomeTown = "outside";

// The results.json "by_home_town" object of one view and retention: per home town, sorted by
// name, {vehicles, trips (as TripCounts::toJson), homes: {vehicles, found}, work: {vehicles,
// found}}. Empty when the run has no population (no true homes).
nlohmann::json byHomeTown(const AnalysisData& data, const TripReconstruction& trips, const PlaceCounts& home,
                          const PlaceCounts& work);

}  // namespace alprsim
