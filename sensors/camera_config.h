#pragma once
// The "cameras" section of a scenario: who owns the cameras and where they go.
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sensors/placement.h"

namespace alprsim {

enum class CameraPlacement { Listed, BusiestEdges };

struct CameraConfig {
    std::string agency;
    CameraPlacement placement = CameraPlacement::BusiestEdges;
    size_t count = 0;               // BusiestEdges
    std::vector<CameraSite> sites;  // Listed
    std::string source;             // file and JSON path, for errors found later
    std::string jsonPath;
};

struct CameraLimits {
    static constexpr uint64_t kMaxCameras = 100'000;
};

// Reads and validates the section; throws InputError (file, JSON path, expectation).
CameraConfig readCameraConfig(JsonObjectReader obj);

}  // namespace alprsim
