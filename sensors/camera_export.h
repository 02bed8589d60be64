#pragma once
// Exports of the deployed cameras: cameras.geojson (WGS84 points for maps and reports) and
// cameras.add.xml, a SUMO additional file with each fixed camera as a POI, so that
// `sumo-gui -n NET -a cameras.add.xml` shows them on the network (patrol cars appear as POIs
// where their shifts start).
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "sensors/camera_model.h"
#include "sensors/fixed_camera.h"

namespace alprsim {

// `poses[i]` is camera i's pose (projected); `models[i]` its lens and sensor.
nlohmann::json camerasGeoJson(const std::vector<Camera>& cameras, const std::vector<CameraPose>& poses,
                              const std::vector<CameraModel>& models);
std::string camerasSumoAdditional(const std::vector<Camera>& cameras, const std::vector<CameraPose>& poses);

}  // namespace alprsim
