#include "sim/trip_log.h"

#include <utility>

#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

TripLog::TripLog(const std::vector<TripPlan>& plans) { add(plans); }

void TripLog::add(std::vector<TripPlan> plans) {
    trips_.reserve(trips_.size() + plans.size());
    for (TripPlan& p : plans) {
        index_.emplace(p.trip, trips_.size());
        trips_.push_back(TripRecord{std::move(p)});
    }
}

std::vector<TripRecord> TripLog::takeTrips() {
    index_ = {};
    departed_ = 0;
    return std::exchange(trips_, {});
}

void TripLog::record(const Simulation& sim, const RoadNetwork& network) {
    // A step runs from now - stepLength to now; departures happen at its start.
    const double now = sim.time();
    const StepEvents& ev = sim.lastStep();
    for (const std::string& id : ev.departed) {
        if (auto it = index_.find(id); it != index_.end()) {
            trips_[it->second].depart = now - sim.stepLength();
            ++departed_;
        }
    }
    for (const std::string& id : ev.arrived) {
        if (auto it = index_.find(id); it != index_.end()) trips_[it->second].arrive = now;
    }
    for (const std::string& id : ev.teleported) {
        if (auto it = index_.find(id); it != index_.end()) trips_[it->second].teleported = true;
    }
    for (const RouteChange& change : ev.rerouted) {
        std::vector<uint32_t> route = network.edgeIndices(change.route);
        const double length = network.routeLengthMetres(route);
        setRoute(change.id, std::move(route), length);
    }
}

bool TripLog::setRoute(const std::string& trip, std::vector<uint32_t> route, double lengthMetres) {
    const auto it = index_.find(trip);
    if (it == index_.end()) return false;
    trips_[it->second].plan.route = std::move(route);
    trips_[it->second].plan.routeLength = lengthMetres;
    trips_[it->second].rerouted = true;
    return true;
}

bool TripLog::setOutcome(const std::string& trip, double depart, double arrive, bool teleported) {
    const auto it = index_.find(trip);
    if (it == index_.end()) return false;
    TripRecord& r = trips_[it->second];
    departed_ += (depart >= 0) - (r.depart >= 0);
    r.depart = depart;
    r.arrive = arrive;
    r.teleported = teleported;
    return true;
}

const TripRecord* TripLog::find(const std::string& trip) const {
    const auto it = index_.find(trip);
    return it == index_.end() ? nullptr : &trips_[it->second];
}

}  // namespace alprsim
