#pragma once
// How a region's residents spread over its towns: the share of each town the network covers
// (so a town cut to a corner, like Boston-Allston, contributes that corner's residents, not all
// of Boston's), and which town a resident who works on the network works in (a gravity model,
// or a town-to-town flows file such as the Census journey-to-work tables a user brings).
#include <algorithm>
#include <string>
#include <vector>

#include "core/geo.h"

namespace alprsim {

class RoadNetwork;
class TownMap;
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

// Town-to-town commuting flows, replacing the gravity model: a CSV with the columns
// home_town,work_town,workers (residents of home_town working in work_town; e.g. the Census
// ACS/CTPP journey-to-work tables, one row per pair). Towns are Massachusetts towns
// (ma/towns.geojson); rows whose home or work town is not one of the region's say nothing about
// commutes on the network and are skipped (working beyond it is work_outside_share's part).
struct TownFlow {
    std::string home, work;  // as the towns file spells them
    double workers = 0;
    size_t line = 0;  // in the file, the header being line 1
};

// Reads the file: a missing column, an empty town or a workers count that is not a number >= 0
// is an InputError naming the file and line; so is a town name the town map does not know.
std::vector<TownFlow> readTownFlows(const std::string& file, const TownMap& towns);

// Per home town of `region` (its order), the weight of each of region's towns as a work town:
// the workers of the flows between them. InputError naming the file if a town of the region
// has no workers to any town of it.
std::vector<std::vector<double>> flowWeights(const std::vector<TownFlow>& flows, const std::vector<std::string>& region,
                                             const std::string& file);

// Each town's own car ownership and car commuting, replacing the region-wide
// vehicles_per_resident, commuter_share and work_outside_share (a "town_figures" CSV; the
// region's, with its sources, is data/towns/region-car-commuting.csv). Columns:
// town, vehicles_per_resident, workers_per_resident, car_commute_share (of workers: drove
// alone or carpooled, ACS table S0801), workers_per_car (ACS S0801's "workers per car, truck,
// or van"), work_outside_share (of car commuters: working beyond the network); other columns
// (sources) are ignored.
struct TownFigures {
    std::string town;  // as the towns file spells it
    double vehiclesPerResident = 0, workersPerResident = 0, carCommuteShare = 0, workersPerCar = 1, workOutsideShare = 0;
    size_t line = 0;
    double carCommutersPerResident() const { return workersPerResident * carCommuteShare / workersPerCar; }
    // The share of the town's cars that carry a weekday commute.
    double commuterShare() const { return vehiclesPerResident > 0 ? carCommutersPerResident() / vehiclesPerResident : 0; }
    // Of the cars that carry no commute, the share whose driver works and gets there another
    // way (transit, on foot, by bicycle): such a car runs its errands after work, not at midday
    // (sim/population.h). Workers without a car commute a resident, times the share of
    // households with a car, over the cars without a commute, at most 1. The share of
    // households with a car is the one vehiclesPerResident was derived from by docs/regions.md's
    // rule (0.81 vehicles a resident nationally, 91% of households with one): an estimate, and
    // high, since households without a car hold more than their share of transit commuters.
    double workingDriverShare() const {
        const double idleCars = vehiclesPerResident - carCommutersPerResident();
        const double householdsWithCar = std::min(1.0, vehiclesPerResident * 0.91 / 0.81);
        if (idleCars <= 0) return 0;
        return std::min(1.0, workersPerResident * (1 - carCommuteShare) * householdsWithCar / idleCars);
    }
};

// Reads the file: a missing column, a town the town map does not know, a town listed twice, a
// figure that is not a number in its range, or more car commuters than cars is an InputError
// naming the file, line and column.
std::vector<TownFigures> readTownFigures(const std::string& file, const TownMap& towns);

// The figures of `region`'s towns, in its order; InputError naming the file and the town if
// one has no row.
std::vector<TownFigures> figuresFor(const std::vector<TownFigures>& figures, const std::vector<std::string>& region,
                                    const std::string& file);

}  // namespace alprsim
