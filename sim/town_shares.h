#pragma once
// How a region's residents spread over its towns: the share of each town the network covers
// (so a town cut to a corner, like Boston-Allston, contributes that corner's residents, not all
// of Boston's), and which town a resident who works on the network works in (a gravity model).
#include <string>
#include <vector>

#include "core/geo.h"

namespace alprsim {

class RoadNetwork;
struct Town;

struct TownCoverage {
    double coveredShare = 0;  // of the town's area
    double coveredKm2 = 0;
};

// The share of the town's area within 400 m of its own roads on the network (a 100 m grid):
// close to 1 for a town the extract holds whole (only its largest parks and waters are farther
// from a road), the clipped part for a town the extract cuts to a corner.
TownCoverage townCoverage(const Town& town, const RoadNetwork& network);

// Metres from p to the nearest point of the town's outline (equirectangular; towns are small).
double metresToBoundary(LatLon p, const Town& town);

// The gravity model of commuting (Zipf 1946, "The P1 P2/D hypothesis"; the form most
// commuting studies fit): a resident of town i who works on the network works in town j with
// weight attraction[j] / d(i, j)^exponent, d the distance from i's homes' centroid to j's
// workplaces' centroid, never below the typical trip inside i (half the side of i's covered
// area: the mean distance between two points of a square is 0.52 of its side).
struct TownPlaces {
    LatLon homeCentroid, jobCentroid;
    double attraction = 0;  // the town's workplace weight on the network (road length x class)
    double coveredKm2 = 0;
};
std::vector<std::vector<double>> gravityWeights(const std::vector<TownPlaces>& towns, double exponent);

}  // namespace alprsim
