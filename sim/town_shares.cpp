#include "sim/town_shares.h"

#include <algorithm>
#include <cmath>

#include "sim/road_network.h"
#include "sim/towns.h"

namespace alprsim {

namespace {

struct Xy {
    double x, y;
};

// A local flat projection in metres around `origin`.
struct LocalMetres {
    LatLon origin;
    double kx;
    explicit LocalMetres(LatLon o) : origin(o), kx(111320.0 * std::cos(o.lat * M_PI / 180.0)) {}
    Xy operator()(LatLon p) const { return {(p.lon - origin.lon) * kx, (p.lat - origin.lat) * 110540.0}; }
};

}  // namespace

TownCoverage townCoverage(const Town& town, const RoadNetwork& network) {
    constexpr double kStepMetres = 100.0, kReachMetres = 400.0;
    const LocalMetres project(town.boxMin);
    const Xy far = project(town.boxMax);
    const long columns = static_cast<long>(far.x / kStepMetres) + 1, rows = static_cast<long>(far.y / kStepMetres) + 1;
    std::vector<char> near(static_cast<size_t>(columns * rows), 0);
    const long reach = static_cast<long>(kReachMetres / kStepMetres);
    auto markAround = [&](LatLon p) {
        const Xy c = project(p);
        const long cx = std::lround(c.x / kStepMetres - 0.5), cy = std::lround(c.y / kStepMetres - 0.5);
        for (long y = std::max(0L, cy - reach); y <= std::min(rows - 1, cy + reach); ++y)
            for (long x = std::max(0L, cx - reach); x <= std::min(columns - 1, cx + reach); ++x)
                if (std::hypot((x - cx) * kStepMetres, (y - cy) * kStepMetres) <= kReachMetres) near[size_t(y * columns + x)] = 1;
    };
    for (size_t e = 0; e < network.edges().size(); ++e) {
        if (network.edges()[e].town != town.name) continue;
        for (double along = 0; along <= network.edges()[e].length; along += kStepMetres) markAround(network.pointAlong(e, along));
    }
    size_t inTown = 0, covered = 0;
    for (long y = 0; y < rows; ++y)
        for (long x = 0; x < columns; ++x) {
            const LatLon cell{town.boxMin.lat + (y + 0.5) * kStepMetres / 110540.0,
                              town.boxMin.lon + (x + 0.5) * kStepMetres / project.kx};
            if (!insideRings(town.rings, cell)) continue;
            ++inTown;
            covered += near[size_t(y * columns + x)];
        }
    TownCoverage c;
    c.coveredShare = inTown ? double(covered) / inTown : 0.0;
    c.coveredKm2 = covered * kStepMetres * kStepMetres / 1e6;
    return c;
}

double metresToBoundary(LatLon p, const Town& town) {
    const LocalMetres project(p);
    double best = INFINITY;
    for (const Ring& r : town.rings)
        for (size_t i = 0; i + 1 < r.size(); ++i) {
            const Xy a = project(r[i]), b = project(r[i + 1]);
            const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
            const double t = len2 > 0 ? std::clamp(-(a.x * dx + a.y * dy) / len2, 0.0, 1.0) : 0.0;
            best = std::min(best, std::hypot(a.x + t * dx, a.y + t * dy));
        }
    return best;
}

std::vector<std::vector<double>> gravityWeights(const std::vector<TownPlaces>& towns, double exponent) {
    std::vector<std::vector<double>> w(towns.size(), std::vector<double>(towns.size(), 0.0));
    for (size_t i = 0; i < towns.size(); ++i) {
        const double floorMetres = std::max(500.0, 0.5 * std::sqrt(towns[i].coveredKm2) * 1000.0);
        const LocalMetres project(towns[i].homeCentroid);
        for (size_t j = 0; j < towns.size(); ++j) {
            const Xy d = project(towns[j].jobCentroid);
            const double metres = std::max(floorMetres, std::hypot(d.x, d.y));
            w[i][j] = towns[j].attraction / std::pow(metres / 1000.0, exponent);
        }
    }
    return w;
}

}  // namespace alprsim
