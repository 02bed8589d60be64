#pragma once
// Cameras as deployed: a fixed camera on a pole beside one road edge, or the camera rig of a
// patrol car. Each has an id, an owner and a place on the map (a patrol car's: where its shift
// starts).
#include <string>

#include "core/geo.h"
#include "sensors/camera_model.h"
#include "sim/road_network.h"

namespace alprsim {

class RoadNetwork;

enum class CameraKind { Fixed, Patrol };
const char* toString(CameraKind kind);

// How an agency's name starts the ids of its sensors when sensors are numbered per agency
// ("Boston" gives boston-cam000, ...): its nameSlug (core/files.h), as its store's file name.
std::string agencyIdPrefix(const std::string& agency);

struct Camera {
    std::string id;
    std::string agency;  // who owns the reads
    CameraKind kind = CameraKind::Fixed;
    std::string edge;     // SUMO edge id (a patrol car's first edge)
    double position = 0;  // metres from the edge's start
    LatLon where;
    std::string town;  // municipality the camera stands in
};

// How a fixed camera is mounted: on the right of the rightmost lane, looking upstream at the
// oncoming traffic (reading front plates), aimed at the middle of the road `aimDistanceM`
// upstream.
struct FixedMounting {
    double lateralOffsetM = 3.0;  // from the centre of lane 0 to the pole
    double aimDistanceM = 18.0;
    double laneWidthM = 3.2;
};

// A point on the centre line of lane 0, `offset` metres along an edge, and the direction of
// travel there (a unit vector).
struct RoadPoint {
    Point2 at;
    double dx = 1.0, dy = 0.0;
};
RoadPoint pointOnEdge(const RoadEdge& edge, double offset);

// The pose of a fixed camera standing at camera.edge / camera.position. The road is taken as
// straight from the camera to its aim point (the local tangent of the edge's shape).
CameraPose fixedCameraPose(const Camera& camera, const RoadNetwork& network, const CameraModel& model,
                           const FixedMounting& mounting);

}  // namespace alprsim
