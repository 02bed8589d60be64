#include "sensors/fixed_camera.h"

#include <algorithm>
#include <map>

#include "sim/simulation.h"

namespace alprsim {

FixedCameraSensor::FixedCameraSensor(std::vector<FixedCamera> cameras) : cameras_(std::move(cameras)) {
    std::map<std::string, size_t> byEdge;  // ordered: deterministic watch order
    for (size_t i = 0; i < cameras_.size(); ++i) {
        auto [it, added] = byEdge.emplace(cameras_[i].edge, watches_.size());
        if (added) watches_.push_back(EdgeWatch{cameras_[i].edge, {}, {}});
        watches_[it->second].cameras.push_back(i);
    }
}

void FixedCameraSensor::recordCrossings(size_t camera, const std::string& trip, double before, double after,
                                        double speed, double stepEnd, double dt, std::vector<CameraPass>& out) const {
    const double at = cameras_[camera].position;
    if (!(before < at && after >= at)) return;
    const double from = std::max(before, 0.0);
    const double fraction = after > from ? (at - from) / (after - from) : 1.0;
    out.push_back({camera, trip, stepEnd - dt + dt * std::clamp(fraction, 0.0, 1.0), speed});
}

std::vector<CameraPass> FixedCameraSensor::observe(const Simulation& sim) {
    std::vector<CameraPass> passes;
    const double now = sim.time();
    const double dt = sim.stepLength();
    const auto& departed = sim.lastStep().departed;
    for (EdgeWatch& w : watches_) {
        std::unordered_map<std::string, VehicleOnEdge> current;
        for (const VehicleOnEdge& v : sim.vehiclesOnEdge(w.edge)) {
            double before = -1.0;  // entered from upstream: it crossed the edge's start
            if (auto it = w.last.find(v.id); it != w.last.end()) {
                before = it->second.lanePosition;
                w.last.erase(it);
            } else if (std::find(departed.begin(), departed.end(), v.id) != departed.end()) {
                before = v.lanePosition;  // inserted here this step: no crossing yet
            }
            for (size_t c : w.cameras) recordCrossings(c, v.id, before, v.lanePosition, v.speed, now, dt, passes);
            current.emplace(v.id, v);
        }
        // Those still in `last` left the edge during this step, driving past its end.
        for (const auto& [id, v] : w.last) {
            const double reach = v.lanePosition + std::max(v.speed, 0.1) * dt;
            for (size_t c : w.cameras) {
                if (v.lanePosition < cameras_[c].position)
                    recordCrossings(c, id, v.lanePosition, std::max(reach, cameras_[c].position), v.speed, now, dt, passes);
            }
        }
        w.last = std::move(current);
    }
    std::sort(passes.begin(), passes.end(), [](const CameraPass& a, const CameraPass& b) {
        return a.time != b.time ? a.time < b.time : (a.camera != b.camera ? a.camera < b.camera : a.trip < b.trip);
    });
    return passes;
}

}  // namespace alprsim
