#pragma once
// EdgeLocator: the road edge a WGS84 point lies on, from the network's own geometry (each
// edge's lane-0 centre line, RoadEdge::shapeWgs84), without SUMO: for run directories read
// back from roads.json (analysis, reports). Simulation::snap does the same through libsumo
// while SUMO is loaded.
//
// The nearest edge is the one whose polyline passes closest to the point (in a local
// equirectangular frame, metres); ties go to the lower edge index, so the answer never
// depends on anything but the network and the point. Segments are indexed in a uniform grid
// of cells, and a query looks at cells ring by ring outwards until no closer segment can
// remain.
#include <cstddef>
#include <cstdint>
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
    explicit EdgeLocator(const RoadNetwork& network, double cellMetres = 100.0);

    // The nearest edge within `maxMetres` of `where`, or nullopt if none is that close.
    std::optional<EdgeFix> nearest(LatLon where, double maxMetres) const;

private:
    struct Segment {
        uint32_t edge;
        uint32_t index;  // from shapeWgs84[index] to shapeWgs84[index + 1]
    };
    double x(LatLon p) const { return (p.lon - lon0_) * metresPerLon_; }
    double y(LatLon p) const { return (p.lat - lat0_) * metresPerLat_; }
    int64_t cell(double v) const;
    const std::vector<Segment>* cellAt(int64_t cx, int64_t cy) const;

    const RoadNetwork& network_;
    double cellMetres_;
    double lat0_ = 0.0, lon0_ = 0.0, metresPerLat_ = 0.0, metresPerLon_ = 0.0;
    int64_t minCx_ = 0, minCy_ = 0, columns_ = 0, rows_ = 0;
    std::vector<std::vector<Segment>> cells_;  // row-major, columns_ x rows_
    // Per edge: the projected length of its polyline before each WGS84 point (for positions).
    std::vector<std::vector<double>> along_;
};

}  // namespace alprsim
