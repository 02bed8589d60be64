#pragma once
// SensorArray: the sensing stage as the pipeline sees it. Deploys the scenario's cameras on
// the network, then after every simulation step reports which vehicles they captured.
#include <nlohmann/json.hpp>

#include <vector>

#include "sensors/camera_config.h"
#include "sensors/fixed_camera.h"
#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class Simulation;

class SensorArray {
public:
    // `plans` tells placement strategies where traffic will be; throws InputError if the
    // configuration cannot be met on this network.
    static SensorArray deploy(const CameraConfig& config, const std::vector<TripPlan>& plans,
                              const RoadNetwork& network, const Simulation& sim);

    // Captures during the last step, in time order.
    std::vector<CameraPass> observe(const Simulation& sim) { return fixed_.observe(sim); }

    const std::vector<FixedCamera>& cameras() const { return fixed_.cameras(); }
    nlohmann::json geoJson() const;

private:
    explicit SensorArray(std::vector<FixedCamera> cameras) : fixed_(std::move(cameras)) {}
    FixedCameraSensor fixed_;
};

}  // namespace alprsim
