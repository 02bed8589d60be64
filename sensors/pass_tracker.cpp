#include "sensors/pass_tracker.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace alprsim {

namespace {

constexpr double kCheckHz = 100.0;  // resolution of the between-frames visibility check

// SUMO's heading (degrees, 0 = north, clockwise) as radians in the projected frame.
double headingRad(double sumoAngleDeg) { return (90.0 - sumoAngleDeg) * M_PI / 180.0; }

// A vehicle's front or rear plate: SUMO's position is the front bumper's centre. `cx`, `cy`:
// the cosine and sine of its heading.
PlatePose platePose(const VehicleState& v, bool front, double h, double cx, double cy) {
    const double back = front ? 0.0 : v.length;
    return {{v.position.x - cx * back, v.position.y - cy * back, PlateDimensions::kCentreHeightM},
            front ? h : h + M_PI,
            {cx * v.speed, cy * v.speed, 0.0}};
}

VehicleState extrapolate(const VehicleState& v, double seconds) {
    VehicleState moved = v;
    const double h = headingRad(v.angleDeg);
    moved.position.x += std::cos(h) * v.speed * seconds;
    moved.position.y += std::sin(h) * v.speed * seconds;
    return moved;
}

double lerp(double a, double b, double f) { return a + (b - a) * f; }

// Length of (x, y) for the search's tests: std::hypot guards against overflow at a cost (it
// saves and restores the rounding mode); metres on a map never overflow.
inline double length2(double x, double y) { return std::sqrt(x * x + y * y); }

}  // namespace

double PassTracker::dtMove(const Track& t) {
    return length2(t.end.position.x - t.start.position.x, t.end.position.y - t.start.position.y);
}

bool PassTracker::mayFaceCamera(const Track& track, const CameraRig& rig) const {
    // A straight move whose both ends are behind a camera, or show it only the edge or back of
    // a plate, shows it no plate in between (cars turn little within a step).
    const double cosMaxYaw = cosMaxYaw_;
    for (size_t ci = 0; ci < rig.size(); ++ci) {
        const CameraMotion& camera = rig[ci];
        const double* cosHeading = cameraTrig_[ci].cosHeading;
        const double* sinHeading = cameraTrig_[ci].sinHeading;
        for (bool front : {true, false}) {
            bool possible = false;
            for (int end = 0; end < 2 && !possible; ++end) {
                const CameraPose& pose = end ? camera.end : camera.start;
                const VehicleState& v = end ? track.end : track.start;
                const Trig& trig = track.trig(v.angleDeg);
                const PlatePose plate = platePose(v, front, trig.h, trig.cosH, trig.sinH);
                const double dx = pose.position.x - plate.centre.x, dy = pose.position.y - plate.centre.y;
                const double dist = length2(dx, dy);
                // The cosine and sine of plate.normalRad (h, or h + pi for the rear plate).
                const double cn = front ? trig.cosH : trig.cosRear(), sn = front ? trig.sinH : trig.sinRear();
                const double facing = (cn * dx + sn * dy) / std::max(dist, 1e-9);
                const double ahead = -(cosHeading[end] * dx + sinHeading[end] * dy);
                possible = facing > cosMaxYaw - 0.2 && ahead > -2.0;
            }
            if (possible) return true;
        }
    }
    return false;
}

VehicleState interpolate(const VehicleState& a, const VehicleState& b, double f) {
    VehicleState v = b;
    v.position = {lerp(a.position.x, b.position.x, f), lerp(a.position.y, b.position.y, f)};
    const double turn = b.angleDeg - a.angleDeg;  // mostly 0: no remainder needed
    v.angleDeg = a.angleDeg + (turn == 0.0 ? 0.0 : std::remainder(turn, 360.0)) * f;
    v.speed = lerp(a.speed, b.speed, f);
    return v;
}

CameraPose interpolate(const CameraPose& a, const CameraPose& b, double f) {
    CameraPose p = b;
    p.position = {lerp(a.position.x, b.position.x, f), lerp(a.position.y, b.position.y, f), lerp(a.position.z, b.position.z, f)};
    const double turn = b.headingRad - a.headingRad;  // 0 for a fixed camera
    p.headingRad = a.headingRad + (turn == 0.0 ? 0.0 : std::remainder(turn, 2 * M_PI)) * f;
    p.tiltDownRad = lerp(a.tiltDownRad, b.tiltDownRad, f);
    p.velocity = {lerp(a.velocity.x, b.velocity.x, f), lerp(a.velocity.y, b.velocity.y, f), 0.0};
    return p;
}

namespace {

// blocksSight, given the cosine and sine of the vehicle's heading.
bool blocksSight(const VehicleState& vehicle, double cx, double cy, const Vec3& from, const Vec3& to) {
    const double rx = vehicle.position.x - cx * vehicle.length, ry = vehicle.position.y - cy * vehicle.length;
    const auto local = [&](const Vec3& p) {
        const double dx = p.x - rx, dy = p.y - ry;
        return Vec3{dx * cx + dy * cy, -dx * cy + dy * cx, p.z};
    };
    const Vec3 a = local(from), b = local(to);
    const double d[3] = {b.x - a.x, b.y - a.y, b.z - a.z};
    const double o[3] = {a.x, a.y, a.z};
    const double lo[3] = {0.0, -VehicleBox::kWidthM / 2, 0.0};
    const double hi[3] = {vehicle.length, VehicleBox::kWidthM / 2, VehicleBox::kHeightM};
    const double length = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    double tMin = 0.0, tMax = length > 0.05 ? 1.0 - 0.05 / length : 0.0;
    for (int axis = 0; axis < 3; ++axis) {
        if (std::abs(d[axis]) < 1e-12) {
            if (o[axis] < lo[axis] || o[axis] > hi[axis]) return false;
            continue;
        }
        double t1 = (lo[axis] - o[axis]) / d[axis], t2 = (hi[axis] - o[axis]) / d[axis];
        if (t1 > t2) std::swap(t1, t2);
        tMin = std::max(tMin, t1);
        tMax = std::min(tMax, t2);
        if (tMin > tMax) return false;
    }
    return true;
}

}  // namespace

bool blocksSight(const VehicleState& vehicle, const Vec3& from, const Vec3& to) {
    // Slab test in the vehicle's own frame: along its length from the rear bumper, across,
    // and up from the road.
    const double h = headingRad(vehicle.angleDeg);
    return blocksSight(vehicle, std::cos(h), std::sin(h), from, to);
}

void PassTracker::Track::at(double f, VehicleState& v) const {
    // interpolate(start, end, f) without the id; `turn` is its remainder, worked out once.
    v.position = {lerp(start.position.x, end.position.x, f), lerp(start.position.y, end.position.y, f)};
    v.angleDeg = start.angleDeg + turn * f;
    v.speed = lerp(start.speed, end.speed, f);
    v.length = end.length;
}

bool PassTracker::mayBeInFrame(const std::vector<Cone>& cones, const Track& track, double f) {
    if (cones.empty()) return true;
    // Plate centres lie within a car length of the front bumper, which moves along the
    // segment from start to end: an affine function's maximum over them is at most its
    // value at the bumper (or the larger of the segment's ends) plus length * slope.
    const double reach = std::max(track.start.length, track.end.length) + PlateDimensions::kWidthM;
    constexpr double kMargin = 0.01;  // far above rounding (metres times the cone's width)
    for (const Cone& c : cones) {
        bool inside = true;
        for (int i = 0; i < 4 && inside; ++i) {
            const double gs = c.g0[i] + c.gx[i] * track.start.position.x + c.gy[i] * track.start.position.y;
            const double ge = c.g0[i] + c.gx[i] * track.end.position.x + c.gy[i] * track.end.position.y;
            const double g = f < 0 ? std::max(gs, ge) : lerp(gs, ge, f);
            inside = g + reach * c.slope[i] >= -kMargin;
        }
        if (inside) return true;
    }
    return false;
}

bool PassTracker::mayBeInCone(const Cone& c, const Vec3& centre) {
    constexpr double kMargin = 0.01;  // as in mayBeInFrame: far above rounding
    for (int i = 0; i < 4; ++i)
        if (c.g0[i] + c.gx[i] * centre.x + c.gy[i] * centre.y < -kMargin) return false;
    return true;
}

PassTracker::PassTracker(size_t camera, CameraModel model, AmbientConditions ambient)
    : camera_(camera), model_(model), ambient_(ambient), cosMaxYaw_(std::cos(model.maxPlateYawDeg * M_PI / 180.0)) {
    const double halfW = model.sensorWidthPx / 2.0, halfH = model.sensorHeightPx / 2.0;
    widthBoundK_ = (1 + (halfW * halfW + halfH * halfH) / (model.focalLengthPx() * model.focalLengthPx())) * (1 + 1e-9);
}

const PassTracker::Trig& PassTracker::Track::trig(double angleDeg) const {
    // A vehicle keeps its heading through most steps (interpolation leaves it bit for bit), so
    // the sines and cosines of its plates' facings are worked out once for all the step's frames.
    for (int slot = 0; slot < 2; ++slot)
        if (angleDeg == trigAngle_[slot]) {
            trigNext_ = 1 - slot;  // the other one is the older
            return trig_[slot];
        }
    const int slot = trigNext_;
    trigNext_ = 1 - slot;
    Trig& t = trig_[slot];
    trigAngle_[slot] = angleDeg;
    t.h = headingRad(angleDeg);
    t.cosH = std::cos(t.h);
    t.sinH = std::sin(t.h);
    t.reset();  // the rear plate's cosine and sine, when asked for: cos(h + pi), sin(h + pi)
    return t;
}

CameraBasis PassTracker::basisFor(size_t index, const CameraPose& pose) const {
    // The basis depends on heading and tilt only: a camera that keeps them (a fixed one, a
    // patrol car driving straight) reuses it.
    if (bases_.size() <= index) bases_.resize(index + 1);
    auto& [key, basis] = bases_[index];
    if (!basis || key.headingRad != pose.headingRad || key.tiltDownRad != pose.tiltDownRad) {
        key = pose;
        basis.emplace(pose);
    }
    return *basis;
}

void PassTracker::lookAt(const Track& track, double t, double fraction, const CameraRig& rig, const std::vector<Cone>& cones,
                         bool isFrame, Pass& pass) const {
    if (pass.inCone) {
        // Nothing left to learn from a frame whose plates are all beyond range.
        const double x = lerp(track.start.position.x, track.end.position.x, fraction);
        const double y = lerp(track.start.position.y, track.end.position.y, fraction);
        const double reach = model_.rangeM + track.end.length + 1.0;
        bool near = false;
        for (const CameraMotion& camera : rig) {
            const double cx = lerp(camera.start.position.x, camera.end.position.x, fraction);
            const double cy = lerp(camera.start.position.y, camera.end.position.y, fraction);
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= reach * reach) near = true;
        }
        if (!near) return;
    }
    VehicleState v;
    track.at(fraction, v);
    const double cosMaxYaw = cosMaxYaw_;
    const double rangeSquared = model_.rangeM * model_.rangeM;
    const Trig& trig = track.trig(v.angleDeg);
    const PlatePose plates[2] = {platePose(v, true, trig.h, trig.cosH, trig.sinH),
                                 platePose(v, false, trig.h, trig.cosH, trig.sinH)};
    // The front plate faces along the heading, the rear one against it.
    const double hx = trig.cosH, hy = trig.sinH;
    for (size_t ci = 0; ci < rig.size(); ++ci) {
        const CameraMotion& camera = rig[ci];
        const CameraPose& a = camera.start;
        const CameraPose& b = camera.end;
        const bool still = a.headingRad == b.headingRad && a.tiltDownRad == b.tiltDownRad && a.position.x == b.position.x &&
                           a.position.y == b.position.y && a.position.z == b.position.z && a.velocity.x == b.velocity.x &&
                           a.velocity.y == b.velocity.y;
        const CameraPose pose = still ? camera.end : interpolate(camera.start, camera.end, fraction);
        std::optional<CameraBasis> basis;  // worked out for the first plate that needs it
        for (bool front : {true, false}) {
            const PlatePose& plate = plates[front ? 0 : 1];
            // A plate whose centre is outside a still camera's field of view is not in its frame:
            // nothing to learn from it (the same test as mayBeInFrame's, for this plate alone).
            if (!cones.empty() && !mayBeInCone(cones[ci], plate.centre)) continue;
            // Cheap tests first, with a margin so that glancePlate still decides every close case:
            // a plate turned away is neither visible nor in the cone; one beyond range matters
            // only until the cone has been seen once (the out-of-range count).
            const double dx = pose.position.x - plate.centre.x, dy = pose.position.y - plate.centre.y;
            const double dz = pose.position.z - plate.centre.z;
            const double flat = std::sqrt(dx * dx + dy * dy);
            const double sign = front ? 1.0 : -1.0;
            const double cosYaw = flat > 1e-9 ? sign * (hx * dx + hy * dy) / flat : 0.0;
            if (flat > 1e-9 && cosYaw < cosMaxYaw - 1e-6) continue;
            if (pass.inCone && flat * flat + dz * dz > rangeSquared * (1 + 1e-9)) continue;
            if (!basis) basis.emplace(basisFor(ci, pose));
            // Well inside the yaw limit (by 1e-6 in the cosine, far above rounding): facing.
            const bool surelyFacing = flat > 1e-6 && cosYaw > cosMaxYaw + 1e-6;
            const PlateGlance view = front
                                         ? glancePlate(model_, pose, *basis, plate, trig.sinH, trig.cosH, surelyFacing)
                                         : glancePlate(model_, pose, *basis, plate, trig.sinRear(), trig.cosRear(), surelyFacing);
            if (view.inFrame && view.facing) pass.inCone = true;
            if (!view.visible()) continue;
            if (!isFrame) {
                pass.sampledInView = true;
                continue;
            }
            pass.framedInView = true;
            const recognition::Light light = lightAt(ambient_, t);
            if (light == recognition::Light::NightIR && !model_.infrared) {
                pass.dark = true;
                continue;
            }
            if (pass.hasBest && view.plateWidthPx <= pass.bestWidth) continue;
            // Wider than the best frame of the steps before: a candidate, tested for occlusion by
            // chooseBest once the step's frames are all seen (widest first).
            candidates_.push_back({view.plateWidthPx, view.distanceM, fraction, {t, v.speed, front, light, pose, plate}});
        }
    }
}

bool PassTracker::occluded(const Track& track, const std::vector<Track>& tracks, const Candidate& c) const {
    const CameraPose& pose = c.frame.pose;
    const double reach = c.distanceM + 2.0;
    for (const Track& other : tracks) {
        if (&other == &track) continue;
        // Only a car nearer to the lens than the plate can stand in between.
        const double gx = other.end.position.x - pose.position.x, gy = other.end.position.y - pose.position.y;
        if (length2(gx, gy) > reach + other.end.length + 2 * dtMove(other)) continue;
        VehicleState o;
        other.at(c.fraction, o);
        const Trig& ot = other.trig(o.angleDeg);
        if (blocksSight(o, ot.cosH, ot.sinH, pose.position, c.frame.plate.centre)) return true;
    }
    return false;
}

const PassTracker::Candidate* PassTracker::widestClear(const Track& track, const std::vector<Track>& tracks, double above) const {
    // Frame by frame, the best frame would become each unoccluded candidate wider than the one
    // before it: it ends as the widest unoccluded candidate, the first of equals. Testing the
    // widest first usually settles it with one occlusion test instead of one per frame.
    // Candidates come last frame first, and a frame's in the order lookAt saw them: of equal
    // widths the one of the earliest frame, then the first pushed, is first.
    while (true) {
        Candidate* widest = nullptr;
        for (Candidate& c : candidates_)
            if (c.width > above &&
                (!widest || c.width > widest->width || (c.width == widest->width && c.fraction < widest->fraction)))
                widest = &c;
        if (!widest || widest->clear) return widest;
        if (!occluded(track, tracks, *widest)) {
            widest->clear = true;
            return widest;
        }
        candidates_.erase(candidates_.begin() + (widest - candidates_.data()));
    }
}

PassTracker::RearOffset PassTracker::rearOffset(const Track& track) const {
    const Trig& first = track.trig(track.start.angleDeg);
    const double back = track.end.length;
    return {first.cosH * back, first.sinH * back, back * std::abs(track.turn) * (M_PI / 180.0) * (1 + 1e-9) + 1e-6};
}

double PassTracker::widthBound(const Track& track, const RearOffset& rearAt, double f, const CameraRig& rig) const {
    // A plate in the frame has its centre's image inside the sensor, so its depth z along the
    // optical axis is at least d / sqrt(k), d its distance from the lens and k = 1 + r^2, r the
    // sensor's half diagonal over the focal length (pixels). Its edges, W/2 either side of the
    // centre, project to points f * W * d / (z^2 - W^2/4) apart at most (from the pinhole
    // projection, by Cauchy-Schwarz), which shrinks as z grows. The front plate's centre is
    // the bumper, at plate height; the rear one is a car length behind it along the heading,
    // which turns by at most `turn` within the step: it is within length * turn (radians) of
    // where the step's first heading puts it.
    const double x = lerp(track.start.position.x, track.end.position.x, f);
    const double y = lerp(track.start.position.y, track.end.position.y, f);
    const double w = PlateDimensions::kWidthM;
    double bound = 0.0;
    for (const CameraMotion& camera : rig) {
        const double cx = lerp(camera.start.position.x, camera.end.position.x, f);
        const double cy = lerp(camera.start.position.y, camera.end.position.y, f);
        const double dz = PlateDimensions::kCentreHeightM - lerp(camera.start.position.z, camera.end.position.z, f);
        const double front = std::sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) + dz * dz);
        const double rx = x - rearAt.dx - cx, ry = y - rearAt.dy - cy;
        const double rear = std::sqrt(rx * rx + ry * ry + dz * dz) - rearAt.slack;
        for (double d : {front, rear}) {
            const double depth2 = d * d / widthBoundK_ - w * w / 4;
            if (d <= 0 || depth2 <= 0) return INFINITY;
            bound = std::max(bound, model_.focalLengthPx() * w * d / depth2);
        }
    }
    return bound * (1 + 1e-6) + 1e-6;  // far above the rounding of either computation
}

double PassTracker::widthBoundUntil(const Track& track, const RearOffset& rearAt, double until, const CameraRig& rig) const {
    // widthBound's figure for every fraction in [0, until] at once. Each plate centre less the
    // camera (with the height difference) is linear in the fraction, A + B f: its nearest
    // approach on the interval, at f = -A.B / B.B clamped, gives the smallest distance, and
    // widthBound's bound only shrinks as the distance grows (where it is finite). The nearest
    // distance is lowered by a relative 1e-9 and 1 um, far above the rounding of the per-frame
    // distances, so that the bound here is above each frame's.
    const double w = PlateDimensions::kWidthM;
    double bound = 0.0;
    const auto nearest = [until](double ax, double ay, double az, double bx, double by, double bz) {
        const double bb = bx * bx + by * by + bz * bz;
        const double f = bb > 0 ? std::clamp(-(ax * bx + ay * by + az * bz) / bb, 0.0, until) : 0.0;
        const double rx = ax + bx * f, ry = ay + by * f, rz = az + bz * f;
        return std::sqrt(rx * rx + ry * ry + rz * rz);
    };
    for (const CameraMotion& camera : rig) {
        const double ax = track.start.position.x - camera.start.position.x;
        const double ay = track.start.position.y - camera.start.position.y;
        const double az = PlateDimensions::kCentreHeightM - camera.start.position.z;
        const double bx = (track.end.position.x - track.start.position.x) - (camera.end.position.x - camera.start.position.x);
        const double by = (track.end.position.y - track.start.position.y) - (camera.end.position.y - camera.start.position.y);
        const double bz = -(camera.end.position.z - camera.start.position.z);
        const double front = nearest(ax, ay, az, bx, by, bz);
        const double rear = nearest(ax - rearAt.dx, ay - rearAt.dy, az, bx, by, bz) - rearAt.slack;
        for (double d : {front, rear}) {
            d = d * (1 - 1e-9) - 1e-6;
            const double depth2 = d * d / widthBoundK_ - w * w / 4;
            if (d <= 0 || depth2 <= 0) return INFINITY;
            bound = std::max(bound, model_.focalLengthPx() * w * d / depth2);
        }
    }
    return bound * (1 + 1e-6) + 1e-6;
}

void PassTracker::searchFrames(const Track& track, const std::vector<Track>& tracks, double stepStart, double stepEnd,
                               const CameraRig& rig, Pass& pass) const {
    // The frame-by-frame search, last frame first. A frame can change the pass's outcome only
    // by a plate wider than the best frame so far: once the pass has a best frame (before this
    // step, or an unoccluded candidate of this step's later frames), a frame whose widthBound
    // is below it is passed over. Such a frame changes no flag either: the pass was framed in
    // view already (and without infrared, where `dark` would need every frame, nothing is
    // passed over). An approaching plate widens to the last frame it is seen in: its earlier
    // frames are mostly passed over; a receding one's frames are narrower than the best.
    const double dt = stepEnd - stepStart;
    const double firstFrame = std::floor(stepStart * model_.frameRateHz + 1e-9) + 1;
    double lastFrame = firstFrame - 1;
    while ((lastFrame + 1) / model_.frameRateHz <= stepEnd + 1e-9) ++lastFrame;
    const bool mayPass = model_.infrared;
    double toBeat = pass.hasBest ? pass.bestWidth : -INFINITY;  // the best frame's width so far
    const RearOffset rearAt = rearOffset(track);
    bool triedEarlier = false;
    for (double k = lastFrame; k >= firstFrame; --k) {
        const double t = k / model_.frameRateHz;
        const double fraction = (t - stepStart) / dt;
        if (!mayBeInFrame(cones_, track, fraction)) continue;
        if (mayPass && (pass.hasBest || !candidates_.empty())) {
            const double bound = widthBound(track, rearAt, fraction, rig);
            if (bound >= toBeat) {
                if (const Candidate* c = widestClear(track, tracks, bound); c) toBeat = std::max(toBeat, c->width);
            }
            if (bound < toBeat) {
                // Passed over; and so is every earlier frame when a bound for all of them is below
                // the best too (each would be passed over on its own bound, which is no larger,
                // with no side effect). Tried once a step: it settles the approaching plates
                // (nearest at the last frame) and the steps wholly narrower than the best.
                if (!triedEarlier) {
                    triedEarlier = true;
                    if (widthBoundUntil(track, rearAt, fraction, rig) < toBeat) break;
                }
                continue;
            }
        }
        lookAt(track, t, fraction, rig, cones_, true, pass);
    }
    // The best of this step's candidates becomes the pass's best frame; its full view is worked
    // out once, when the pass ends.
    if (const Candidate* c = widestClear(track, tracks, -INFINITY); c) {
        pass.hasBest = true;
        pass.bestWidth = c->width;
        pass.best = c->frame;
    }
    candidates_.clear();
}

void PassTracker::checkBetweenFrames(const Track& track, double stepStart, double dt, const CameraRig& rig,
                                     const std::vector<Cone>& cones, Pass& pass) const {
    const int samples = std::max(1, static_cast<int>(std::ceil(dt * kCheckHz)));
    for (int j = 1; j <= samples && !pass.sampledInView; ++j)
        if (mayBeInFrame(cones, track, static_cast<double>(j) / samples))
            lookAt(track, stepStart + dt * j / samples, static_cast<double>(j) / samples, rig, cones, false, pass);
}

void PassTracker::close(const std::string& id, Pass& pass, std::vector<Capture>& out) {
    // A pass never framed in view: its 100 Hz checks, in the order the steps came (they set
    // sampledInView, and inCone, as they would have step by step; a framed pass's outcome
    // depends on neither).
    if (!pass.framedInView)
        for (const SampledStep& s : pass.sampled) {
            Track track{nullptr, s.start, s.end, false, true, &pass};
            track.turn = s.turn;
            checkBetweenFrames(track, s.stepStart, s.dt, s.rig, s.cones, pass);
        }
    pass.sampled.clear();
    if (pass.hasBest) {
        const BestFrame& b = pass.best;
        const PlateView view = viewPlate(model_, b.pose, b.plate);
        Capture c;
        c.camera = camera_;
        c.trip = id;
        c.time = b.time;
        c.speed = b.speed;
        c.cameraAt = {b.pose.position.x, b.pose.position.y};
        c.frontPlate = b.front;
        c.distanceM = view.distanceM;
        c.horizontalAngleDeg = view.horizontalAngleDeg;
        c.verticalAngleDeg = view.verticalAngleDeg;
        c.photo = recognition::CaptureConditions{view.plateWidthPx,
                                                 view.yawDeg,
                                                 view.pitchDeg,
                                                 view.rollDeg,
                                                 view.motionBlurPx,
                                                 view.defocusSigmaPx,
                                                 recognition::noiseFor(b.light),
                                                 b.light,
                                                 ambient_.rain,
                                                 0.0,
                                                 0.0,
                                                 0.0,
                                                 model_.jpegQuality};
        ++counts_.captured;
        out.push_back(std::move(c));
    } else if (pass.dark) {
        ++counts_[CaptureFailure::Dark];
    } else if (pass.framedInView) {
        ++counts_[CaptureFailure::Occluded];
    } else if (pass.sampledInView) {
        ++counts_[CaptureFailure::TooFast];
    } else if (pass.inCone) {
        ++counts_[CaptureFailure::OutOfRange];
    }
}

void PassTracker::updateCones(const CameraRig& rig) {
    // A still rig (a fixed camera): its field of view, to pass over the tracks and frames in
    // which no plate can be in any of its frames (lookAt would learn nothing there: every
    // outcome needs a plate in the frame). Kept while the rig keeps its poses (a fixed
    // camera's: always).
    const auto samePlace = [](const CameraPose& a, const CameraPose& b) {
        return a.headingRad == b.headingRad && a.tiltDownRad == b.tiltDownRad && a.position.x == b.position.x &&
               a.position.y == b.position.y && a.position.z == b.position.z;
    };
    bool still = true, kept = conesFor_.size() == rig.size() && !cones_.empty();
    for (size_t ci = 0; ci < rig.size(); ++ci) {
        still = still && samePlace(rig[ci].start, rig[ci].end);
        kept = kept && samePlace(rig[ci].end, conesFor_[ci]);
    }
    if (still && kept) return;
    cones_.clear();
    conesFor_.clear();
    if (!still) return;
    for (size_t ci = 0; ci < rig.size(); ++ci) {
        const CameraPose& b = rig[ci].end;
        conesFor_.push_back(b);
        const CameraBasis basis = basisFor(ci, b);
        // A point is in the frame only if |right . rel| <= kh * (forward . rel) and
        // |down . rel| <= kv * (forward . rel), rel the point less the lens, kh and kv half the
        // sensor's width and height over the focal length (in pixels): both edges of a plate
        // in the frame put its centre, their midpoint, in this convex cone.
        const double kh = model_.sensorWidthPx / 2.0 / model_.focalLengthPx();
        const double kv = model_.sensorHeightPx / 2.0 / model_.focalLengthPx();
        const double relZ = PlateDimensions::kCentreHeightM - b.position.z;
        Cone cone{};
        for (int i = 0; i < 4; ++i) {
            // k * forward -/+ right, then k * forward -/+ down
            const double k = i < 2 ? kh : kv, sign = i % 2 == 0 ? -1.0 : 1.0;
            const Vec3& side = i < 2 ? basis.right : basis.down;
            cone.gx[i] = k * basis.forward.x + sign * side.x;
            cone.gy[i] = k * basis.forward.y + sign * side.y;
            cone.g0[i] = -cone.gx[i] * b.position.x - cone.gy[i] * b.position.y + (k * basis.forward.z + sign * side.z) * relZ;
            cone.slope[i] = std::sqrt(cone.gx[i] * cone.gx[i] + cone.gy[i] * cone.gy[i]);
        }
        cones_.push_back(cone);
    }
}

void PassTracker::step(double stepStart, double stepEnd, const CameraRig& rig, const std::vector<VehicleState>& near,
                       std::vector<Capture>& out) {
    const double dt = stepEnd - stepStart;
    // This step's vehicles in id order (the first of any id given twice), each with its pass
    // carried over from the last step, or a new one.
    std::vector<Near>& current = current_;
    current.resize(near.size());
    for (size_t i = 0; i < near.size(); ++i) current[i].state = near[i];
    const auto byId = [](const Near& a, const Near& b) { return a.state.id < b.state.id; };
    if (!std::is_sorted(current.begin(), current.end(), byId)) std::stable_sort(current.begin(), current.end(), byId);
    current.erase(
        std::unique(current.begin(), current.end(), [](const Near& a, const Near& b) { return a.state.id == b.state.id; }),
        current.end());
    std::vector<Track>& tracks = tracks_;
    tracks.clear();
    trackPasses_.clear();
    // Everyone near at either end of the step, in id order: first those near at its end, then
    // those that left.
    auto before = previous_.begin();
    for (Near& now : current) {
        while (before != previous_.end() && before->state.id < now.state.id) ++before;
        const bool known = before != previous_.end() && before->state.id == now.state.id;
        if (known) {
            now.target = before->target;
            now.pass = before->pass;
        } else {
            now.target = !ignored_.count(now.state.id);
            now.pass = now.target ? openPass() : kNoPass;  // may move passes_: pointers are taken below
        }
        tracks.push_back(
            {&now.state.id, known ? before->state : extrapolate(now.state, -dt), now.state, true, now.target, nullptr});
        trackPasses_.push_back(now.pass);
    }
    auto after = current.begin();
    for (Near& gone : previous_) {
        while (after != current.end() && after->state.id < gone.state.id) ++after;
        if (after != current.end() && after->state.id == gone.state.id) continue;
        tracks.push_back({&gone.state.id, gone.state, extrapolate(gone.state, dt), false, gone.target, nullptr});
        trackPasses_.push_back(gone.pass);
    }
    for (size_t i = 0; i < tracks.size(); ++i)
        if (trackPasses_[i] != kNoPass) tracks[i].pass = &passes_[trackPasses_[i]];
    trackPasses_.clear();
    for (Track& t : tracks) {
        const double turn = t.end.angleDeg - t.start.angleDeg;  // as interpolate() works it out
        t.turn = turn == 0.0 ? 0.0 : std::remainder(turn, 360.0);
    }
    updateCones(rig);

    // The rig cameras' headings' cosines and sines, for mayFaceCamera: worked out again only
    // when a heading changes (never for a fixed camera).
    cameraTrig_.resize(rig.size());
    for (size_t ci = 0; ci < rig.size(); ++ci) {
        CameraTrig& c = cameraTrig_[ci];
        const double heading[2] = {rig[ci].start.headingRad, rig[ci].end.headingRad};
        for (int end = 0; end < 2; ++end)
            if (!(c.headingRad[end] == heading[end])) {
                c.headingRad[end] = heading[end];
                c.cosHeading[end] = std::cos(heading[end]);
                c.sinHeading[end] = std::sin(heading[end]);
            }
    }

    const double reachable = model_.rangeM + 2 * PlateDimensions::kWidthM;
    for (const Track& track : tracks) {
        if (!track.target) continue;
        // A vehicle that cannot come within range during the step is only checked at frames
        // (for the out-of-range count), never at the finer rate.
        const CameraMotion& camera = rig.front();
        const double moved =
            length2(track.end.position.x - track.start.position.x, track.end.position.y - track.start.position.y) +
            length2(camera.end.position.x - camera.start.position.x, camera.end.position.y - camera.start.position.y);
        const double gap =
            length2(track.start.position.x - camera.start.position.x, track.start.position.y - camera.start.position.y);
        const bool mayBeInRange = gap - moved - track.end.length <= reachable;
        Pass& pass = *track.pass;
        if (!mayBeInFrame(cones_, track, -1.0)) continue;  // no plate in any frame during the step
        if (!mayBeInRange || !mayFaceCamera(track, rig)) {
            if (mayBeInFrame(cones_, track, 1.0)) lookAt(track, stepEnd, 1.0, rig, cones_, false, pass);
            continue;
        }
        const bool hadFrameView = pass.framedInView;
        searchFrames(track, tracks, stepStart, stepEnd, rig, pass);
        // Between frames a plate moves (relative to the camera) this far; below half a metre
        // no view of a plate is narrow enough to fall between two frames: skip the finer check.
        const double perFrame = std::max(track.start.speed, track.end.speed) / model_.frameRateHz +
                                length2(camera.end.velocity.x, camera.end.velocity.y) / model_.frameRateHz;
        // The 100 Hz check, kept for when the pass ends (see Pass::sampled).
        if (perFrame > 0.5 && !pass.framedInView && !hadFrameView && !pass.sampledInView)
            pass.sampled.push_back({stepStart, dt, track.start, track.end, track.turn, rig, cones_});
    }
    for (const Track& track : tracks) {
        if (track.present || !track.target) continue;
        close(*track.id, *track.pass, out);
        releasePass(static_cast<uint32_t>(track.pass - passes_.data()));
    }
    tracks.clear();
    previous_.swap(current);
}

void PassTracker::finish(std::vector<Capture>& out) {
    for (Near& n : previous_)
        if (n.target) {
            close(n.state.id, passes_[n.pass], out);
            releasePass(n.pass);
        }
    previous_.clear();
}

uint32_t PassTracker::openPass() {
    if (freePasses_.empty()) {
        passes_.emplace_back();
        return static_cast<uint32_t>(passes_.size() - 1);
    }
    const uint32_t index = freePasses_.back();
    freePasses_.pop_back();
    Pass& p = passes_[index];
    std::vector<SampledStep> sampled = std::move(p.sampled);  // keeps its capacity
    sampled.clear();
    p = Pass{};
    p.sampled = std::move(sampled);
    return index;
}

void PassTracker::releasePass(uint32_t index) { freePasses_.push_back(index); }

}  // namespace alprsim
