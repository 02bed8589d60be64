#pragma once
// WGS84 coordinates and the few geometric helpers every stage needs.
#include <vector>

namespace alprsim {

struct LatLon {
    double lat = 0.0;
    double lon = 0.0;
};

// Great-circle distance in metres.
double haversineMetres(LatLon a, LatLon b);

// A polygon ring in lon/lat order as in GeoJSON. Holes are separate rings.
using Ring = std::vector<LatLon>;

// Even-odd rule over all rings (outer rings and holes alike), as GeoJSON polygons are drawn.
bool insideRings(const std::vector<Ring>& rings, LatLon p);

}  // namespace alprsim
