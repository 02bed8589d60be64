#include "sim/sumo_routes.h"

#include <libsumo/libsumo.h>

#include <algorithm>

#include "core/hash.h"
#include "core/rng.h"
#include "sim/simulation.h"

namespace alprsim {

std::vector<std::string> SumoRoutes::fastest(const std::string& fromEdge, const std::string& toEdge) const {
    try {
        return libsumo::Simulation::findRoute(fromEdge, toEdge, "DEFAULT_VEHTYPE").edges;
    } catch (const libsumo::TraCIException&) {
        return {};
    }
}

std::vector<std::string> SumoRoutes::get(const std::string& vehicle) const { return libsumo::Vehicle::getRoute(vehicle); }

int SumoRoutes::indexOrMinusOne(const std::string& vehicle) const {
    try {
        return libsumo::Vehicle::getRouteIndex(vehicle);
    } catch (const libsumo::TraCIException&) {
        return -1;
    }
}

void SumoRoutes::set(const std::string& vehicle, const std::vector<std::string>& edges) {
    libsumo::Vehicle::setRoute(vehicle, edges);
}

std::optional<std::vector<std::string>> SumoRoutes::changedRoute(const std::string& id, const std::vector<std::string>& before,
                                                                 int index, const std::vector<std::string>& after) {
    // The microscopic model keeps the edges driven in the new route (the vehicle stays at
    // `index`); the mesoscopic one starts the new route at the vehicle's edge, so what was
    // driven before it is kept here.
    const int kept = libsumo::Vehicle::getRouteIndex(id);
    std::vector<std::string>& driven = drivenBefore_[id];
    std::vector<std::string> previous = driven, whole = driven;
    previous.insert(previous.end(), before.begin(), before.end());
    whole.insert(whole.end(), before.begin(), before.begin() + index);
    whole.insert(whole.end(), after.begin() + kept, after.end());
    if (kept == 0) driven.insert(driven.end(), before.begin(), before.begin() + index);
    if (driven.empty()) drivenBefore_.erase(id);
    if (whole == previous) return std::nullopt;
    return whole;
}

void SumoRoutes::adapt(const std::string& vehicle) {
    if (reroutePeriod_ <= 0) return;
    if (rerouteShare_ < 1 && Rng::stream(seed_, "sim/navigation", fnv1a64(vehicle)).uniform() >= rerouteShare_) return;
    adaptive_.insert(vehicle);
}

void SumoRoutes::rerouteDue(StepEvents& events) {
    if (reroutePeriod_ <= 0) return;
    const double now = libsumo::Simulation::getTime();
    for (const std::string& id : events.departed) {
        if (!adaptive_.count(id)) continue;
        // Routes from the travel times SUMO's routing engine keeps (edges' recent mean speeds),
        // not from the empty network's. A navigation app routes the trip on them as it starts
        // (now), then looks again every period.
        libsumo::Vehicle::setRoutingMode(id, libsumo::ROUTING_MODE_AGGREGATED);
        rerouteQueue_.push({now, id});
    }
    for (const std::string& id : events.arrived) {
        adaptive_.erase(id);
        drivenBefore_.erase(id);
    }
    while (!rerouteQueue_.empty() && rerouteQueue_.top().first <= now + 1e-9) {
        const std::string id = rerouteQueue_.top().second;
        rerouteQueue_.pop();
        if (!adaptive_.count(id)) continue;  // arrived
        rerouteQueue_.push({now + reroutePeriod_, id});
        try {
            const std::vector<std::string> before = libsumo::Vehicle::getRoute(id);
            const int index = libsumo::Vehicle::getRouteIndex(id);
            libsumo::Vehicle::rerouteTraveltime(id, true);
            const std::vector<std::string> after = libsumo::Vehicle::getRoute(id);
            if (after == before) continue;
            if (auto whole = changedRoute(id, before, index, after)) events.rerouted.push_back({id, std::move(*whole)});
        } catch (const libsumo::TraCIException&) {
            // Not on a road this moment (teleporting): it tries again a period later.
        }
    }
    std::sort(events.rerouted.begin(), events.rerouted.end(),
              [](const RouteChange& a, const RouteChange& b) { return a.id < b.id; });
}

}  // namespace alprsim
