#include "sensors/sensor_array.h"

#include "sensors/camera_export.h"

namespace alprsim {

SensorArray SensorArray::deploy(const CameraConfig& config, const std::vector<TripPlan>& plans,
                                const RoadNetwork& network, const Simulation& sim) {
    if (config.placement == CameraPlacement::Listed) return SensorArray(placeListedCameras(config.sites, network, sim));
    return SensorArray(
        placeOnBusiestEdges(config.count, config.agency, plans, network, config.source, config.jsonPath + "/count"));
}

nlohmann::json SensorArray::geoJson() const { return camerasGeoJson(cameras()); }

}  // namespace alprsim
