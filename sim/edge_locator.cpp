#include "sim/edge_locator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alprsim {

namespace {
constexpr double kMetresPerDegreeLat = 111320.0;
}  // namespace

EdgeLocator::EdgeLocator(const RoadNetwork& network, double cellMetres) : network_(network), cellMetres_(cellMetres) {
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

    double minX = std::numeric_limits<double>::infinity(), minY = minX, maxX = -minX, maxY = -minX;
    for (const RoadEdge& e : edges)
        for (const LatLon& p : e.shapeWgs84) {
            minX = std::min(minX, x(p));
            maxX = std::max(maxX, x(p));
            minY = std::min(minY, y(p));
            maxY = std::max(maxY, y(p));
        }
    minCx_ = static_cast<int64_t>(std::floor(minX / cellMetres_));
    minCy_ = static_cast<int64_t>(std::floor(minY / cellMetres_));
    columns_ = static_cast<int64_t>(std::floor(maxX / cellMetres_)) - minCx_ + 1;
    rows_ = static_cast<int64_t>(std::floor(maxY / cellMetres_)) - minCy_ + 1;
    cells_.resize(static_cast<size_t>(columns_ * rows_));

    along_.resize(edges.size());
    for (uint32_t i = 0; i < edges.size(); ++i) {
        const RoadEdge& e = edges[i];
        const auto& ll = e.shapeWgs84;
        // Positions are measured as pointAlong measures them: along the projected shape when it
        // matches the WGS84 one point for point, else along the WGS84 points in the local frame.
        const bool projected = e.shape.size() == ll.size();
        std::vector<double>& cum = along_[i];
        cum.assign(ll.size(), 0.0);
        for (size_t k = 1; k < ll.size(); ++k) {
            const double seg = projected ? std::hypot(e.shape[k].x - e.shape[k - 1].x, e.shape[k].y - e.shape[k - 1].y)
                                         : std::hypot(x(ll[k]) - x(ll[k - 1]), y(ll[k]) - y(ll[k - 1]));
            cum[k] = cum[k - 1] + seg;
        }
        for (uint32_t k = 0; k + 1 < ll.size(); ++k) {
            const int64_t x0 = cell(std::min(x(ll[k]), x(ll[k + 1]))), x1 = cell(std::max(x(ll[k]), x(ll[k + 1])));
            const int64_t y0 = cell(std::min(y(ll[k]), y(ll[k + 1]))), y1 = cell(std::max(y(ll[k]), y(ll[k + 1])));
            for (int64_t cy = y0; cy <= y1; ++cy)
                for (int64_t cx = x0; cx <= x1; ++cx)
                    cells_[static_cast<size_t>((cy - minCy_) * columns_ + (cx - minCx_))].push_back({i, k});
        }
    }
}

int64_t EdgeLocator::cell(double v) const { return static_cast<int64_t>(std::floor(v / cellMetres_)); }

const std::vector<EdgeLocator::Segment>* EdgeLocator::cellAt(int64_t cx, int64_t cy) const {
    if (cx < minCx_ || cy < minCy_ || cx >= minCx_ + columns_ || cy >= minCy_ + rows_) return nullptr;
    return &cells_[static_cast<size_t>((cy - minCy_) * columns_ + (cx - minCx_))];
}

std::optional<EdgeFix> EdgeLocator::nearest(LatLon where, double maxMetres) const {
    if (cells_.empty()) return std::nullopt;
    const double px = x(where), py = y(where);
    const int64_t cx = cell(px), cy = cell(py);
    const auto& edges = network_.edges();
    double best = std::numeric_limits<double>::infinity();
    uint32_t bestEdge = UINT32_MAX, bestSeg = 0;
    double bestF = 0.0;
    auto visit = [&](const std::vector<Segment>* segments) {
        if (!segments) return;
        for (const Segment& s : *segments) {
            const auto& ll = edges[s.edge].shapeWgs84;
            const double ax = x(ll[s.index]), ay = y(ll[s.index]);
            const double dx = x(ll[s.index + 1]) - ax, dy = y(ll[s.index + 1]) - ay;
            const double len2 = dx * dx + dy * dy;
            const double f = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
            const double d = std::hypot(ax + f * dx - px, ay + f * dy - py);
            // The lowest (distance, edge, segment): the same answer whatever order cells come in.
            if (d < best || (d == best && (s.edge < bestEdge || (s.edge == bestEdge && s.index < bestSeg)))) {
                best = d;
                bestEdge = s.edge;
                bestSeg = s.index;
                bestF = f;
            }
        }
    };
    // Ring r holds the cells r steps from the point's cell; every segment not seen after ring r
    // is more than r cells away.
    // (Every segment lies in the grid, so a point further than maxMetres outside it finds none.)
    const int64_t maxRing = static_cast<int64_t>(std::ceil(maxMetres / cellMetres_)) + 1;
    for (int64_t r = 0; r <= maxRing; ++r) {
        if (r == 0) visit(cellAt(cx, cy));
        for (int64_t i = -r; i <= r && r > 0; ++i) {
            visit(cellAt(cx + i, cy - r));
            visit(cellAt(cx + i, cy + r));
            if (i != -r && i != r) {
                visit(cellAt(cx - r, cy + i));
                visit(cellAt(cx + r, cy + i));
            }
        }
        if (best <= static_cast<double>(r) * cellMetres_) break;
    }
    if (bestEdge == UINT32_MAX || best > maxMetres) return std::nullopt;
    const RoadEdge& e = edges[bestEdge];
    const std::vector<double>& cum = along_[bestEdge];
    const double geometric = cum.empty() ? 0.0 : cum.back();
    const double segLength = cum[bestSeg + 1] - cum[bestSeg];
    const double metres = cum[bestSeg] + bestF * segLength;
    const double position = geometric > 0 ? std::clamp(metres * e.length / geometric, 0.0, e.length) : 0.0;
    return EdgeFix{bestEdge, position, best};
}

}  // namespace alprsim
