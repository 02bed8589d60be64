#pragma once
// The realism check of a run's demand: who lives there, when trips leave, how long they are,
// how many got stuck, set beside a published US travel survey figure.
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <vector>

#include "sim/demand.h"
#include "sim/trip_log.h"

namespace alprsim {

using HourlyShares = std::array<double, 24>;

// Share of vehicle trips starting in each hour of the day in the 2001 NHTS (FHWA, Highway
// Statistics 2006, table NT-3): a Wednesday, or (weekend) a Saturday.
HourlyShares surveyDepartureShares(bool weekend);
// Share of the given departure times (seconds; any day) falling in each hour of the day.
HourlyShares departureShares(const std::vector<double>& departSeconds);
// Total variation distance: the share of trips that would have to move to another hour to turn
// one profile into the other (0 identical, 1 disjoint).
double profileDistance(const HourlyShares& a, const HourlyShares& b);

// `endSeconds` is when the simulation stopped: a trip that had not departed by then although it
// was planned kMaxDepartDelaySeconds or more before never entered the network (counted in
// trips_never_entered and its share of the trips due to depart, not in the departures).
nlohmann::json demandRealism(const std::vector<TripRecord>& trips, const TripPlanner& planner, double endSeconds);

}  // namespace alprsim
