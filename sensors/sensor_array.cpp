#include "sensors/sensor_array.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <thread>
#include <utility>

#include "core/median.h"
#include "sensors/camera_export.h"
#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

constexpr double kMaxVehicleSpeed = 40.0;  // m/s: how far a vehicle can come within a step

constexpr double kEdgeMargin = 10.0;     // m: lanes beside lane 0, whose shape is the edge's
constexpr double kSpeedFactorMax = 2.0;  // SUMO's default speed factor distribution is capped at 2

// Distance from p to the polyline.
double distanceToShape(const std::vector<Point2>& shape, Point2 p) {
    double best = shape.empty() ? 1e300 : std::hypot(shape.front().x - p.x, shape.front().y - p.y);
    for (size_t i = 1; i < shape.size(); ++i) {
        const double sx = shape[i].x - shape[i - 1].x, sy = shape[i].y - shape[i - 1].y;
        const double len2 = sx * sx + sy * sy;
        double f = len2 > 0 ? ((p.x - shape[i - 1].x) * sx + (p.y - shape[i - 1].y) * sy) / len2 : 0.0;
        f = std::clamp(f, 0.0, 1.0);
        best = std::min(best, std::hypot(shape[i - 1].x + sx * f - p.x, shape[i - 1].y + sy * f - p.y));
    }
    return best;
}

double sumoAngleDeg(double dx, double dy) { return 90.0 - std::atan2(dy, dx) * 180.0 / M_PI; }

nlohmann::json countsJson(const CaptureCounts& c) {
    nlohmann::json failures = nlohmann::json::object();
    for (size_t i = 0; i < kCaptureFailureKinds; ++i) failures[toString(static_cast<CaptureFailure>(i))] = c.failed[i];
    return {{"captured", c.captured}, {"failed", failures}};
}

// A patrol car's, an agency's fleet's or the run's: hours on the road and reads.
struct PatrolFigures {
    double hours = 0.0;
    size_t reads = 0, parked = 0;
    PatrolFigures& operator+=(const PatrolFigures& o) {
        hours += o.hours;
        reads += o.reads;
        parked += o.parked;
        return *this;
    }
};

double round2(double v) { return std::round(v * 100) / 100; }

nlohmann::json modelJson(const CameraModel& m) {
    const auto r = [](double v) { return std::round(v * 10) / 10; };
    return {{"focal_length_mm", m.focalLengthMm},
            {"focal_length_px", r(m.focalLengthPx())},
            {"horizontal_fov_deg", r(m.horizontalFovDeg())},
            {"vertical_fov_deg", r(m.verticalFovDeg())},
            {"range_m", m.rangeM},
            {"frame_rate_hz", m.frameRateHz},
            {"exposure_ms", m.exposureMs},
            {"mount_height_m", m.mountHeightM},
            {"illumination", m.infrared ? "infrared" : "none"}};
}

}  // namespace

SensorArray SensorArray::deploy(const CameraConfig& config, const std::vector<TripPlan>& plans, const RoadNetwork& network,
                                Simulation& sim) {
    SensorArray array;
    array.stepLength_ = sim.stepLength();
    if (config.placement == CameraPlacement::Listed)
        array.cameras_ = placeListedCameras(config.sites, network, sim);
    else if (config.placement != CameraPlacement::None)
        array.cameras_ = placeCameras(config.request, plans, network);
    array.fixedCount_ = array.cameras_.size();
    array.network_ = &network;
    array.meso_ = sim.mesoscopic();
    array.fixedRadius_ = config.camera.rangeM + kMaxVehicleSpeed * sim.stepLength() + 10.0;
    array.edgeIndex_.reserve(network.edges().size());
    for (size_t e = 0; e < network.edges().size(); ++e) array.edgeIndex_.emplace(network.edges()[e].id, e);
    for (const RoadEdge& e : network.edges())
        array.networkMaxSpeed_ = std::max(array.networkMaxSpeed_, kSpeedFactorMax * e.maxSpeed);
    array.edgeCameras_.assign(network.edges().size(), {});
    for (size_t i = 0; i < array.fixedCount_; ++i) {
        const Camera& c = array.cameras_[i];
        const CameraPose pose = fixedCameraPose(c, network, config.camera, config.mounting);
        array.poses_.push_back(pose);
        array.models_.push_back(config.camera);
        array.fixedRigs_.push_back({CameraMotion{pose, pose}});
        array.trackers_.emplace_back(i, config.camera, config.ambient);
        const Point2 pole{pose.position.x, pose.position.y};
        for (size_t e = 0; e < network.edges().size(); ++e)
            if (distanceToShape(network.edges()[e].shape, pole) <= array.fixedRadius_ + kEdgeMargin)
                array.edgeCameras_[e].push_back(i);
    }
    if (array.meso_) {
        for (size_t e = 0; e < network.edges().size(); ++e)
            if (!array.edgeCameras_[e].empty()) array.watchedEdges_.push_back(e);
        array.onWatched_.assign(array.watchedEdges_.size(), {});
    }
    if (config.patrol.cars() > 0) {
        array.patrol_ = std::make_unique<PatrolFleet>(config.patrol, network, sim, config.seed);
        for (const Camera& c : array.patrol_->cameras()) {
            const RoadEdge& e = network.edges()[network.indexOf(c.edge)];
            CameraPose start;
            start.position = {e.shape.front().x, e.shape.front().y, config.patrol.camera.mountHeightM};
            array.trackers_.emplace_back(array.cameras_.size(), config.patrol.camera, config.ambient);
            array.cameras_.push_back(c);
            array.poses_.push_back(start);
            array.models_.push_back(config.patrol.camera);
        }
        array.patrolWasOnRoad_.assign(config.patrol.cars(), false);
        if (!array.meso_) array.parked_ = std::make_unique<ParkedVehicles>(config.patrol.parked, network, config.seed);
    }
    // Patrol cars block views but are not read: they are not trips.
    const std::set<std::string> patrolIds =
        array.patrol_ ? std::set<std::string>(array.patrol_->vehicles().begin(), array.patrol_->vehicles().end())
                      : std::set<std::string>{};
    for (PassTracker& t : array.trackers_) t.ignoreTargets(patrolIds);
    array.patrolIds_ = patrolIds;
    array.readsPerCamera_.assign(array.cameras_.size(), 0);
    array.parkedReadsPerCamera_.assign(array.cameras_.size(), 0);
    return array;
}

void SensorArray::addTrips(const std::vector<TripPlan>& plans) {
    if (parked_) parked_->addTrips(plans);
    if (fixedCount_ > 0 && !meso_)
        for (const TripPlan& p : plans) plannedRoutes_.emplace(p.trip, p.route);
}

std::vector<size_t> SensorArray::routeIndices(const std::vector<std::string>& route) const {
    std::vector<size_t> indices;
    indices.reserve(route.size());
    for (const std::string& e : route) {  // one hash look-up an edge
        const auto it = edgeIndex_.find(e);
        indices.push_back(it == edgeIndex_.end() ? SIZE_MAX : it->second);
    }
    return indices;
}

void SensorArray::enrol(const std::string& id, Simulation& sim) {
    if (fixedCount_ == 0 || patrolIds_.count(id)) return;
    std::vector<size_t> route;
    if (const auto planned = plannedRoutes_.find(id); planned != plannedRoutes_.end()) {
        route.assign(planned->second.begin(), planned->second.end());  // SUMO drives it as given
        plannedRoutes_.erase(planned);
    } else {  // a vehicle the array was not told of: its route as SUMO has it
        route = routeIndices(sim.routes().get(id));
    }
    follow(id, std::move(route), sim);
}

void SensorArray::unfollow(const std::string& id) {
    const auto it = follow_.find(id);
    if (it == follow_.end()) return;
    schedule_.erase({it->second.nextCheck, id});
    active_.erase(id);
    follow_.erase(it);
}

void SensorArray::follow(const std::string& id, std::vector<size_t> route, Simulation& sim) {
    Follow f;
    f.route = std::move(route);
    // Contiguous runs of route indices near each camera (a gap of one edge joins two runs),
    // as windows sorted by camera, then by route index.
    std::vector<Window>& runs = runs_;
    runs.clear();
    for (size_t j = 0; j < f.route.size(); ++j) {
        if (f.route[j] == SIZE_MAX) continue;
        for (size_t c : edgeCameras_[f.route[j]]) {
            const int at = static_cast<int>(j);
            auto last = std::find_if(runs.rbegin(), runs.rend(), [c](const Window& w) { return w.camera == c; });
            if (last != runs.rend() && at - last->to <= 2)
                last->to = at;
            else
                runs.push_back({c, at, at});
        }
    }
    if (runs.empty()) return;
    std::stable_sort(runs.begin(), runs.end(), [](const Window& a, const Window& b) { return a.camera < b.camera; });
    f.windows.reserve(runs.size());
    for (const Window& r : runs) f.windows.push_back({r.camera, std::max(0, r.from - 1), r.to});
    f.length = sim.vehicles().length(id);
    for (size_t e : f.route)  // an edge outside the road network: the fastest of the network
        f.maxSpeed = std::max(f.maxSpeed, e == SIZE_MAX ? networkMaxSpeed_ : kSpeedFactorMax * network_->edges()[e].maxSpeed);
    Follow& followed = follow_.emplace(id, std::move(f)).first->second;
    active_.emplace(id, &followed);  // looked at this step: it may depart inside a window
}

double SensorArray::earliestArrival(const Follow& f, int index, int target) const {
    double seconds = 0.0;
    for (int k = index + 1; k < target; ++k) {
        if (f.route[k] == SIZE_MAX) continue;
        const RoadEdge& e = network_->edges()[f.route[k]];
        seconds += e.length / (kSpeedFactorMax * std::max(e.maxSpeed, 1.0));
    }
    return seconds;
}

double SensorArray::timeToRadius(const Follow& f, int index, const VehicleState& v) const {
    double nearest2 = INFINITY;  // squared (std::hypot is slow: it saves the rounding mode)
    for (const Window& w : f.windows) {
        if (w.to < index) continue;  // passed: route indices only grow
        const double dx = v.position.x - poses_[w.camera].position.x, dy = v.position.y - poses_[w.camera].position.y;
        nearest2 = std::min(nearest2, dx * dx + dy * dy);
    }
    const double gap = std::sqrt(nearest2) - fixedRadius_ - 1.0;  // 1 m: far above rounding
    return f.maxSpeed > 0 ? gap / f.maxSpeed : 0.0;
}

bool SensorArray::look(const std::string& id, Follow& f, Simulation& sim, double now,
                       std::vector<std::vector<VehicleState>>& nearFixed) {
    const int index = sim.routes().indexOrMinusOne(id);
    if (index < 0) return false;  // not in the network (yet): looked at again when it departs
    bool inWindow = false;
    int next = INT32_MAX;  // the nearest window ahead
    for (Window& w : f.windows) {
        if (index >= w.from && index <= w.to)
            inWindow = true;
        else if (w.from > index)
            next = std::min(next, w.from);
    }
    if (inWindow) {
        VehicleState v;
        v.id = id;
        v.length = f.length;
        if (!sim.vehicles().motion(id, v)) return true;  // teleporting: looked at again next step
        for (const Window& w : f.windows) {
            if (index < w.from || index > w.to) continue;
            const CameraPose& pose = poses_[w.camera];
            const double dx = v.position.x - pose.position.x, dy = v.position.y - pose.position.y;
            if (dx * dx + dy * dy <= fixedRadius_ * fixedRadius_) nearFixed[w.camera].push_back(v);
        }
        // In a window, but too far from every camera ahead to come within its radius for a
        // few steps (it drives the edge before the watched ones, or a long watched one): it
        // would be near none of them, so it is not asked for its position until it could be.
        const double steps = std::ceil(timeToRadius(f, index, v) / stepLength_);
        if (steps <= 1) return true;
        f.nextCheck = now + steps * stepLength_ - 1e-6;  // looked at again in `steps` steps
        schedule_.insert({f.nextCheck, id});
        return false;
    }
    if (next == INT32_MAX) {
        follow_.erase(id);  // no camera ahead
        return false;
    }
    const double wait = std::max(stepLength_, earliestArrival(f, index, next));
    f.nextCheck = now + wait - 1e-6;
    schedule_.insert({f.nextCheck, id});
    return false;
}

void SensorArray::addParked(size_t car, std::vector<VehicleState>& near) {
    const VehicleState* state = patrol_->lastState(car);
    if (!state) return;
    // The street the car drives (both kerbs), and the one it just left (cars parked near the
    // junction behind it stay in its rear camera's view for a moment).
    size_t edges[4] = {patrol_->edgeOf(car), SIZE_MAX, patrol_->previousEdgeOf(car), SIZE_MAX};
    for (int i : {0, 2})
        if (edges[i] != SIZE_MAX) edges[i + 1] = parked_->reverseOf(edges[i]);
    for (int i = 0; i < 4; ++i) {
        if (edges[i] == SIZE_MAX || std::find(edges, edges + i, edges[i]) != edges + i) continue;
        parked_->near(edges[i], state->position, patrol_->watchRadius(), near);
    }
}

void SensorArray::observeMeso(Simulation& sim, std::vector<std::vector<VehicleState>>& nearFixed) {
    for (const std::string& id : sim.lastStep().arrived) mesoLengths_.erase(id);
    for (size_t w = 0; w < watchedEdges_.size(); ++w) {
        const size_t edgeIndex = watchedEdges_[w];
        const RoadEdge& edge = network_->edges()[edgeIndex];
        sim.vehicles().onEdge(edge.id, edgeIds_);
        auto& before = onWatched_[w];
        if (edgeIds_.empty() && before.empty()) continue;
        seenOnWatched_.clear();
        for (const std::string& id : edgeIds_) {
            if (patrolIds_.count(id)) continue;
            MesoTrack t;
            const auto known = before.find(id);
            if (known != before.end()) {
                t = known->second;
                t.offset += t.speed * stepLength_;
            } else {
                // Entered during the last step (on average half a step before its end), at
                // the speed SUMO gives it (a mesoscopic vehicle's: its segment's length over
                // its time to cross it).
                t.speed = std::max(0.0, sim.vehicles().speed(id));
                t.offset = t.speed * stepLength_ / 2;
                auto length = mesoLengths_.find(id);
                if (length == mesoLengths_.end()) length = mesoLengths_.emplace(id, sim.vehicles().length(id)).first;
                t.length = length->second;
            }
            t.offset = std::min(t.offset, edge.length);  // held at the edge's end while it waits
            const RoadPoint p = pointOnEdge(edge, t.offset);
            VehicleState v;
            v.id = id;
            v.length = t.length;
            v.position = p.at;
            v.angleDeg = sumoAngleDeg(p.dx, p.dy);
            v.speed = t.offset >= edge.length ? 0.0 : t.speed;
            for (size_t camera : edgeCameras_[edgeIndex]) {
                const CameraPose& pose = poses_[camera];
                if (std::hypot(v.position.x - pose.position.x, v.position.y - pose.position.y) <= fixedRadius_)
                    nearFixed[camera].push_back(v);
            }
            seenOnWatched_.emplace(id, t);
        }
        before.swap(seenOnWatched_);
    }
}

std::vector<Capture> SensorArray::observe(Simulation& sim) {
    if (gathered_ == gathering_.size()) gathering_.push_back(blankInputs());
    gather(sim, gathering_[gathered_++]);
    if (gathered_ < kBatchSteps) return {};
    std::vector<Capture> out = collect();  // the batch before's: its job is done with tracking_
    std::swap(gathering_, tracking_);
    const size_t steps = std::exchange(gathered_, 0);
    if (!worker_) {
        const unsigned threads = threads_ > 0 ? threads_ : std::max(1u, std::thread::hardware_concurrency());
        worker_ = std::make_unique<TrackingJob>(!trackers_.empty() && threads > 1);
    }
    worker_->start([this, steps] { track(tracking_, steps, tracked_); });
    return annotated(std::move(out), sim);
}

SensorArray::TrackingJob::~TrackingJob() {
    try {
        wait();
    } catch (...) {  // a failure nobody collected: the run is ending anyway
    }
}

void SensorArray::TrackingJob::start(std::function<void()> job) {
    if (ownThread_) {
        arena_.enqueue(group_.defer(std::move(job)));
        return;
    }
    try {
        job();
    } catch (...) {
        failure_ = std::current_exception();
    }
}

void SensorArray::TrackingJob::wait() {
    if (ownThread_) arena_.execute([this] { group_.wait(); });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

std::vector<Capture> SensorArray::collect() {
    if (!worker_) return {};
    worker_->wait();
    return std::exchange(tracked_, {});
}

SensorArray::StepInputs SensorArray::blankInputs() const {
    StepInputs in;
    in.nearFixed.assign(fixedCount_, {});
    const size_t cars = patrol_ ? patrol_->vehicles().size() : 0;
    in.nearPatrol.assign(cars, {});
    in.shiftEnded.assign(cars, 0);
    return in;
}

void SensorArray::gather(Simulation& sim, StepInputs& in) {
    in.end = sim.time();
    in.start = in.end - stepLength_;
    for (std::vector<VehicleState>& near : in.nearFixed) near.clear();
    if (fixedCount_ > 0 && meso_) {
        observeMeso(sim, in.nearFixed);
    } else if (fixedCount_ > 0) {
        for (const std::string& id : sim.lastStep().departed) enrol(id, sim);
        for (const std::string& id : sim.lastStep().arrived) unfollow(id);
        for (const RouteChange& change : sim.lastStep().rerouted) {  // the cameras on its new way
            if (patrolIds_.count(change.id)) continue;
            unfollow(change.id);
            follow(change.id, routeIndices(change.route), sim);
        }
        while (!schedule_.empty() && schedule_.begin()->first <= in.end) {
            const std::string& id = schedule_.begin()->second;
            if (const auto f = follow_.find(id); f != follow_.end()) active_.emplace(id, &f->second);
            schedule_.erase(schedule_.begin());
        }
        for (auto it = active_.begin(); it != active_.end();) {
            if (!look(it->first, *it->second, sim, in.end, in.nearFixed))
                it = active_.erase(it);  // look may erase the Follow
            else
                ++it;
        }
    }
    if (parked_) {
        for (const std::string& id : sim.lastStep().arrived) parked_->arrived(id);
        for (const std::string& id : sim.lastStep().departed) parked_->departed(id);
    }
    if (!patrol_) return;
    in.rigs = patrol_->update(sim);
    for (size_t p = 0; p < in.rigs.size(); ++p) {
        const VehicleState* car = patrol_->lastState(p);
        if (car && !meso_)  // patrol cars block the fixed cameras' views
            for (size_t i = 0; i < fixedCount_; ++i) {
                const double dx = car->position.x - poses_[i].position.x, dy = car->position.y - poses_[i].position.y;
                if (dx * dx + dy * dy > (fixedRadius_ + 1.0) * (fixedRadius_ + 1.0)) continue;  // clearly beyond
                if (std::hypot(dx, dy) <= fixedRadius_) in.nearFixed[i].push_back(*car);
            }
        in.shiftEnded[p] = in.rigs[p].empty() && patrolWasOnRoad_[p];  // the car left the network
        patrolWasOnRoad_[p] = !in.rigs[p].empty();
        if (in.rigs[p].empty()) continue;
        sim.subscriptions().near(patrol_->vehicles()[p], in.nearPatrol[p]);
        if (parked_) addParked(p, in.nearPatrol[p]);
    }
}

void SensorArray::track(const std::vector<StepInputs>& batch, size_t steps, std::vector<Capture>& out) {
    for (size_t k = 0; k < steps; ++k) {
        const StepInputs& in = batch[k];
        const size_t first = out.size();
        for (size_t i = 0; i < fixedCount_; ++i) {
            if (in.nearFixed[i].empty() && trackers_[i].idle()) continue;
            trackers_[i].step(in.start, in.end, fixedRigs_[i], in.nearFixed[i], out);
        }
        for (size_t p = 0; p < in.rigs.size(); ++p) {
            PassTracker& tracker = trackers_[fixedCount_ + p];
            if (!in.rigs[p].empty())
                tracker.step(in.start, in.end, in.rigs[p], in.nearPatrol[p], out);
            else if (in.shiftEnded[p])
                tracker.finish(out);
        }
        inTimeOrder(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());  // each step's on its own
    }
}

std::vector<Capture> SensorArray::finish(Simulation& sim) {
    std::vector<Capture> out = collect();
    track(gathering_, std::exchange(gathered_, 0), out);
    const size_t first = out.size();
    for (PassTracker& t : trackers_) t.finish(out);
    inTimeOrder(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    return annotated(std::move(out), sim);
}

void SensorArray::inTimeOrder(std::vector<Capture>::iterator begin, std::vector<Capture>::iterator end) const {
    for (auto c = begin; c != end; ++c)  // a parked car's capture names the trip (sensors/parked.h)
        if (c->camera >= fixedCount_) c->parked = ParkedVehicles::tripOfParkedId(c->trip, c->trip);
    std::sort(begin, end, [](const Capture& a, const Capture& b) {
        return a.time != b.time ? a.time < b.time : (a.camera != b.camera ? a.camera < b.camera : a.trip < b.trip);
    });
}

std::vector<Capture> SensorArray::annotated(std::vector<Capture> captures, Simulation& sim) {
    for (Capture& c : captures) {
        const bool fixed = c.camera < fixedCount_;
        if (c.parked) ++parkedReadsPerCamera_[c.camera];
        c.where = fixed ? cameras_[c.camera].where : sim.toWgs84(c.cameraAt);
        ++readsPerCamera_[c.camera];
        plateWidths_[fixed ? 0 : 1].push_back(c.photo.plateWidthPx);
    }
    return captures;
}

nlohmann::json SensorArray::geoJson() const { return camerasGeoJson(cameras_, poses_, models_); }

std::string SensorArray::sumoAdditional() const { return camerasSumoAdditional(cameras_, poses_); }

nlohmann::json SensorArray::patrolSummary(const CaptureCounts& counts) const {
    const bool byAgency = patrol_->config().byAgency;
    nlohmann::json cars = nlohmann::json::array();
    const std::vector<double> hours = patrol_->hoursOnRoad(), still = patrol_->hoursStill();
    const std::vector<size_t> stops = patrol_->stopsMade();
    PatrolFigures total;
    std::map<std::string, PatrolFigures> agencies;
    for (size_t p = 0; p < hours.size(); ++p) {
        const PatrolFigures car{hours[p], readsPerCamera_[fixedCount_ + p], parkedReadsPerCamera_[fixedCount_ + p]};
        const std::string& agency = cameras_[fixedCount_ + p].agency;
        total += car;
        agencies[agency] += car;
        nlohmann::json carJson = {{"id", patrol_->vehicles()[p]},
                                  {"hours_on_road", round2(car.hours)},
                                  {"hours_standing_still", round2(still[p])},
                                  {"stops", stops[p]},
                                  {"reads", car.reads},
                                  {"reads_moving", car.reads - car.parked},
                                  {"reads_parked", car.parked},
                                  {"reads_per_hour", readsPerHour(car.reads, car.hours)}};
        if (byAgency) carJson["agency"] = agency;
        cars.push_back(carJson);
    }
    nlohmann::json patrolJson = countsJson(counts);
    patrolJson["captured_moving"] = total.reads - total.parked;
    patrolJson["captured_parked"] = total.parked;
    patrolJson["cars"] = cars;
    patrolJson["patrol_hours"] = round2(total.hours);
    patrolJson["reads_per_patrol_hour"] = readsPerHour(total.reads, total.hours);
    patrolJson["moving_reads_per_patrol_hour"] = readsPerHour(total.reads - total.parked, total.hours);
    patrolJson["parked_reads_per_patrol_hour"] = readsPerHour(total.parked, total.hours);
    if (byAgency) {
        nlohmann::json fleets = nlohmann::json::object();
        for (const auto& [agency, fleet] : agencies)
            fleets[agency] = {{"patrol_hours", round2(fleet.hours)},
                              {"reads", fleet.reads},
                              {"reads_per_patrol_hour", readsPerHour(fleet.reads, fleet.hours)}};
        patrolJson["by_agency"] = fleets;
    }
    // A count over the run (day parts add up); not the cars parked at its end.
    if (parked_) patrolJson["parked_turned_away_kerbs_full"] = parked_->turnedAway();
    patrolJson["median_plate_width_px"] = round2(median(plateWidths_[1]));
    patrolJson["camera"] = modelJson(patrol_->model());
    return patrolJson;
}

double SensorArray::readsPerHour(double reads, double hours) { return hours > 0 ? round2(reads / hours) : 0.0; }

nlohmann::json SensorArray::summary() const {
    CaptureCounts fixed, patrol;
    for (size_t i = 0; i < trackers_.size(); ++i) (i < fixedCount_ ? fixed : patrol) += trackers_[i].counts();
    nlohmann::json fixedJson = countsJson(fixed);
    fixedJson["cameras"] = fixedCount_;
    fixedJson["median_plate_width_px"] = round2(median(plateWidths_[0]));
    if (fixedCount_ > 0) fixedJson["camera"] = modelJson(models_.front());
    nlohmann::json result = {{"fixed", fixedJson}};
    if (patrol_) result["patrol"] = patrolSummary(patrol);
    return result;
}

}  // namespace alprsim
