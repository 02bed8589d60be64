#include "sensors/camera_model.h"

#include <cmath>

namespace alprsim {

namespace {

constexpr double kDeg = 180.0 / M_PI;

Vec3 minus(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

struct ImagePoint {
    double u = 0.0, v = 0.0;  // pixels from the image centre
    bool inFront = false;
};

ImagePoint project(double focalPx, Vec3 c) {
    if (c.z <= 0.05) return {};
    return {focalPx * c.x / c.z, focalPx * c.y / c.z, true};
}

}  // namespace

CameraBasis::CameraBasis(const CameraPose& p) {
    const double ch = std::cos(p.headingRad), sh = std::sin(p.headingRad);
    const double ct = std::cos(p.tiltDownRad), st = std::sin(p.tiltDownRad);
    forward = {ch * ct, sh * ct, -st};
    right = {sh, -ch, 0.0};
    // down = forward x right
    down = {forward.y * right.z - forward.z * right.y, forward.z * right.x - forward.x * right.z,
            forward.x * right.y - forward.y * right.x};
}

PlateGlance glancePlate(const CameraModel& model, const CameraPose& camera, const CameraBasis& basis, const PlatePose& plate,
                        double sinNormal, double cosNormal, bool surelyFacing) {
    // viewPlate's computations of these fields (the width by sqrt rather than std::hypot: the
    // same to the last bit or two; the capture's own width comes from viewPlate).
    PlateGlance g;
    const double f = model.focalLengthPx();
    const Vec3 rel = minus(plate.centre, camera.position);
    g.distanceM = std::sqrt(dot(rel, rel));
    g.inRange = g.distanceM <= model.rangeM;
    if (surelyFacing) {
        g.facing = true;
    } else {
        const double toCamera = std::atan2(-rel.y, -rel.x);
        const double yawDeg = std::remainder(toCamera - plate.normalRad, 2 * M_PI) * kDeg;
        g.facing = std::abs(yawDeg) < model.maxPlateYawDeg;
    }
    const Vec3 along{-sinNormal * PlateDimensions::kWidthM / 2, cosNormal * PlateDimensions::kWidthM / 2, 0.0};
    const ImagePoint left = project(f, basis.toCamera({rel.x + along.x, rel.y + along.y, rel.z}));
    const ImagePoint right = project(f, basis.toCamera({rel.x - along.x, rel.y - along.y, rel.z}));
    if (!left.inFront || !right.inFront) return g;
    double du = right.u - left.u, dv = right.v - left.v;
    if (du < 0) du = -du, dv = -dv;
    g.plateWidthPx = std::sqrt(du * du + dv * dv);  // hypot without its rounding-mode dance
    const double halfW = model.sensorWidthPx / 2.0, halfH = model.sensorHeightPx / 2.0;
    g.inFrame =
        std::abs(left.u) <= halfW && std::abs(right.u) <= halfW && std::abs(left.v) <= halfH && std::abs(right.v) <= halfH;
    return g;
}

double CameraModel::horizontalFovDeg() const {
    return 2.0 * std::atan(sensorWidthPx * pixelPitchUm * 1e-3 / 2.0 / focalLengthMm) * kDeg;
}

double CameraModel::verticalFovDeg() const {
    return 2.0 * std::atan(sensorHeightPx * pixelPitchUm * 1e-3 / 2.0 / focalLengthMm) * kDeg;
}

PlateView viewPlate(const CameraModel& model, const CameraPose& camera, const PlatePose& plate) {
    PlateView view;
    const CameraBasis basis(camera);
    const double f = model.focalLengthPx();
    const Vec3 rel = minus(plate.centre, camera.position);
    const Vec3 c = basis.toCamera(rel);
    view.distanceM = std::sqrt(dot(rel, rel));
    view.inRange = view.distanceM <= model.rangeM;
    view.horizontalAngleDeg = std::atan2(c.x, c.z) * kDeg;
    view.verticalAngleDeg = std::atan2(c.y, c.z) * kDeg;

    // Yaw: the plate's normal against the horizontal direction from plate to camera.
    const double toCamera = std::atan2(-rel.y, -rel.x);
    view.yawDeg = std::remainder(toCamera - plate.normalRad, 2 * M_PI) * kDeg;
    view.facing = std::abs(view.yawDeg) < model.maxPlateYawDeg;
    view.pitchDeg = std::atan2(-rel.z, std::hypot(rel.x, rel.y)) * kDeg;

    // The plate's two vertical edges, projected: their distance is the width in pixels and
    // their slant the roll the recogniser has to undo.
    const Vec3 along{-std::sin(plate.normalRad) * PlateDimensions::kWidthM / 2,
                     std::cos(plate.normalRad) * PlateDimensions::kWidthM / 2, 0.0};
    const ImagePoint left = project(f, basis.toCamera({rel.x + along.x, rel.y + along.y, rel.z}));
    const ImagePoint right = project(f, basis.toCamera({rel.x - along.x, rel.y - along.y, rel.z}));
    if (!left.inFront || !right.inFront) return view;
    double du = right.u - left.u, dv = right.v - left.v;
    if (du < 0) du = -du, dv = -dv;  // roll of the edge as drawn left to right
    view.plateWidthPx = std::hypot(du, dv);
    view.rollDeg = std::atan2(dv, du) * kDeg;
    const double halfW = model.sensorWidthPx / 2.0, halfH = model.sensorHeightPx / 2.0;
    view.inFrame =
        std::abs(left.u) <= halfW && std::abs(right.u) <= halfW && std::abs(left.v) <= halfH && std::abs(right.v) <= halfH;

    // Motion blur: d(u,v)/dt of the plate centre under the relative velocity, times exposure.
    const Vec3 v = basis.toCamera(minus(plate.velocity, camera.velocity));
    const double dudt = f * (v.x * c.z - c.x * v.z) / (c.z * c.z);
    const double dvdt = f * (v.y * c.z - c.y * v.z) / (c.z * c.z);
    view.motionBlurPx = std::hypot(dudt, dvdt) * model.exposureMs * 1e-3;

    // Thin-lens blur circle on the sensor for an object at depth z, focused at s:
    // c = f^2 / (N (s - f)) * |z - s| / z; sigma taken as half its diameter in pixels.
    const double fm = model.focalLengthMm * 1e-3, s = model.focusDistanceM;
    const double blurCircleM = fm * fm / (model.apertureF * (s - fm)) * std::abs(c.z - s) / c.z;
    view.defocusSigmaPx = blurCircleM / (model.pixelPitchUm * 1e-6) / 2.0;
    return view;
}

}  // namespace alprsim
