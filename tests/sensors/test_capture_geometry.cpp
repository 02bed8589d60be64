// Capture geometry: pixel widths, angles, motion blur, occlusion and the failure reasons, on
// hand-built scenes (no SUMO).
#include <catch2/catch.hpp>

#include <cmath>

#include "sensors/camera_model.h"
#include "sensors/pass_tracker.h"
#include "sensors/patrol.h"

using namespace alprsim;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A camera at plate height looking east along the x axis, no tilt.
CameraPose levelCamera() {
    CameraPose p;
    p.position = {0.0, 0.0, PlateDimensions::kCentreHeightM};
    return p;
}

// A plate `distance` metres east of the camera, turned `yawDeg` away from facing it.
PlatePose plateAhead(double distance, double yawDeg) {
    PlatePose p;
    p.centre = {distance, 0.0, PlateDimensions::kCentreHeightM};
    p.normalRad = kPi + yawDeg * kPi / 180.0;
    return p;
}

// SUMO state of a car whose front bumper is at (x, y), heading east (SUMO angle 90) or west.
VehicleState car(const std::string& id, double x, double y, double speed, bool east = true) {
    return VehicleState{id, {x, y}, east ? 90.0 : 270.0, speed, 5.0};
}

// A fixed camera beside an eastbound road (y = 0), standing at x = 0 on the right (y = -3),
// looking back west at oncoming traffic, aimed at the lane 18 m upstream, as
// fixedCameraPose() mounts it.
CameraRig roadsideCamera(const CameraModel& m) {
    CameraPose p;
    p.position = {0.0, -3.0, m.mountHeightM};
    p.headingRad = std::atan2(3.0, -18.0);
    p.tiltDownRad = std::atan2(m.mountHeightM - PlateDimensions::kCentreHeightM, std::hypot(18.0, 3.0));
    return {CameraMotion{p, p}};
}

// Drives `cars` (state at t = 0, constant speed, eastbound or westbound) for `seconds`
// one-second steps past a camera rig; returns the tracker.
PassTracker drive(const CameraModel& model, const CameraRig& rig, std::vector<VehicleState> cars, double seconds,
                  std::vector<Capture>& out, double startTime = 12 * 3600.0, AmbientConditions ambient = {}) {
    PassTracker tracker(0, model, ambient);
    for (double t = 1; t <= seconds; ++t) {
        std::vector<VehicleState> near;
        for (const VehicleState& c : cars) {
            VehicleState v = c;
            const double dir = c.angleDeg == 90.0 ? 1.0 : -1.0;
            v.position.x += dir * c.speed * t;
            near.push_back(v);
        }
        tracker.step(startTime + t - 1, startTime + t, rig, near, out);
    }
    tracker.finish(out);
    return tracker;
}

}  // namespace

TEST_CASE("a plate 20 m straight ahead is as wide as the lens makes it", "[sensors][geometry]") {
    CameraModel m;  // 16 mm lens, 3.45 um pixels
    REQUIRE(m.focalLengthPx() == Approx(16.0 / 0.00345));
    const PlateView v = viewPlate(m, levelCamera(), plateAhead(20.0, 0.0));
    // 4637.7 px focal length x 0.3048 m / 20 m = 70.68 px
    CHECK(v.plateWidthPx == Approx(70.68).margin(0.01));
    CHECK(v.distanceM == Approx(20.0));
    CHECK(v.yawDeg == Approx(0.0).margin(1e-9));
    CHECK(v.horizontalAngleDeg == Approx(0.0).margin(1e-9));
    CHECK(v.visible());

    // A longer lens magnifies in proportion; twice the distance halves the width.
    CameraModel tele = m;
    tele.focalLengthMm = 35.0;
    CHECK(viewPlate(tele, levelCamera(), plateAhead(20.0, 0.0)).plateWidthPx == Approx(70.68 * 35 / 16).epsilon(1e-3));
    CHECK(viewPlate(m, levelCamera(), plateAhead(40.0, 0.0)).plateWidthPx == Approx(70.68 / 2).epsilon(1e-3));
}

TEST_CASE("a plate turned 60 degrees is narrower by cos 60", "[sensors][geometry]") {
    CameraModel m;
    const double square = viewPlate(m, levelCamera(), plateAhead(20.0, 0.0)).plateWidthPx;
    const PlateView turned = viewPlate(m, levelCamera(), plateAhead(20.0, 60.0));
    CHECK(turned.plateWidthPx / square == Approx(0.5).epsilon(1e-3));
    CHECK(std::abs(turned.yawDeg) == Approx(60.0).epsilon(1e-9));
    CHECK(turned.facing);
    // Beyond the camera's limit the plate is a sliver and does not count as in view.
    const PlateView edgeOn = viewPlate(m, levelCamera(), plateAhead(20.0, 80.0));
    CHECK_FALSE(edgeOn.facing);
    CHECK_FALSE(edgeOn.visible());
}

TEST_CASE("angles, range and the field of view", "[sensors][geometry]") {
    CameraModel m;
    CHECK(m.horizontalFovDeg() == Approx(2 * std::atan(1920 * 3.45e-3 / 2 / 16) * 180 / kPi));
    CameraPose high = levelCamera();
    high.position.z = 4.0;
    high.tiltDownRad = std::atan2(3.5, 20.0);
    const PlateView v = viewPlate(m, high, plateAhead(20.0, 0.0));
    CHECK(v.pitchDeg == Approx(std::atan2(3.5, 20.0) * 180 / kPi));
    CHECK(v.verticalAngleDeg == Approx(0.0).margin(1e-9));  // the camera is aimed at it
    CHECK(v.inFrame);
    // Off to the side by more than half the field of view: not in the picture.
    PlatePose aside = plateAhead(20.0, 0.0);
    aside.centre.y = 20.0 * std::tan((m.horizontalFovDeg() / 2 + 2) * kPi / 180);
    CHECK_FALSE(viewPlate(m, levelCamera(), aside).inFrame);
    // Past the range: in the frame, facing, but out of range.
    const PlateView far = viewPlate(m, levelCamera(), plateAhead(m.rangeM + 1, 0.0));
    CHECK(far.inFrame);
    CHECK_FALSE(far.inRange);
}

TEST_CASE("motion blur is the plate's image speed times the exposure", "[sensors][geometry]") {
    CameraModel m;
    m.exposureMs = 4.0;
    PlatePose crossing = plateAhead(20.0, 0.0);
    crossing.velocity = {0.0, 30.0, 0.0};  // 30 m/s across the line of sight
    // 4637.7 px x 30 m/s / 20 m x 4 ms = 27.8 px
    CHECK(viewPlate(m, levelCamera(), crossing).motionBlurPx == Approx(4637.68 * 30 / 20 * 0.004).epsilon(1e-4));
    // Head-on, the plate centre stays put in the image: no smear of the centre.
    PlatePose approaching = plateAhead(20.0, 0.0);
    approaching.velocity = {-30.0, 0.0, 0.0};
    CHECK(viewPlate(m, levelCamera(), approaching).motionBlurPx == Approx(0.0).margin(1e-9));
}

TEST_CASE("a capture at 30 m/s with a long exposure records the blur recognition will see", "[sensors][capture]") {
    CameraModel shortExposure, longExposure;
    shortExposure.exposureMs = 0.5;
    longExposure.exposureMs = 8.0;
    std::vector<Capture> fast, slow;
    const auto start = car("v", -80.0, 0.0, 30.0);
    drive(shortExposure, roadsideCamera(shortExposure), {start}, 5, fast);
    drive(longExposure, roadsideCamera(longExposure), {start}, 5, slow);
    REQUIRE(fast.size() == 1);
    REQUIRE(slow.size() == 1);
    const Capture& c = slow.front();
    CHECK(c.trip == "v");
    CHECK(c.speed == Approx(30.0));
    CHECK(c.frontPlate);
    CHECK(c.time == Approx(fast.front().time));  // the same best frame: exposure does not move it
    CHECK(c.photo.motionBlurPx == Approx(16 * fast.front().photo.motionBlurPx).epsilon(1e-9));
    CHECK(c.photo.motionBlurPx > 5.0);  // several pixels: a smear a renderer must draw
    CHECK(c.photo.plateWidthPx > 50.0);
    CHECK(c.distanceM <= longExposure.rangeM);
    CHECK(c.photo.pitchDeg > 0.0);  // the pole looks down on the plate
    CHECK(c.photo.light == recognition::Light::Day);
}

TEST_CASE("capture failures are counted by reason", "[sensors][capture]") {
    std::vector<Capture> out;
    SECTION("a car hidden behind the one in front of it is occluded") {
        CameraModel low;
        low.mountHeightM = 1.2;  // a low camera: a car queued 1.5 m behind another cannot be seen
        const auto t = drive(low, roadsideCamera(low), {car("lead", -60.0, 0.0, 10.0), car("hidden", -66.5, 0.0, 10.0)}, 8, out);
        REQUIRE(out.size() == 1);
        CHECK(out.front().trip == "lead");
        CHECK(t.counts()[CaptureFailure::Occluded] == 1);
    }
    SECTION("a car 4 m behind, seen from high on a pole, is not") {
        CameraModel high;
        high.mountHeightM = 8.0;
        const auto t =
            drive(high, roadsideCamera(high), {car("lead", -60.0, 0.0, 10.0), car("hidden", -69.0, 0.0, 10.0)}, 8, out);
        CHECK(out.size() == 2);
        CHECK(t.counts()[CaptureFailure::Occluded] == 0);
    }
    SECTION("a slow frame rate misses a fast car that crosses a narrow view between frames") {
        CameraModel narrow;
        narrow.focalLengthMm = 50.0;  // 7.6 x 4.7 degrees: plates 15-23 m away, 0.3 s at 30 m/s
        narrow.frameRateHz = 30.0;
        const auto seen = drive(narrow, roadsideCamera(narrow), {car("v", -85.0, 0.0, 30.0)}, 5, out);
        CHECK(seen.counts().captured == 1);
        out.clear();
        narrow.frameRateHz = 1.0;
        // One frame a second, at whole seconds: the plate is 25 m away at t = 2 and 5 m at t = 3.
        const auto missed = drive(narrow, roadsideCamera(narrow), {car("v", -85.0, 0.0, 30.0)}, 5, out);
        CHECK(out.empty());
        CHECK(missed.counts()[CaptureFailure::TooFast] == 1);
    }
    SECTION("a plate in the field of view but beyond the range is out of range") {
        CameraModel shortRange;
        shortRange.rangeM = 8.0;  // aimed 18 m out: the view holds plates only beyond 8 m
        const auto t = drive(shortRange, roadsideCamera(shortRange), {car("v", -60.0, 0.0, 10.0)}, 8, out);
        CHECK(out.empty());
        CHECK(t.counts()[CaptureFailure::OutOfRange] == 1);
    }
    SECTION("at night without infrared the camera is blind") {
        CameraModel noIr;
        noIr.infrared = false;
        const auto t = drive(noIr, roadsideCamera(noIr), {car("v", -60.0, 0.0, 10.0)}, 8, out, 23 * 3600.0);
        CHECK(out.empty());
        CHECK(t.counts()[CaptureFailure::Dark] == 1);
        out.clear();
        CameraModel ir;
        const auto lit = drive(ir, roadsideCamera(ir), {car("v", -60.0, 0.0, 10.0)}, 8, out, 23 * 3600.0);
        REQUIRE(out.size() == 1);
        CHECK(out.front().photo.light == recognition::Light::NightIR);
    }
    SECTION("traffic driving away on the far side shows its rear plate") {
        CameraModel m;
        drive(m, roadsideCamera(m), {car("away", -5.0, 3.2, 10.0, false)}, 6, out);
        REQUIRE(out.size() == 1);
        CHECK_FALSE(out.front().frontPlate);
    }
}

TEST_CASE("a patrol car reads the cars it passes, not the ones a block away", "[sensors][patrol]") {
    PatrolConfig config;  // front and rear cameras, 8 mm lenses, 20 m range
    PassTracker tracker(0, config.camera, AmbientConditions{});
    std::vector<Capture> out;
    // The patrol car drives east at 12 m/s on y = 0; others at 12 m/s.
    const auto at = [](const VehicleState& c, double t) {
        VehicleState v = c;
        v.position.x += (c.angleDeg == 90.0 ? 1.0 : -1.0) * c.speed * t;
        return v;
    };
    const VehicleState patrolCar = car("patrol", 0.0, 0.0, 12.0);
    const std::vector<VehicleState> others = {
        car("oncoming", 120.0, 3.2, 12.0, false),       // adjacent lane, other direction
        car("ahead", 40.0, 0.0, 8.0),                   // same lane, slower: the patrol catches up
        car("next-street", 120.0, 100.0, 12.0, false),  // a block north, oncoming
        car("parallel", 10.0, 100.0, 12.0),             // a block north, alongside
    };
    for (double t = 1; t <= 12; ++t) {
        CameraRig rig;
        const auto before = PatrolFleet::rigPoses(at(patrolCar, t - 1), config);
        const auto after = PatrolFleet::rigPoses(at(patrolCar, t), config);
        for (size_t i = 0; i < before.size(); ++i) rig.push_back({before[i], after[i]});
        std::vector<VehicleState> near;
        for (const auto& o : others) near.push_back(at(o, t));
        tracker.step(t - 1, t, rig, near, out);
    }
    tracker.finish(out);
    std::set<std::string> read;
    for (const Capture& c : out) read.insert(c.trip);
    CHECK(read == std::set<std::string>{"oncoming", "ahead"});
    for (const Capture& c : out) {
        CHECK(c.distanceM <= config.camera.rangeM);
        CHECK(c.photo.plateWidthPx > 20.0);
    }
}
