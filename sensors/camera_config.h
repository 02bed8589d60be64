#pragma once
// The "cameras" section of a scenario: who owns the cameras, where the fixed ones go, what
// they are (lens, sensor, mounting), the light and weather, and the patrol cars.
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sensors/camera_model.h"
#include "sensors/capture.h"
#include "sensors/fixed_camera.h"
#include "sensors/patrol.h"
#include "sensors/placement.h"

namespace alprsim {

struct CameraConfig {
    std::string agency;
    CameraPlacement placement = CameraPlacement::BusiestEdges;
    size_t count = 0;               // budgeted placements
    PlacementRequest request;       // budgeted placements: strategy, count, town, seed, agencies
    std::vector<CameraSite> sites;  // Listed
    CameraModel camera;             // the fixed cameras
    FixedMounting mounting;
    AmbientConditions ambient;
    PatrolConfig patrol;  // no fleets: no patrol cars
    uint64_t seed = 1;    // random placement and patrol routes
    std::string source;   // file and JSON path, for errors found later
    std::string jsonPath;
};

struct CameraLimits {
    static constexpr uint64_t kMaxCameras = 100'000;
    static constexpr uint64_t kMaxPatrolCars = 1'000;
};

// Reads and validates the section; throws InputError (file, JSON path, expectation).
CameraConfig readCameraConfig(JsonObjectReader obj);

// alpr-agencies.csv (agency,program,note); a note saying "opted out" marks a town that refused.
std::vector<AgencyProgram> loadAgencyPrograms(const std::string& csvFile);
// The agencies CSV the scenario field `key` names (default ma/alpr-agencies.csv), found on the
// data path beside the scenario; InputError naming the field if it is not there.
std::string findAgenciesFile(JsonObjectReader& obj, const std::string& key);

}  // namespace alprsim
