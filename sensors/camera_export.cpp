#include "sensors/camera_export.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fmt/format.h>

#include "core/markup.h"

namespace alprsim {

namespace {

// Compass bearing (degrees clockwise from north) of a heading in the projected frame.
double compassDeg(double headingRad) {
    const double deg = 90.0 - headingRad * 180.0 / M_PI;
    return std::fmod(std::fmod(deg, 360.0) + 360.0, 360.0);
}

double rounded(double v, double unit) { return std::round(v / unit) * unit; }

}  // namespace

nlohmann::json camerasGeoJson(const std::vector<Camera>& cameras, const std::vector<CameraPose>& poses,
                              const std::vector<CameraModel>& models) {
    nlohmann::json features = nlohmann::json::array();
    for (size_t i = 0; i < cameras.size(); ++i) {
        const Camera& c = cameras[i];
        nlohmann::json props = {{"id", c.id},     {"agency", c.agency},      {"edge", c.edge}, {"position_m", c.position},
                                {"town", c.town}, {"kind", toString(c.kind)}};
        if (c.kind == CameraKind::Fixed) props["bearing_deg"] = rounded(compassDeg(poses[i].headingRad), 0.1);
        props["range_m"] = models[i].rangeM;
        props["horizontal_fov_deg"] = rounded(models[i].horizontalFovDeg(), 0.1);
        features.push_back({
            {"type", "Feature"},
            {"geometry", {{"type", "Point"}, {"coordinates", {c.where.lon, c.where.lat}}}},
            {"properties", props},
        });
    }
    return {{"type", "FeatureCollection"}, {"features", features}};
}

std::string camerasSumoAdditional(const std::vector<Camera>& cameras, const std::vector<CameraPose>& poses) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- alprsim cameras: sumo-gui -n NET -a cameras.add.xml "
        "-->\n<additional>\n";
    for (size_t i = 0; i < cameras.size(); ++i) {
        const Camera& c = cameras[i];
        const bool fixed = c.kind == CameraKind::Fixed;
        xml += fmt::format(
            "    <poi id=\"{}\" type=\"{}\" color=\"{}\" layer=\"100\" x=\"{:.2f}\" y=\"{:.2f}\" angle=\"{:.1f}\" "
            "width=\"6\" height=\"6\"/>\n",
            escapeMarkup(c.id), fixed ? "alpr-camera" : "alpr-patrol-start", fixed ? "red" : "blue", poses[i].position.x,
            poses[i].position.y, fixed ? compassDeg(poses[i].headingRad) : 0.0);
    }
    return xml + "</additional>\n";
}

}  // namespace alprsim
