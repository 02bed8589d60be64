#pragma once
// SumoVehicles and SumoSubscriptions: what cameras (sensors/) need to know of the vehicles in
// SUMO, two parts of the libsumo wrapper (sim/simulation.h owns them). Sensing never scans
// every vehicle every step: fixed cameras follow only the vehicles whose routes come near them
// (a few direct calls per vehicle near a camera, SumoVehicles); patrol cars see their
// surroundings through SUMO context subscriptions (SUMO's spatial index, SumoSubscriptions).
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/road_network.h"

namespace alprsim {

// A vehicle as a camera needs it: where its front bumper is, where it points, how fast.
struct VehicleState {
    std::string id;
    Point2 position;        // front bumper centre, projected metres
    double angleDeg = 0.0;  // SUMO's heading: 0 = north, clockwise
    double speed = 0.0;     // m/s
    double length = 0.0;    // metres
};

class SumoVehicles {
public:
    // Position, heading and speed of a vehicle (three calls; the length is the caller's).
    // False if it is not in the network.
    bool motion(const std::string& id, VehicleState& out) const;
    double length(const std::string& id) const;  // metres; SUMO's default car's if not in the network
    double speed(const std::string& id) const;   // m/s; -1 if the vehicle is not in the network
    // Ids of the vehicles on an edge in the last step (one call, no per-vehicle look-ups; in
    // mesoscopic runs the vehicles in the edge's segments), into `out` (cleared first).
    void onEdge(const std::string& edge, std::vector<std::string>& out) const;
    // Pulls the vehicle over at the kerb of an edge on its route ahead (off the lane, out of the
    // traffic's way), `position` metres along it, for `seconds`. False if SUMO refuses the stop
    // (the vehicle cannot brake for it in time, or the edge is not ahead on its route).
    bool parkFor(const std::string& id, const std::string& edge, double position, double seconds);
};

class SumoSubscriptions {
public:
    // The vehicles within `radius` metres of a vehicle that is in the network (call after it
    // departed) are watched from the next step on.
    void watchAround(const std::string& vehicle, double radius);
    // The watched vehicles around `vehicle` as of the last step (not the vehicle itself), sorted
    // by id, into `out`; each vehicle's length is looked up once and remembered (the
    // subscription carries position, heading and speed only).
    void near(const std::string& vehicle, std::vector<VehicleState>& out);

private:
    std::unordered_map<std::string, double> lengths_;
};

}  // namespace alprsim
