#pragma once
// EdgeLocator: the road edge a WGS84 point lies on, from the network's own geometry (each
// edge's lane-0 centre line, RoadEdge::shapeWgs84), without SUMO: for run directories read
// back from roads.json (analysis, reports). Simulation::snap does the same through libsumo
// while SUMO is loaded.
//
// The nearest edge is the one whose polyline passes closest to the point (in a local
// equirectangular frame, metres); ties go to the lower edge index, so the answer never
// depends on anything but the network and the point. Segments are indexed by their bounding
// boxes in a Boost.Geometry R-tree; a query measures every segment whose box comes within the
// limit (so its cost grows with the limit: 100 m, as analysis asks, is faster than the uniform
// grid this replaced; 1 km is ten times slower).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/geo.h"
#include "sim/road_network.h"

namespace alprsim {

struct EdgeFix {
    size_t edge = 0;
    double position = 0.0;  // metres from the edge's start, as RoadNetwork::pointAlong counts them
    double distance = 0.0;  // metres from the point to the edge's polyline
};

class EdgeLocator {
public:
    // Keeps a reference to `network`, which must outlive the locator.
    explicit EdgeLocator(const RoadNetwork& network);
    ~EdgeLocator();

    // The nearest edge within `maxMetres` of `where`, or nullopt if none is that close.
    std::optional<EdgeFix> nearest(LatLon where, double maxMetres) const;

private:
    struct Index;  // the segments' R-tree
    double x(LatLon p) const { return (p.lon - lon0_) * metresPerLon_; }
    double y(LatLon p) const { return (p.lat - lat0_) * metresPerLat_; }

    const RoadNetwork& network_;
    double lat0_ = 0.0, lon0_ = 0.0, metresPerLat_ = 0.0, metresPerLon_ = 0.0;
    std::unique_ptr<const Index> segments_;
    // Per edge: the projected length of its polyline before each WGS84 point (for positions).
    std::vector<std::vector<double>> along_;
};

}  // namespace alprsim
