#pragma once
// SensorArray: the sensing stage as the pipeline sees it. Deploys the scenario's fixed cameras
// and patrol cars on the network, then after every simulation step reports the captures of
// the vehicle passes that ended, each at its best frame with the photographic conditions.
//
// Cost. A fixed camera watches the edges whose shape comes within its watch radius; that set
// is computed once. When a vehicle departs (or takes another route on the way), its route
// says which cameras it will come near and at which route indices; it is then left alone
// until it could first reach one (a lower bound from the edges' lengths and speed limits),
// and only while it is on an edge just before or inside a camera's watched edges is its
// position asked for (three direct libsumo calls a step). Vehicles whose routes never come
// near a camera cost one route look-up.
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
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

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
    static SensorArray deploy(const CameraConfig& config, const std::vector<TripPlan>& plans, const RoadNetwork& network,
                              Simulation& sim);

    // The run's trips (each day's, as it is planned, before its vehicles depart): who makes
    // them and where they start and end, so that patrol cars see the cars parked where trips
    // leave them (a car is parked at its first trip's origin until that trip departs), and
    // their routes (edge indices of the network given to deploy, the routes SUMO is given), so
    // that a departing vehicle's route need not be asked of SUMO.
    void addTrips(const std::vector<TripPlan>& plans);

    // Call after every step: captures of passes that ended in earlier steps, step by step,
    // each step's sorted by time, camera and trip. A pass ends when the vehicle is no longer
    // near the camera. observe asks SUMO where the vehicles near the cameras are, then the
    // cameras' trackers (the frame search, the occlusion tests), which need nothing more of
    // SUMO, work on the steps in batches: with more than one thread (setThreads) on a thread
    // of their own while the caller steps SUMO on. So a step's captures come out up to two
    // batches (kBatchSteps) later; they and their order are the same on any number of threads.
    std::vector<Capture> observe(Simulation& sim);
    // Call once after the last step: the captures not yet returned, then those of the passes
    // still open (sorted by time, camera and trip).
    std::vector<Capture> finish(Simulation& sim);
    // Threads for the cameras (0, the default: one per core); more than one gives the
    // trackers a thread of their own. Set before the first observe.
    void setThreads(unsigned threads) { threads_ = threads; }

    // Fixed cameras first (cam000, ..., or boston-cam000, ... by agency), then one per patrol car (patrol01, ..., or each
    // agency's fleet in turn, boston-patrol01, ...).
    const std::vector<Camera>& cameras() const { return cameras_; }
    nlohmann::json geoJson() const;
    std::string sumoAdditional() const;  // cameras.add.xml
    // Captures and failures by reason, for fixed cameras and patrol cars; patrol hours and
    // reads per patrol-hour, per car and for the run; with cars named by agency (a scenario's
    // agencies section) each car's agency and, per agency ("by_agency"), its fleet's patrol
    // hours, reads and reads per patrol hour.
    nlohmann::json summary() const;
    // The summary's rates: reads an hour to two decimals, 0 without hours (the day merge
    // recomputes them from the days' totals with it).
    static double readsPerHour(double reads, double hours);

private:
    SensorArray() = default;
    // Sorts one step's captures by time, camera and trip, with parked cars' captures named by
    // their trips (no SUMO call: the trackers' job does it).
    void inTimeOrder(std::vector<Capture>::iterator begin, std::vector<Capture>::iterator end) const;
    nlohmann::json patrolSummary(const CaptureCounts& counts) const;
    // Where each capture was made (a patrol car's position, through SUMO), counted per camera.
    std::vector<Capture> annotated(std::vector<Capture> captures, Simulation& sim);

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
    // Starts following a vehicle that departed, along its planned route (or SUMO's).
    void enrol(const std::string& id, Simulation& sim);
    // Follows a vehicle along `route` (network edge indices; SUMO's route indices index it)
    // from this step on, if it comes near a fixed camera.
    void follow(const std::string& id, std::vector<size_t> route, Simulation& sim);
    void unfollow(const std::string& id);
    std::vector<size_t> routeIndices(const std::vector<std::string>& route) const;
    // Looks at a followed vehicle this step; false when it no longer needs looking at now (it
    // is rescheduled, or dropped for good).
    bool look(const std::string& id, Follow& f, Simulation& sim, double now, std::vector<std::vector<VehicleState>>& nearFixed);
    double earliestArrival(const Follow& f, int index, int target) const;
    // Seconds the vehicle, at `v` on route index `index`, needs at least to come within the
    // watch radius of a camera whose window it has not left.
    double timeToRadius(const Follow& f, int index, const VehicleState& v) const;
    // What the trackers need of a step, gathered from SUMO on the caller's thread: the
    // vehicles near each fixed camera and each patrol car, and the patrol cars' rigs.
    struct StepInputs {
        double start = 0.0, end = 0.0;
        std::vector<std::vector<VehicleState>> nearFixed;   // per fixed camera
        std::vector<CameraRig> rigs;                        // per patrol car; empty: not on the road
        std::vector<std::vector<VehicleState>> nearPatrol;  // per patrol car on the road
        std::vector<char> shiftEnded;                       // per patrol car: left the road this step
    };
    void gather(Simulation& sim, StepInputs& in);  // the SUMO side of a step
    void observeMeso(Simulation& sim, std::vector<std::vector<VehicleState>>& nearFixed);
    // Adds the cars parked along patrol car `car`'s street to `near`.
    void addParked(size_t car, std::vector<VehicleState>& near);
    StepInputs blankInputs() const;
    // The trackers' side of the first `steps` steps of `batch`, in order: no SUMO call, so it
    // may run on another thread. Appends each step's captures in time order.
    void track(const std::vector<StepInputs>& batch, size_t steps, std::vector<Capture>& out);
    // The captures of the batch handed to the trackers last (none before the first).
    std::vector<Capture> collect();

    std::vector<Camera> cameras_;
    std::vector<CameraPose> poses_;    // per camera (a patrol car's: where it starts)
    std::vector<CameraModel> models_;  // per camera
    size_t fixedCount_ = 0;
    std::vector<PassTracker> trackers_;             // per camera
    std::vector<CameraRig> fixedRigs_;              // per fixed camera
    std::vector<std::vector<size_t>> edgeCameras_;  // per network edge: fixed cameras watching it
    const RoadNetwork* network_ = nullptr;
    bool meso_ = false;
    double fixedRadius_ = 0.0;
    double networkMaxSpeed_ = 0.0;                       // m/s: the largest speed limit, at the largest speed factor
    std::unordered_map<std::string, size_t> edgeIndex_;  // network edge id -> index
    std::vector<Window> runs_;                           // enrol's, reused
    std::unordered_map<std::string, std::vector<uint32_t>> plannedRoutes_;  // addTrips's, until the trip departs
    std::unordered_map<std::string, Follow> follow_;                        // vehicles whose routes come near a fixed camera
    std::set<std::pair<double, std::string>> schedule_;                     // (time to look again, vehicle)
    std::map<std::string, Follow*> active_;                                 // looked at every step (into follow_)
    std::set<std::string> patrolIds_;
    std::vector<size_t> watchedEdges_;                                   // mesoscopic: network edges some fixed camera watches
    std::vector<std::unordered_map<std::string, MesoTrack>> onWatched_;  // per watched edge: last step's vehicles
    std::unordered_map<std::string, MesoTrack> seenOnWatched_;           // reused
    std::unordered_map<std::string, double> mesoLengths_;                // mesoscopic: until the vehicle arrives
    std::vector<std::string> edgeIds_;                                   // reused
    // Steps are handed to the trackers in batches of kBatchSteps: waking a thread costs tens
    // of microseconds on a virtual machine, a step's tracking about as much. A batch's inputs
    // are gathered into `gathering_` while the trackers work on the batch before, in `tracking_`.
    static constexpr size_t kBatchSteps = 32;
    std::vector<StepInputs> gathering_, tracking_;
    size_t gathered_ = 0;           // steps in gathering_ (the vector keeps its buffers)
    std::vector<Capture> tracked_;  // written by the trackers' job, read after it is done
    std::unique_ptr<PatrolFleet> patrol_;
    std::unique_ptr<ParkedVehicles> parked_;  // with patrol cars, in microscopic runs
    std::vector<size_t> parkedReadsPerCamera_;
    std::vector<bool> patrolWasOnRoad_;
    std::vector<size_t> readsPerCamera_;
    std::vector<double> plateWidths_[2];  // per kind, for the summary
    double stepLength_ = 1.0;
    unsigned threads_ = 0;
    // The trackers' job of one batch, run while the caller goes on (SUMO computes the next
    // steps): on a TBB worker of an arena of two; with one thread asked, at once on the
    // caller's thread instead (the same results either way). wait() rethrows what it threw.
    class TrackingJob {
    public:
        explicit TrackingJob(bool ownThread) : ownThread_(ownThread) {}
        ~TrackingJob();  // waits for the job under way
        void start(std::function<void()> job);
        void wait();

    private:
        bool ownThread_;
        tbb::task_arena arena_{2};
        tbb::task_group group_;       // after the arena: destroyed before it
        std::exception_ptr failure_;  // of a job run on the caller's thread
    };
    // Made at the first observe (a SensorArray is moved before that). Last, so that it is
    // destroyed first: its destructor waits for a job that uses the members above.
    std::unique_ptr<TrackingJob> worker_;
};

}  // namespace alprsim
