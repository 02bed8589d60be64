#pragma once
// Mobile ALPR: patrol cars that drive their town's streets for a shift with cameras on the
// roof, reading the plates of the vehicles around them (adjacent lanes, both directions).
// A run's patrol cars are every agency's fleet (AgencyFleet): each car sweeps its own fleet's
// town and its cameras are its agency's, so its reads go to that agency's store.
//
// Route model: a patrol car starts on a random street of its town and, junction by junction,
// takes the street it has driven least so far (ties at random, no U-turn unless the road ends),
// staying inside its town where it can and off dead ends (it keeps to the strongly connected
// part of the road graph): a sweep of the town's streets rather than a trip. Where it cannot (a
// street of the town whose only ways on leave it) it takes the shortest way back into the town
// (fewest edges). The
// route is extended a few edges at a time while it drives; when the shift ends it is no
// longer extended and the car leaves the network at the end of the route it has.
//
// Time stationary: a patrol car does not drive its whole shift. It is stopped on calls (at the
// scene), on reports and meals for `stationaryShare` of the shift, in stops of `stopMinutes`:
// the shift is cut into as many equal periods as there are stops of about that length (the
// stops as long as make the share exact), one stop in each, starting at a seeded time within
// the period, and the car pulls over at the kerb of the next street on its route with room for it
// (its cameras go on reading what passes and what is parked near). Real calls send the car
// across its beat; here it stops where its sweep has brought it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/rng.h"
#include "sensors/camera_model.h"
#include "sensors/fixed_camera.h"
#include "sensors/parked.h"
#include "sensors/pass_tracker.h"

namespace alprsim {

class RoadNetwork;
class Simulation;

// The default patrol-car camera: wider lens (8 mm: 44 x 29 degrees), shorter range, on the roof.
CameraModel patrolCameraDefaults();

// One agency's patrol cars: they sweep `town`'s streets and their reads are `agency`'s.
struct AgencyFleet {
    std::string agency;
    std::string town;
    size_t cars = 0;
    std::string source, townPath;  // where the scenario names the town, for errors
};

struct PatrolConfig {
    // Every agency's fleet, each car driving its own fleet's town.
    std::vector<AgencyFleet> fleets;
    // Cars named and counted by agency (a scenario's agencies section): `<agency>-patrolNN`, the
    // agency's nameSlug (core/files.h: lower case, other characters as '-'), numbered per fleet from 01, and results
    // giving each car's agency and each agency's figures. Otherwise (one fleet, from the cameras
    // section) patrol01, patrol02, ...
    bool byAgency = false;
    double shiftHours = 8.0;
    CameraModel camera = patrolCameraDefaults();
    // Cameras on the roof, pointing relative to the car's heading (degrees, clockwise): the
    // default front and rear pair reads oncoming front plates and the rear plates of cars ahead
    // (front camera) and front plates of following cars (rear camera).
    std::vector<double> mountHeadingsDeg = {0.0, 180.0};
    double aimDistanceM = 12.0;  // the cameras tilt down to plate height at this distance
    ParkingConfig parked;        // the parked cars along the streets the patrol drives
    // Share of the shift spent stopped: 0.25. Dispatched calls take 21% (observed) to 30%
    // (dispatch records) of a US patrol officer's shift (Famega, "Variation in officer
    // downtime: a review of the research", Policing 28(3), 2005: 11 workload studies), most of
    // it at the scene, and a meal break takes 36 minutes (Morgan Hill CA, CPSM police
    // operations and data analysis report, 2015 data: meals averaged 36.4 min); the share is
    // their sum less the driving to calls, rounded (an estimate from those figures, not a
    // measured share).
    double stationaryShare = 0.25;
    // Minutes per stop: 36 (the meal break above; that calls' times at the scene are alike is
    // an assumption). Only the number of places the car stops at depends on it.
    double stopMinutes = 36.0;

    size_t cars() const;  // of every fleet
};

// What a fleet's cars are named and numbered after (patrol01, ...; its cars' random streams are
// keyed by it too): "patrol", or "<agency>-patrol" when named by agency.
std::string patrolCarPrefix(const PatrolConfig& config, const AgencyFleet& fleet);

class PatrolFleet {
public:
    // Adds every fleet's cars to the simulation, all departing now, in the fleets' order. Throws
    // InputError (the fleet's townPath) if a fleet's town has no streets here.
    PatrolFleet(const PatrolConfig& config, const RoadNetwork& network, Simulation& sim, uint64_t seed);
    // The cars as they would start their shifts at `now`, without a simulation (for tests: their
    // ids, agencies and first routes).
    PatrolFleet(const PatrolConfig& config, const RoadNetwork& network, uint64_t seed, double now, double stepLength);

    // The patrol cars as cameras (where each starts its shift).
    const std::vector<Camera>& cameras() const { return cameras_; }
    const std::vector<std::string>& vehicles() const { return vehicleIds_; }
    // A car's route as last set (network edge indices; its first route before it drives).
    const std::vector<size_t>& route(size_t car) const { return cars_[car].route; }
    const CameraModel& model() const { return config_.camera; }
    const PatrolConfig& config() const { return config_; }

    // After every step: starts watching cars that just entered the network, extends routes,
    // and returns, per car, its rig's motion over the step (empty if it is not on the road).
    std::vector<CameraRig> update(Simulation& sim);
    // After every step, for a run without sensing (bench/sensors/sensing_overhead's baseline):
    // the cars drive exactly as with update() (the same look-ups, the same route extensions,
    // so the same traffic), but nothing around them is watched and no rig is returned.
    void drive(Simulation& sim);
    // Where each car is after the last update (nullptr: not on the road); patrol cars block
    // the views of fixed cameras.
    const VehicleState* lastState(size_t car) const { return cars_[car].hasLast ? &cars_[car].last : nullptr; }
    // The edge a car is on (inside a junction: the edge it just left) and the one before it,
    // after the last update; SIZE_MAX if unknown.
    size_t edgeOf(size_t car) const { return cars_[car].edge; }
    size_t previousEdgeOf(size_t car) const { return cars_[car].previousEdge; }
    // How far from a car its cameras look for vehicles (range + half a step's closing distance
    // + a car length).
    double watchRadius() const { return watchRadius_; }
    // Hours each car has spent on the road so far (stops included).
    std::vector<double> hoursOnRoad() const;
    // Stops each car has been sent to so far, and hours it has stood still (at the kerb, at
    // lights, in queues).
    std::vector<size_t> stopsMade() const;
    std::vector<double> hoursStill() const;
    // A shift's stops: `share` of `shiftSeconds` in stops of about `stopSeconds` (as many as
    // round(share x shift / stopSeconds), at least one, each as long as makes the share exact),
    // one in each equal period of the shift, starting at a uniform draw of `rng` within the
    // period's time left over. Exposed for tests.
    struct Stop {
        double start = 0.0, seconds = 0.0;  // start: seconds after the shift began
    };
    static std::vector<Stop> shiftStops(double shiftSeconds, double share, double stopSeconds, Rng& rng);

    // The rig of a car in a given state (exposed for tests).
    static std::vector<CameraPose> rigPoses(const VehicleState& car, const PatrolConfig& config);

private:
    struct Car {
        std::string vehicle;
        size_t fleet = 0;  // its fleet in config_.fleets
        Rng rng;
        std::map<size_t, int> visits{};  // edge -> times routed over it
        bool watched = false;
        bool onRoad = false;
        bool hasLast = false;
        VehicleState last{};
        double firstSeen = -1.0, lastSeen = -1.0;
        size_t routeEdges = 0;        // edges in its route as last set, counted as SUMO counts the route index
        std::vector<size_t> route{};  // the route as last set or fetched (network edge indices)
        size_t edge = SIZE_MAX, previousEdge = SIZE_MAX;
        double length = 0.0;
        std::vector<Stop> stops{};  // its shift's stops (start: simulated seconds), in order
        size_t nextStop = 0;        // the first not yet made
        double stillSeconds = 0.0;  // time at a standstill so far
    };
    void stopIfDue(Car& car, int index, double now, Simulation& sim) const;
    // Adds config_.fleets[index]'s cars, each on a seeded street of its town, with their first routes.
    void startFleet(size_t index, uint64_t seed, double now);
    // The streets a car at edge `at` may take next: its town's (no U-turn unless the road ends
    // there), else those fewest edges from its town (the way back into it).
    std::vector<size_t> waysOn(const Car& car, size_t at) const;
    std::vector<std::string> walk(Car& car, size_t from, size_t edges) const;
    void extendRoute(Car& car, int index, Simulation& sim) const;
    void setRoute(Car& car, const std::vector<std::string>& route) const;
    std::vector<CameraRig> advance(Simulation& sim, bool watch);

    PatrolConfig config_;
    const RoadNetwork& network_;
    std::vector<bool> drivable_;                    // per edge: in the part of the network a patrol never gets stuck in
    std::vector<std::vector<uint32_t>> edgesHome_;  // per fleet, per edge: the fewest edges to its town
    double shiftEnd_ = 0.0;
    double watchRadius_ = 0.0;
    std::vector<Car> cars_;
    std::vector<Camera> cameras_;
    std::vector<std::string> vehicleIds_;
};

}  // namespace alprsim
