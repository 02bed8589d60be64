#pragma once
// SensorArray: the sensing stage as the pipeline sees it. Deploys the scenario's fixed cameras
// and patrol cars on the network, then after every simulation step reports the captures of
// the vehicle passes that ended, each at its best frame with the photographic conditions.
//
// Cost. A fixed camera watches the edges whose shape comes within its watch radius; that set
// is computed once. When a vehicle departs, its route says which cameras it will come near
// and at which route indices; it is then left alone until it could first reach one (a lower
// bound from the edges' lengths and speed limits), and only while it is on an edge just
// before or inside a camera's watched edges is its position asked for (three direct libsumo
// calls a step). Vehicles whose routes never come near a camera cost one route look-up.
// Patrol cars keep SUMO context subscriptions (position, heading, speed) around themselves.
// Patrol cars also read parked cars (sensors/parked.h): the run tells the array its trips
// (addTrips), the array follows departures and arrivals, and each step a patrol car's cameras
// are given, beside the moving vehicles around it, the cars parked on the street along the
// edge it drives (both kerbs of the street, and the edge it just left) within its watch
// radius. They go through the same camera model, best-frame search and occlusion test as
// moving ones, one capture per pass; their captures are marked `parked` and name the trip the
// car arrived with (or will leave with), so the read's ground truth is the car itself, where
// it really stands. Fixed cameras do not read parked cars.
//
// Mesoscopic runs (simulation.model "mesoscopic"): SUMO's mesoscopic vehicles jump from
// segment to segment of an edge, and the position SUMO reports is that of the segment's start,
// so positions sampled per step cannot be watched frame by frame. In these runs the sensing
// stage polls the watched edges instead of vehicles: one call per watched edge per step lists
// the vehicles on it, and a set difference against the previous step tells which vehicles
// entered it (they entered, on average, half a step before) and which left. A vehicle's speed
// (SUMO's: its segment's length over its time to cross it) and length are asked once, when it
// enters a watched edge; it is then dead-reckoned along lane 0's centre line at that speed,
// held at the edge's end while it stays there. That track goes through the same camera model,
// best-frame search and occlusion test as a microscopic one. No route look-ups and no
// per-vehicle calls while vehicles queue near cameras (mesoscopic vehicles queue long).
// Approximations: every vehicle drives in lane 0, at the speed it entered the edge with, and
// passes through junctions in one jump (the tracker interpolates within the step). Patrol
// cars are not supported in mesoscopic runs (SUMO's context subscriptions do not see
// mesoscopic vehicles): they drive their shifts but read nothing.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sensors/camera_config.h"
#include "sensors/capture.h"
#include "sensors/fixed_camera.h"
#include "sensors/parked.h"
#include "sensors/pass_tracker.h"
#include "sensors/patrol.h"
#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class Simulation;

class SensorArray {
public:
    // `plans` tells placement strategies where traffic will be; throws InputError if the
    // configuration cannot be met on this network. Adds the cameras' watch points and the
    // patrol cars to the simulation.
    static SensorArray deploy(const CameraConfig& config, const std::vector<TripPlan>& plans,
                              const RoadNetwork& network, Simulation& sim);

    // The run's trips (each day's, as it is planned): who makes them and where they start and
    // end, so that patrol cars see the cars parked where trips leave them. A car is parked at
    // its first trip's origin until that trip departs.
    void addTrips(const std::vector<TripPlan>& plans);

    // Call after every step: captures of passes that ended during it, sorted by time, camera
    // and trip. A pass ends when the vehicle is no longer near the camera.
    std::vector<Capture> observe(Simulation& sim);
    // Call once after the last step: captures of the passes still open.
    std::vector<Capture> finish(Simulation& sim);

    // Fixed cameras first (cam000, ...), then one per patrol car (patrol01, ...).
    const std::vector<Camera>& cameras() const { return cameras_; }
    nlohmann::json geoJson() const;
    std::string sumoAdditional() const;  // cameras.add.xml
    // Captures and failures by reason, for fixed cameras and patrol cars; patrol hours and
    // reads per patrol-hour.
    nlohmann::json summary() const;

private:
    SensorArray() = default;
    std::vector<Capture> sorted(std::vector<Capture> captures, Simulation& sim);

    // A stretch of a vehicle's route near fixed camera `camera`: the vehicle is followed while
    // its route index is in [from, to] (the edge before the watched ones, whose junction may
    // lie in view, through the last watched one).
    struct Window {
        size_t camera = 0;
        int from = 0, to = 0;
    };
    struct Follow {
        std::vector<Window> windows;
        std::vector<size_t> route;  // edge indices; SIZE_MAX for edges not in the road network
        double length = 5.0;
        double maxSpeed = 0.0;  // m/s: no faster on its route (speed limits at the largest speed factor)
        double nextCheck = 0.0;
    };
    // Mesoscopic: a vehicle on a watched edge, dead-reckoned from the step it was first seen there.
    struct MesoTrack {
        double offset = 0.0;  // metres along the edge
        double speed = 0.0;   // m/s, as it entered
        double length = 5.0;
    };
    void enrol(const std::string& id, Simulation& sim);
    // Looks at a followed vehicle this step; false when it no longer needs looking at now (it
    // is rescheduled, or dropped for good).
    bool look(const std::string& id, Follow& f, Simulation& sim, double now);
    double earliestArrival(const Follow& f, int index, int target) const;
    // Seconds the vehicle, at `v` on route index `index`, needs at least to come within the
    // watch radius of a camera whose window it has not left.
    double timeToRadius(const Follow& f, int index, const VehicleState& v) const;
    void observeMeso(Simulation& sim);
    // Adds the cars parked along patrol car `car`'s street to nearPatrol_.
    void addParked(size_t car);

    std::vector<Camera> cameras_;
    std::vector<CameraPose> poses_;    // per camera (a patrol car's: where it starts)
    std::vector<CameraModel> models_;  // per camera
    size_t fixedCount_ = 0;
    std::vector<PassTracker> trackers_;  // per camera
    std::vector<CameraRig> fixedRigs_;   // per fixed camera
    std::vector<std::vector<size_t>> edgeCameras_;  // per network edge: fixed cameras watching it
    const RoadNetwork* network_ = nullptr;
    bool meso_ = false;
    double fixedRadius_ = 0.0;
    double networkMaxSpeed_ = 0.0;  // m/s: the largest speed limit, at the largest speed factor
    std::unordered_map<std::string, size_t> edgeIndex_;   // network edge id -> index
    std::vector<Window> runs_;                             // enrol's, reused
    std::unordered_map<std::string, Follow> follow_;       // vehicles whose routes come near a fixed camera
    std::set<std::pair<double, std::string>> schedule_;  // (time to look again, vehicle)
    std::map<std::string, Follow*> active_;                // looked at every step (into follow_)
    std::set<std::string> patrolIds_;
    std::vector<size_t> watchedEdges_;  // mesoscopic: network edges some fixed camera watches
    std::vector<std::unordered_map<std::string, MesoTrack>> onWatched_;  // per watched edge: last step's vehicles
    std::unordered_map<std::string, MesoTrack> seenOnWatched_;           // reused
    std::unordered_map<std::string, double> mesoLengths_;               // mesoscopic: until the vehicle arrives
    std::vector<std::string> edgeIds_;                                   // reused
    std::vector<std::vector<VehicleState>> nearFixed_;     // per fixed camera, reused every step
    std::vector<VehicleState> nearPatrol_;                 // reused
    std::unique_ptr<PatrolFleet> patrol_;
    std::unique_ptr<ParkedVehicles> parked_;  // with patrol cars, in microscopic runs
    std::vector<size_t> parkedReadsPerCamera_;
    std::vector<bool> patrolWasOnRoad_;
    std::vector<size_t> readsPerCamera_;
    std::vector<double> plateWidths_[2];  // per kind, for the summary
    double stepLength_ = 1.0;
};

}  // namespace alprsim
