#pragma once
// Small road networks and run data built by hand, so that every expected answer follows from
// the construction (no SUMO).
#include <cmath>
#include <string>
#include <vector>

#include "analysis/analysis_data.h"
#include "sim/road_network.h"

namespace alprsim::testing {

// Edges between named points (metres east/north of 42N 71W); an edge's successors are the
// edges leaving the point it ends at (except straight back).
class RoadBuilder {
public:
    RoadBuilder& edge(const std::string& id, Point2 from, Point2 to, double speed = 10.0, double length = -1.0) {
        RoadEdge e;
        e.id = id;
        e.length = length >= 0 ? length : std::hypot(to.x - from.x, to.y - from.y);
        e.maxSpeed = speed;
        e.lanes = 1;
        e.shape = {from, to};
        e.shapeWgs84 = {wgs(from), wgs(to)};
        edges_.push_back(e);
        return *this;
    }
    RoadNetwork build() const {
        std::vector<RoadEdge> edges = edges_;
        for (auto& e : edges)
            for (size_t j = 0; j < edges.size(); ++j) {
                const bool joins = same(e.shape.back(), edges[j].shape.front());
                const bool back = same(e.shape.front(), edges[j].shape.back());
                if (joins && !back) e.successors.push_back(j);
            }
        return RoadNetwork(edges);
    }
    static LatLon wgs(Point2 p) { return {42.0 + p.y / 111320.0, -71.0 + p.x / (111320.0 * std::cos(42.0 * M_PI / 180.0))}; }

private:
    static bool same(Point2 a, Point2 b) { return std::abs(a.x - b.x) < 1e-6 && std::abs(a.y - b.y) < 1e-6; }
    std::vector<RoadEdge> edges_;
};

// A straight road east: s0 s1 s2 s3, 200 m each at 10 m/s, and its reverse r3..r0.
inline RoadNetwork straightRoad() {
    RoadBuilder b;
    for (int i = 0; i < 4; ++i) b.edge("s" + std::to_string(i), {200.0 * i, 0}, {200.0 * (i + 1), 0});
    for (int i = 3; i >= 0; --i) b.edge("r" + std::to_string(i), {200.0 * (i + 1), 0}, {200.0 * i, 0});
    return b.build();
}

constexpr double kDay = 86400.0;

}  // namespace alprsim::testing
