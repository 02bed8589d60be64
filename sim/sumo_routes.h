#pragma once
// SumoRoutes: routes in SUMO, one part of the libsumo wrapper (sim/simulation.h owns it): the
// fastest route in the empty network (random demand), the route a vehicle follows (a patrol
// car's is extended as it drives) and en-route rerouting of the vehicles that may leave theirs.
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace alprsim {

struct StepEvents;

// A vehicle that took another route during the last step: its whole route, origin first (in
// the microscopic model SUMO's route too, so route indices stay valid).
struct RouteChange {
    std::string id;
    std::vector<std::string> route;
};

class SumoRoutes {
public:
    // Fastest route between two edges for a passenger car in the empty network; empty if none.
    std::vector<std::string> fastest(const std::string& fromEdge, const std::string& toEdge) const;
    // The route a vehicle in the network follows.
    std::vector<std::string> get(const std::string& vehicle) const;
    // Index into its route of the edge a vehicle is on (or last left, inside a junction); -1
    // if the vehicle is not in the network.
    int indexOrMinusOne(const std::string& vehicle) const;
    // A new route for a vehicle in the network; it must start with the edge the vehicle is on.
    void set(const std::string& vehicle, const std::vector<std::string>& edges);

private:
    friend class Simulation;
    SumoRoutes(double reroutePeriod, double rerouteShare, uint64_t seed)
        : reroutePeriod_(reroutePeriod), rerouteShare_(rerouteShare), seed_(seed) {}
    // A vehicle that may look for a faster route every reroutePeriod once it departed: it does
    // if its driver is one of the rerouteShare who follow a navigation app.
    void adapt(const std::string& vehicle);
    // After a step: the adaptive vehicles whose time to look for a faster route has come, into
    // events.rerouted (sorted by id).
    void rerouteDue(StepEvents& events);
    // A rerouted vehicle's whole route, origin first, if it differs from the one it had: SUMO
    // replaced route `before` with `after` while the vehicle was on `before`'s edge `index`.
    std::optional<std::vector<std::string>> changedRoute(const std::string& id, const std::vector<std::string>& before, int index,
                                                         const std::vector<std::string>& after);

    double reroutePeriod_;
    double rerouteShare_;
    uint64_t seed_;
    std::unordered_set<std::string> adaptive_;                                // added with RouteChoice::Adaptive, not yet arrived
    std::unordered_map<std::string, std::vector<std::string>> drivenBefore_;  // mesoscopic: edges before SUMO's route
    using Due = std::pair<double, std::string>;                               // (when, vehicle): ties in id order, so runs repeat
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> rerouteQueue_;
};

}  // namespace alprsim
