#pragma once
// Where fixed cameras go. A scenario either lists its sites or asks for the N edges that carry
// the most planned trips (the way an agency puts readers on its busiest roads).
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "sensors/fixed_camera.h"
#include "sim/trip_log.h"

namespace alprsim {

class RoadNetwork;
class Simulation;

// One listed site: an edge (and optional position), or a WGS84 point snapped to the nearest
// drivable edge. `source` and `jsonPath` say where it was written, for error messages.
struct CameraSite {
    std::string id;                    // empty: numbered automatically
    std::optional<std::string> edge;
    std::optional<double> position;    // metres from the edge's start; default: its middle
    std::optional<LatLon> where;
    std::string agency;
    std::string source;
    std::string jsonPath;
};

std::vector<FixedCamera> placeListedCameras(const std::vector<CameraSite>& sites, const RoadNetwork& network,
                                            const Simulation& snapper);

// The `count` edges with the most planned trips through them (ties broken by edge id), a
// camera at each one's middle. Throws InputError (source, jsonPath) if the network has fewer
// edges than that.
std::vector<FixedCamera> placeOnBusiestEdges(size_t count, const std::string& agency,
                                             const std::vector<TripPlan>& plans, const RoadNetwork& network,
                                             const std::string& source, const std::string& jsonPath);

}  // namespace alprsim
