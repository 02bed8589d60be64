#pragma once
// The realism check of a run's demand: who lives there, when trips leave, how long they are,
// how many got stuck, set beside a published US travel survey figure.
#include <nlohmann/json.hpp>

#include <vector>

#include "sim/demand.h"
#include "sim/trip_log.h"

namespace alprsim {

nlohmann::json demandRealism(const std::vector<TripRecord>& trips, const TripPlanner& planner);

}  // namespace alprsim
