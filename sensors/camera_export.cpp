#include "sensors/camera_export.h"

namespace alprsim {

nlohmann::json camerasGeoJson(const std::vector<FixedCamera>& cameras) {
    nlohmann::json features = nlohmann::json::array();
    for (const FixedCamera& c : cameras) {
        features.push_back({
            {"type", "Feature"},
            {"geometry", {{"type", "Point"}, {"coordinates", {c.where.lon, c.where.lat}}}},
            {"properties",
             {{"id", c.id}, {"agency", c.agency}, {"edge", c.edge}, {"position_m", c.position}, {"town", c.town}, {"kind", "fixed"}}},
        });
    }
    return {{"type", "FeatureCollection"}, {"features", features}};
}

}  // namespace alprsim
