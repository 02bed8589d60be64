#pragma once
// cameras.geojson: the fixed cameras as WGS84 points, for maps and reports.
#include <nlohmann/json.hpp>

#include <vector>

#include "sensors/fixed_camera.h"

namespace alprsim {

nlohmann::json camerasGeoJson(const std::vector<FixedCamera>& cameras);

}  // namespace alprsim
