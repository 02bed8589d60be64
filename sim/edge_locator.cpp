#include "sim/edge_locator.h"

// Boost 1.74's rtree.hpp includes a header Boost has deprecated, which says so on every build.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace alprsim {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {
constexpr double kMetresPerDegreeLat = 111320.0;
using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
struct Segment {
    uint32_t edge;
    uint32_t index;  // from shapeWgs84[index] to shapeWgs84[index + 1]
};
}  // namespace

struct EdgeLocator::Index : bgi::rtree<std::pair<Box, Segment>, bgi::rstar<16>> {
    using rtree::rtree;
};

EdgeLocator::~EdgeLocator() = default;

EdgeLocator::EdgeLocator(const RoadNetwork& network) : network_(network) {
    const auto& edges = network.edges();
    double latSum = 0.0, lonSum = 0.0;
    size_t points = 0;
    for (const RoadEdge& e : edges)
        for (const LatLon& p : e.shapeWgs84) {
            latSum += p.lat;
            lonSum += p.lon;
            ++points;
        }
    if (points == 0) return;
    lat0_ = latSum / points;
    lon0_ = lonSum / points;
    metresPerLat_ = kMetresPerDegreeLat;
    metresPerLon_ = kMetresPerDegreeLat * std::cos(lat0_ * M_PI / 180.0);

    std::vector<std::pair<Box, Segment>> boxes;
    along_.resize(edges.size());
    for (uint32_t i = 0; i < edges.size(); ++i) {
        const RoadEdge& e = edges[i];
        const auto& ll = e.shapeWgs84;
        // Positions are measured as pointAlong measures them: along the projected shape when it
        // matches the WGS84 one point for point, else along the WGS84 points in the local frame.
        const bool projected = e.shape.size() == ll.size();
        std::vector<double>& cum = along_[i];
        cum.assign(ll.size(), 0.0);
        for (uint32_t k = 1; k < ll.size(); ++k) {
            const double seg = projected ? std::hypot(e.shape[k].x - e.shape[k - 1].x, e.shape[k].y - e.shape[k - 1].y)
                                         : std::hypot(x(ll[k]) - x(ll[k - 1]), y(ll[k]) - y(ll[k - 1]));
            cum[k] = cum[k - 1] + seg;
            const Point a(x(ll[k - 1]), y(ll[k - 1])), b(x(ll[k]), y(ll[k]));
            boxes.emplace_back(bg::return_envelope<Box>(bg::model::segment<Point>(a, b)), Segment{i, k - 1});
        }
    }
    segments_ = std::make_unique<const Index>(boxes);  // packed: the fastest tree to query
}

std::optional<EdgeFix> EdgeLocator::nearest(LatLon where, double maxMetres) const {
    if (!segments_) return std::nullopt;
    const double px = x(where), py = y(where);
    const auto& edges = network_.edges();
    double best = std::numeric_limits<double>::infinity();
    uint32_t bestEdge = UINT32_MAX, bestSeg = 0;
    double bestF = 0.0;
    const Box reach(Point(px - maxMetres, py - maxMetres), Point(px + maxMetres, py + maxMetres));
    for (auto it = segments_->qbegin(bgi::intersects(reach)); it != segments_->qend(); ++it) {
        const Segment& s = it->second;
        const auto& ll = edges[s.edge].shapeWgs84;
        const double ax = x(ll[s.index]), ay = y(ll[s.index]);
        const double dx = x(ll[s.index + 1]) - ax, dy = y(ll[s.index + 1]) - ay;
        const double len2 = dx * dx + dy * dy;
        const double f = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
        const double d = std::hypot(ax + f * dx - px, ay + f * dy - py);
        // The lowest (distance, edge, segment): the same answer whatever order the tree gives.
        if (d < best || (d == best && (s.edge < bestEdge || (s.edge == bestEdge && s.index < bestSeg)))) {
            best = d;
            bestEdge = s.edge;
            bestSeg = s.index;
            bestF = f;
        }
    }
    if (bestEdge == UINT32_MAX || best > maxMetres) return std::nullopt;
    const RoadEdge& e = edges[bestEdge];
    const std::vector<double>& cum = along_[bestEdge];
    const double geometric = cum.back();
    const double metres = cum[bestSeg] + bestF * (cum[bestSeg + 1] - cum[bestSeg]);
    const double position = geometric > 0 ? std::clamp(metres * e.length / geometric, 0.0, e.length) : 0.0;
    return EdgeFix{bestEdge, position, best};
}

}  // namespace alprsim
