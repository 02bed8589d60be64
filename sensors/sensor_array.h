#pragma once
// SensorArray: the sensing stage as the pipeline sees it. Deploys the scenario's fixed cameras
// and patrol cars on the network, then after every simulation step reports the captures of
// the vehicle passes that ended, each at its best frame with the photographic conditions.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sensors/camera_config.h"
#include "sensors/capture.h"
#include "sensors/fixed_camera.h"
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

    std::vector<Camera> cameras_;
    std::vector<CameraPose> poses_;    // per camera (a patrol car's: where it starts)
    std::vector<CameraModel> models_;  // per camera
    size_t fixedCount_ = 0;
    std::vector<PassTracker> trackers_;  // per camera
    std::vector<CameraRig> fixedRigs_;   // per fixed camera
    std::unique_ptr<PatrolFleet> patrol_;
    std::vector<bool> patrolWasOnRoad_;
    std::vector<size_t> readsPerCamera_;
    std::vector<double> plateWidths_[2];  // per kind, for the summary
    double stepLength_ = 1.0;
};

}  // namespace alprsim
