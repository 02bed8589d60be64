#pragma once
// Massachusetts municipalities (../shared/data/ma/towns.geojson): polygons and populations,
// to say which town each road edge lies in and how many people live there.
#include <filesystem>
#include <string>
#include <vector>

#include "core/geo.h"

namespace alprsim {

struct Town {
    std::string name;
    int population2010 = 0;
    std::vector<Ring> rings;  // outer rings and holes of all its polygons
    LatLon boxMin, boxMax;
};

class TownMap {
public:
    // Throws InputError naming the file and the feature if it is not a GeoJSON FeatureCollection
    // of (Multi)Polygons with `town` and `pop2010` properties.
    static TownMap load(const std::filesystem::path& geojson);

    // The town containing p, or nullptr.
    const Town* townAt(LatLon p) const;
    const Town* find(const std::string& name) const;  // case-insensitive
    const std::vector<Town>& towns() const { return towns_; }

private:
    std::vector<Town> towns_;
};

class RoadNetwork;
// Sets RoadEdge::town for every edge, from its midpoint.
void attributeTowns(RoadNetwork& network, const TownMap& towns);

}  // namespace alprsim
