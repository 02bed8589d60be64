#pragma once
// Simulation: the one wrapper around libsumo (SUMO in-process), so no other folder includes
// SUMO headers. Like libsumo it has one small class per domain: Simulation itself starts SUMO,
// steps it and adds vehicles; SumoRoutes routes (sim/sumo_routes.h); SumoVehicles answers the
// queries cameras make and SumoSubscriptions holds their context subscriptions
// (sim/sumo_vehicles.h). libsumo keeps global state, so at most one Simulation may exist per
// process; constructing a second one throws.
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "sim/road_network.h"
#include "sim/sumo_routes.h"
#include "sim/sumo_vehicles.h"

namespace alprsim {

enum class TrafficModel { Microscopic, Mesoscopic };

// How SUMO's mesoscopic model treats junctions (its --meso-junction-control options). Off,
// SUMO's default: a vehicle crosses as soon as the next road segment has room, whatever the
// traffic light or right of way says. Limited: right of way and traffic lights hold vehicles
// back only where the road they come from is saturated. On: everywhere, as the microscopic model.
enum class MesoJunctionControl { Off, Limited, On };

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
    // En-route rerouting: as it departs and every this many seconds after, a vehicle added with
    // RouteChoice::Adaptive takes the fastest way to its destination under the travel times
    // SUMO measured lately (its routing engine: each edge's mean speed over the last 180 s), as
    // drivers with a navigation app do (the app routes on live traffic from the start). 0:
    // vehicles keep their planned routes.
    double reroutePeriod = 0.0;
    // Of the trips added RouteChoice::Adaptive, the share whose drivers follow a navigation app
    // on the way (drawn per trip from the seed and the trip's id, so runs repeat); the others
    // keep their planned routes. 1: all of them.
    double rerouteShare = 1.0;
    MesoJunctionControl mesoJunctionControl = MesoJunctionControl::Off;  // mesoscopic runs only
};

// Whether a vehicle may leave its planned route when traffic makes another faster (see
// SimulationConfig::reroutePeriod). Trips are adaptive; a patrol car drives its route as given.
enum class RouteChoice { Adaptive, AsGiven };

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

class Simulation {
public:
    explicit Simulation(const SimulationConfig& config);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // The drivable (non-internal, passenger) edges with geometry and successors.
    RoadNetwork roadNetwork() const;
    // Nearest drivable edge position to a WGS84 point; nullopt if none is near.
    std::optional<EdgePosition> snap(LatLon where) const;
    // A projected point in WGS84 (where a patrol car made a read).
    LatLon toWgs84(Point2 at) const;

    // Schedules a vehicle to drive `route`, entering at simulated time `depart`. In a
    // mesoscopic run, one departing later than kHandOverSeconds from now is handed to SUMO only
    // then (step()): SUMO 1.15's insertion queue (MSVehicleContainer::add) searches the
    // departure times it holds one by one for each vehicle added, so a whole day's trips added
    // at once cost time in the square of their number (14% of the CPU of a 40% regional
    // weekday, `perf record`). Vehicles of one departure time reach SUMO in the order they were
    // added, and a mesoscopic run's outputs stay byte for byte the same (a 15% Brookline day);
    // a microscopic run's would not (SUMO draws each car's random driving when it is added),
    // so those are added at once as before.
    void addVehicle(const std::string& id, const std::vector<std::string>& route, double depart, RouteChoice choice);
    static constexpr double kHandOverSeconds = 60.0;
    void step();
    double time() const;
    double stepLength() const { return stepLength_; }
    bool mesoscopic() const { return model_ == TrafficModel::Mesoscopic; }
    const StepEvents& lastStep() const { return events_; }
    // Vehicles loaded or scheduled but not yet arrived.
    int vehiclesRemaining() const;

    // The other domains (see the top of this file).
    SumoRoutes& routes() { return routes_; }
    const SumoRoutes& routes() const { return routes_; }
    SumoVehicles& vehicles() { return vehicles_; }
    const SumoVehicles& vehicles() const { return vehicles_; }
    SumoSubscriptions& subscriptions() { return subscriptions_; }

private:
    double stepLength_;
    TrafficModel model_;
    std::streambuf* savedCerr_ = nullptr;  // std::cerr's own buffer, while SUMO's messages are intercepted
    StepEvents events_;
    SumoRoutes routes_;
    SumoVehicles vehicles_;
    SumoSubscriptions subscriptions_;
    struct Scheduled {
        std::string id;
        std::vector<std::string> route;
        double depart;
    };
    std::multimap<double, Scheduled> scheduled_;  // by departure; equal ones in the order added
    void add(const Scheduled& vehicle);
    void handOverDue();
};

}  // namespace alprsim
