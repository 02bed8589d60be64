#include "core/geo.h"

#include <cmath>

namespace alprsim {

double haversineMetres(LatLon a, LatLon b) {
    constexpr double kEarthRadius = 6371008.8;
    constexpr double kDeg = M_PI / 180.0;
    const double dlat = (b.lat - a.lat) * kDeg;
    const double dlon = (b.lon - a.lon) * kDeg;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat * kDeg) * std::cos(b.lat * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(h)));
}

bool insideRings(const std::vector<Ring>& rings, LatLon p) {
    bool inside = false;
    for (const Ring& ring : rings) {
        const size_t n = ring.size();
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            const LatLon& a = ring[i];
            const LatLon& b = ring[j];
            if ((a.lat > p.lat) != (b.lat > p.lat) && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
                inside = !inside;
        }
    }
    return inside;
}

}  // namespace alprsim
