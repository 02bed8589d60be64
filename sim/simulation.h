#pragma once
// Simulation: the one wrapper around libsumo (SUMO in-process). A flat facade of small calls,
// so no other folder includes SUMO headers. libsumo keeps global state, so at most one
// Simulation may exist per process; constructing a second one throws.
#include <filesystem>
#include <iosfwd>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/geo.h"
#include "sim/road_network.h"

namespace alprsim {

enum class TrafficModel { Microscopic, Mesoscopic };

// SUMO drops a vehicle that could not enter the network this long after its planned departure
// (the road at its origin stayed full): its trip never happens (sim/demand_realism.h counts them).
constexpr double kMaxDepartDelaySeconds = 900;

struct SimulationConfig {
    std::filesystem::path network;  // .net.xml(.gz)
    std::filesystem::path logFile;  // SUMO's own messages go here, not to the terminal
    double beginSeconds = 0.0;
    double stepLength = 1.0;
    uint64_t seed = 1;
    TrafficModel model = TrafficModel::Microscopic;
    double timeToTeleport = 300.0;        // SUMO's default: a vehicle stuck this long jumps ahead
    double timeToImpatience = 300.0;      // SUMO's default: waiting this long, a driver forces into gaps
    double ignoreJunctionBlocker = -1.0;  // seconds after which a junction blocker is ignored (-1: never)
    // En-route rerouting: every this many seconds after it departs, a vehicle added with
    // RouteChoice::Adaptive takes the fastest way to its destination under the travel times
    // SUMO measured lately (its routing engine: each edge's mean speed over the last 180 s), as
    // drivers with a navigation app do. 0: vehicles keep their planned routes.
    double reroutePeriod = 0.0;
};

// Whether a vehicle may leave its planned route when traffic makes another faster (see
// SimulationConfig::reroutePeriod). Trips are adaptive; a patrol car drives its route as given.
enum class RouteChoice { Adaptive, AsGiven };

// A vehicle that took another route during the last step: its whole route, origin first (in
// the microscopic model SUMO's route too, so route indices stay valid).
struct RouteChange {
    std::string id;
    std::vector<std::string> route;
};

// A vehicle seen on an edge in the last step.
struct VehicleOnEdge {
    std::string id;
    double lanePosition = 0.0;  // metres from the start of the edge
    double speed = 0.0;         // m/s
};

// What happened during the last step.
struct StepEvents {
    std::vector<std::string> departed;
    std::vector<std::string> arrived;
    std::vector<std::string> teleported;  // started a teleport (mesoscopic: from SUMO's messages)
    std::vector<RouteChange> rerouted;    // sorted by id
};

struct EdgePosition {
    std::string edge;
    double position = 0.0;
};

// ---- Added for sensing (issue #4, sensors/) ----
// A vehicle as a camera needs it: where its front bumper is, where it points, how fast.
struct VehicleState {
    std::string id;
    Point2 position;        // front bumper centre, projected metres
    double angleDeg = 0.0;  // SUMO's heading: 0 = north, clockwise
    double speed = 0.0;     // m/s
    double length = 0.0;    // metres
    int laneIndex = 0;      // 0 = rightmost lane
};
// ---- end of sensing additions ----

class Simulation {
public:
    explicit Simulation(const SimulationConfig& config);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // The drivable (non-internal, passenger) edges with geometry and successors.
    RoadNetwork roadNetwork() const;

    // Fastest route between two edges for a passenger car in the empty network; empty if none.
    std::vector<std::string> fastestRoute(const std::string& fromEdge, const std::string& toEdge) const;
    // Schedules a vehicle to drive `route`, entering at simulated time `depart`.
    void addVehicle(const std::string& id, const std::vector<std::string>& route, double depart, RouteChoice choice);

    void step();
    double time() const;
    double stepLength() const { return stepLength_; }
    bool mesoscopic() const { return model_ == TrafficModel::Mesoscopic; }
    const StepEvents& lastStep() const { return events_; }
    // Vehicles loaded or scheduled but not yet arrived.
    int vehiclesRemaining() const;
    std::vector<VehicleOnEdge> vehiclesOnEdge(const std::string& edge) const;

    // Nearest drivable edge position to a WGS84 point; nullopt if none is near.
    std::optional<EdgePosition> snap(LatLon where) const;

    // ---- Added for sensing (issue #4, sensors/). Fixed cameras follow only the vehicles
    // whose routes come near them (vehicleMotion, routeIndexOrMinusOne: a few direct calls per
    // vehicle near a camera); patrol cars see their surroundings through SUMO context
    // subscriptions (SUMO's spatial index). Sensing never scans every vehicle every step.
    // The vehicles within `radius` metres of a vehicle that is in the network (call after it
    // departed) are watched from the next step on: vehiclesNearVehicle lists them (not the
    // vehicle itself), sorted by id, as of the last step, each vehicle's length looked up
    // once and remembered (the subscription carries position, heading and speed only).
    void watchAroundVehicle(const std::string& vehicleId, double radius);
    void vehiclesNearVehicle(const std::string& vehicleId, std::vector<VehicleState>& out);
    // Position, heading and speed of a vehicle (three calls; the length is the caller's).
    // False if it is not in the network.
    bool vehicleMotion(const std::string& id, VehicleState& out) const;
    double vehicleLength(const std::string& id) const;
    double vehicleSpeed(const std::string& id) const;  // m/s; -1 if the vehicle is not in the network
    // Ids of the vehicles on an edge in the last step (one call, no per-vehicle look-ups; in
    // mesoscopic runs the vehicles in the edge's segments), into `out` (cleared first).
    void vehicleIdsOnEdge(const std::string& edge, std::vector<std::string>& out) const;
    // Index into its route of the edge a vehicle is on (or last left, inside a junction); -1
    // if the vehicle is not in the network.
    int routeIndexOrMinusOne(const std::string& id) const;
    // nullopt if the vehicle is not in the network (not yet departed, or arrived).
    std::optional<VehicleState> vehicleState(const std::string& id) const;
    // The route a vehicle in the network follows and the index of the edge it is on; a new
    // route must start with the edge it is on (to extend a patrol car's route as it drives).
    std::vector<std::string> vehicleRoute(const std::string& id) const;
    int vehicleRouteIndex(const std::string& id) const;
    void setVehicleRoute(const std::string& id, const std::vector<std::string>& edges);
    // A projected point in WGS84 (where a patrol car made a read).
    LatLon toWgs84(Point2 at) const;
    // ---- end of sensing additions ----

private:
    // The adaptive vehicles whose time to look for a faster route has come, after a step.
    void rerouteDue();
    // A rerouted vehicle's whole route, origin first, if it differs from the one it had: SUMO
    // replaced route `before` with `after` while the vehicle was on `before`'s edge `index`.
    std::optional<std::vector<std::string>> changedRoute(const std::string& id, const std::vector<std::string>& before, int index,
                                                         const std::vector<std::string>& after);

    double stepLength_;
    TrafficModel model_;
    double reroutePeriod_;
    std::unordered_set<std::string> adaptive_;  // added with RouteChoice::Adaptive, not yet arrived
    std::unordered_map<std::string, std::vector<std::string>> drivenBefore_;  // mesoscopic: edges before SUMO's route
    using Due = std::pair<double, std::string>;  // (when, vehicle): ties in id order, so runs repeat
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> rerouteQueue_;
    std::streambuf* savedCerr_ = nullptr;  // std::cerr's own buffer, while SUMO's messages are intercepted
    StepEvents events_;
    std::unordered_map<std::string, double> lengths_;  // vehicle lengths seen by vehiclesNearVehicle
};

}  // namespace alprsim
