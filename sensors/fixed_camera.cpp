#include "sensors/fixed_camera.h"

#include <algorithm>
#include <cmath>

#include "core/files.h"
#include "sim/road_network.h"

namespace alprsim {

namespace {

struct ShapePoint {
    Point2 at;
    double dx = 1.0, dy = 0.0;  // unit tangent, in the direction of travel
};

// As RoadNetwork::pointAlong: the shape walked by its own geometry, scaled so that
// offset == the lane's length reaches its end.
ShapePoint alongShape(const std::vector<Point2>& shape, double laneLength, double offset) {
    ShapePoint p{shape.empty() ? Point2{} : shape.front()};
    double geometric = 0.0;
    for (size_t i = 1; i < shape.size(); ++i) geometric += std::hypot(shape[i].x - shape[i - 1].x, shape[i].y - shape[i - 1].y);
    if (laneLength > 0) offset = std::clamp(offset, 0.0, laneLength) * geometric / laneLength;
    double walked = 0.0;
    for (size_t i = 1; i < shape.size(); ++i) {
        const double sx = shape[i].x - shape[i - 1].x, sy = shape[i].y - shape[i - 1].y;
        const double len = std::hypot(sx, sy);
        if (len <= 0) continue;
        p.dx = sx / len;
        p.dy = sy / len;
        const double f = std::min(1.0, std::max(0.0, (offset - walked) / len));
        p.at = {shape[i - 1].x + sx * f, shape[i - 1].y + sy * f};
        walked += len;
        if (walked >= offset) break;
    }
    return p;
}

}  // namespace

const char* toString(CameraKind kind) { return kind == CameraKind::Fixed ? "fixed" : "patrol"; }

std::string agencyIdPrefix(const std::string& agency) { return nameSlug(agency); }

RoadPoint pointOnEdge(const RoadEdge& edge, double offset) {
    const ShapePoint p = alongShape(edge.shape, edge.length, offset);
    return {p.at, p.dx, p.dy};
}

CameraPose fixedCameraPose(const Camera& camera, const RoadNetwork& network, const CameraModel& model,
                           const FixedMounting& mounting) {
    const RoadEdge& edge = network.edges()[network.indexOf(camera.edge)];
    const ShapePoint p = alongShape(edge.shape, edge.length, camera.position);
    // Right of travel is (dy, -dx).
    const double rightX = p.dy, rightY = -p.dx;
    CameraPose pose;
    pose.position = {p.at.x + rightX * mounting.lateralOffsetM, p.at.y + rightY * mounting.lateralOffsetM, model.mountHeightM};
    const double leftOfLane0 = (edge.lanes - 1) / 2.0 * mounting.laneWidthM;  // middle of the road
    const double aimX = p.at.x - p.dx * mounting.aimDistanceM - rightX * leftOfLane0;
    const double aimY = p.at.y - p.dy * mounting.aimDistanceM - rightY * leftOfLane0;
    const double ground = std::hypot(aimX - pose.position.x, aimY - pose.position.y);
    pose.headingRad = std::atan2(aimY - pose.position.y, aimX - pose.position.x);
    pose.tiltDownRad = std::atan2(model.mountHeightM - PlateDimensions::kCentreHeightM, ground);
    return pose;
}

}  // namespace alprsim
