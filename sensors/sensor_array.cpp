#include "sensors/sensor_array.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "sensors/camera_export.h"
#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

constexpr double kMaxVehicleSpeed = 40.0;  // m/s: how far a vehicle can come within a step

std::string watchPointId(const Camera& c) { return "alpr:" + c.id; }

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

nlohmann::json countsJson(const CaptureCounts& c) {
    nlohmann::json failures = nlohmann::json::object();
    for (size_t i = 0; i < kCaptureFailureKinds; ++i) failures[toString(static_cast<CaptureFailure>(i))] = c.failed[i];
    return {{"captured", c.captured}, {"failed", failures}};
}

nlohmann::json modelJson(const CameraModel& m) {
    const auto r = [](double v) { return std::round(v * 10) / 10; };
    return {{"focal_length_mm", m.focalLengthMm}, {"focal_length_px", r(m.focalLengthPx())},
            {"horizontal_fov_deg", r(m.horizontalFovDeg())}, {"vertical_fov_deg", r(m.verticalFovDeg())},
            {"range_m", m.rangeM}, {"frame_rate_hz", m.frameRateHz}, {"exposure_ms", m.exposureMs},
            {"mount_height_m", m.mountHeightM}, {"illumination", m.infrared ? "infrared" : "none"}};
}

}  // namespace

SensorArray SensorArray::deploy(const CameraConfig& config, const std::vector<TripPlan>& plans,
                                const RoadNetwork& network, Simulation& sim) {
    SensorArray array;
    array.stepLength_ = sim.stepLength();
    if (config.placement == CameraPlacement::Listed)
        array.cameras_ = placeListedCameras(config.sites, network, sim);
    else if (config.placement != CameraPlacement::None)
        array.cameras_ = placeCameras(config.request, plans, network);
    array.fixedCount_ = array.cameras_.size();
    const double watchRadius = config.camera.rangeM + kMaxVehicleSpeed * sim.stepLength() + 10.0;
    for (size_t i = 0; i < array.fixedCount_; ++i) {
        const Camera& c = array.cameras_[i];
        const CameraPose pose = fixedCameraPose(c, network, config.camera, config.mounting);
        array.poses_.push_back(pose);
        array.models_.push_back(config.camera);
        array.fixedRigs_.push_back({CameraMotion{pose, pose}});
        array.trackers_.emplace_back(i, config.camera, config.ambient);
        sim.addWatchPoint(watchPointId(c), {pose.position.x, pose.position.y}, watchRadius);
    }
    if (config.patrol.cars > 0) {
        array.patrol_ = std::make_unique<PatrolFleet>(config.patrol, config.agency, network, sim, config.seed);
        for (const Camera& c : array.patrol_->cameras()) {
            const RoadEdge& e = network.edges()[network.indexOf(c.edge)];
            CameraPose start;
            start.position = {e.shape.front().x, e.shape.front().y, config.patrol.camera.mountHeightM};
            array.trackers_.emplace_back(array.cameras_.size(), config.patrol.camera, config.ambient);
            array.cameras_.push_back(c);
            array.poses_.push_back(start);
            array.models_.push_back(config.patrol.camera);
        }
        array.patrolWasOnRoad_.assign(config.patrol.cars, false);
    }
    // Patrol cars block views but are not read: they are not trips.
    const std::set<std::string> patrolIds =
        array.patrol_ ? std::set<std::string>(array.patrol_->vehicles().begin(), array.patrol_->vehicles().end())
                      : std::set<std::string>{};
    for (PassTracker& t : array.trackers_) t.ignoreTargets(patrolIds);
    array.readsPerCamera_.assign(array.cameras_.size(), 0);
    return array;
}

std::vector<Capture> SensorArray::observe(Simulation& sim) {
    std::vector<Capture> out;
    const double end = sim.time(), start = end - stepLength_;
    for (size_t i = 0; i < fixedCount_; ++i)
        trackers_[i].step(start, end, fixedRigs_[i], sim.vehiclesNearPoint(watchPointId(cameras_[i])), out);
    if (patrol_) {
        const std::vector<CameraRig> rigs = patrol_->update(sim);
        for (size_t p = 0; p < rigs.size(); ++p) {
            PassTracker& tracker = trackers_[fixedCount_ + p];
            if (!rigs[p].empty()) {
                tracker.step(start, end, rigs[p], sim.vehiclesNearVehicle(patrol_->vehicles()[p]), out);
                patrolWasOnRoad_[p] = true;
            } else if (patrolWasOnRoad_[p]) {
                tracker.finish(out);  // the shift is over: the car left the network
                patrolWasOnRoad_[p] = false;
            }
        }
    }
    return sorted(std::move(out), sim);
}

std::vector<Capture> SensorArray::finish(Simulation& sim) {
    std::vector<Capture> out;
    for (PassTracker& t : trackers_) t.finish(out);
    return sorted(std::move(out), sim);
}

std::vector<Capture> SensorArray::sorted(std::vector<Capture> captures, Simulation& sim) {
    for (Capture& c : captures) {
        const bool fixed = c.camera < fixedCount_;
        c.where = fixed ? cameras_[c.camera].where : sim.toWgs84(c.cameraAt);
        ++readsPerCamera_[c.camera];
        plateWidths_[fixed ? 0 : 1].push_back(c.photo.plateWidthPx);
    }
    std::sort(captures.begin(), captures.end(), [](const Capture& a, const Capture& b) {
        return a.time != b.time ? a.time < b.time : (a.camera != b.camera ? a.camera < b.camera : a.trip < b.trip);
    });
    return captures;
}

nlohmann::json SensorArray::geoJson() const { return camerasGeoJson(cameras_, poses_, models_); }

std::string SensorArray::sumoAdditional() const { return camerasSumoAdditional(cameras_, poses_); }

nlohmann::json SensorArray::summary() const {
    CaptureCounts fixed, patrol;
    for (size_t i = 0; i < trackers_.size(); ++i) (i < fixedCount_ ? fixed : patrol) += trackers_[i].counts();
    const auto r2 = [](double v) { return std::round(v * 100) / 100; };
    nlohmann::json fixedJson = countsJson(fixed);
    fixedJson["cameras"] = fixedCount_;
    fixedJson["median_plate_width_px"] = r2(median(plateWidths_[0]));
    if (fixedCount_ > 0) fixedJson["camera"] = modelJson(models_.front());
    nlohmann::json result = {{"fixed", fixedJson}};
    if (patrol_) {
        nlohmann::json cars = nlohmann::json::array();
        const std::vector<double> hours = patrol_->hoursOnRoad();
        double totalHours = 0.0;
        size_t totalReads = 0;
        for (size_t p = 0; p < hours.size(); ++p) {
            const size_t reads = readsPerCamera_[fixedCount_ + p];
            totalHours += hours[p];
            totalReads += reads;
            cars.push_back({{"id", patrol_->vehicles()[p]}, {"hours_on_road", r2(hours[p])}, {"reads", reads},
                            {"reads_per_hour", hours[p] > 0 ? r2(reads / hours[p]) : 0.0}});
        }
        nlohmann::json patrolJson = countsJson(patrol);
        patrolJson["cars"] = cars;
        patrolJson["patrol_hours"] = r2(totalHours);
        patrolJson["reads_per_patrol_hour"] = totalHours > 0 ? r2(totalReads / totalHours) : 0.0;
        patrolJson["median_plate_width_px"] = r2(median(plateWidths_[1]));
        patrolJson["camera"] = modelJson(patrol_->model());
        result["patrol"] = patrolJson;
    }
    return result;
}

}  // namespace alprsim
