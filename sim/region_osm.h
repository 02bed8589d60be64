#pragma once
// A region of several towns as one OpenStreetMap extract, ready for netconvert.
//
// The shared extracts (../shared/data/ma/roads/) were exported separately: their node and way
// ids collide (each starts at 1), they overlap (boston-allston.osm holds part of Cambridge) and
// each stops somewhere near its own town line. So each extract is clipped to its own town's
// polygon, renumbered, and every road that leaves a town is cut where it crosses the town line.
// A cut in town A whose road goes on into region town B is joined to the nearest cut B made on
// its side of the same line, at one shared node between the two; cuts left without a partner
// are reported as gaps, and cuts into towns outside the region as the region's fringe.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/geo.h"

namespace alprsim {

class TownMap;

struct TownExtract {
    std::string town;           // as in towns.geojson (case-insensitive)
    std::filesystem::path osm;  // an OpenStreetMap XML extract that covers it
};

// One place where a road meets a town line.
struct BorderEnd {
    // Crossing: two towns' ends joined into one node. Connected: an end linked by a short added
    // road to the nearest node of the neighbour's roads. Gap: an end left unjoined beside a
    // region town whose extract has roads there. Fringe: a cut into a town outside the region
    // (or a part of a region town its extract does not cover): where the region's roads stop.
    // Bridge: a straight stand-in road from a town whose roads meet no other region town's
    // (the real links run through places no extract covers) to the nearest major road of the
    // largest connected group of towns.
    enum class Kind { Crossing, Connected, Bridge, Gap, Fringe };
    Kind kind = Kind::Gap;
    std::string town;       // the town whose extract holds the road
    std::string intoTown;   // where the road goes on ("" outside every town)
    std::string road;       // the way's name, or its highway class
    LatLon at;              // the shared node (crossing) or the cut (gap, fringe)
    double joinMetres = 0;  // crossing, connected: how far apart the two ends were
};

struct RegionTownCounts {
    std::string town;
    int ways = 0;       // road pieces kept inside the town
    double roadKm = 0;  // their length inside the town
    int restrictionsKept = 0, restrictionsDropped = 0;
};

struct RegionOsm {
    std::vector<RegionTownCounts> towns;
    std::vector<BorderEnd> ends;  // one row per crossing (both towns' cuts), gap or fringe cut
    int count(BorderEnd::Kind kind) const;
};

inline constexpr double kDefaultBorderJoinMetres = 40.0;
inline constexpr double kDefaultBorderConnectMetres = 120.0;
inline constexpr double kDefaultBridgeMetres = 2500.0;
inline constexpr size_t kBridgesPerIsland = 6;  // a divided road's two carriageways count as two
// A stand-in road stands for the arterials and parkways that join an island town to the others
// through places no extract holds (Everett: Route 16 and Route 99 towards Wellington and
// Sullivan Squares; Brookline: Commonwealth Avenue and the BU Bridge), not for the side street
// it starts from. The extracts map such roads with two to three lanes each way at 30-35 mph
// (everett.osm: Revere Beach Parkway 3 lanes one-way at 35 mph, Broadway 4 lanes; somerville.osm:
// Mystic Valley Parkway 4 lanes at 30 mph; brookline.osm: Brookline Avenue 4 lanes at 30 mph),
// and 30 mph is Massachusetts' limit in a thickly settled district (M.G.L. c. 90, s. 17): two
// lanes each way at 30 mph.
inline constexpr int kStandInLanesEachWay = 2;
inline constexpr const char* kStandInMaxspeed = "30 mph";
// Stand-in roads get way ids from here, so their SUMO edges ("900000000000#0", "-900000000001")
// are known for what they are: roads that are not in any extract, with no town and no camera.
// Far above OpenStreetMap's own way ids (1.4 billion in 2025), so a plain extract has none.
inline constexpr int64_t kBridgeWayIdBase = 900'000'000'000;

// Writes the region's OSM XML to outOsm. Ends of two towns within joinMetres of each other are
// joined; an end left over is connected to the nearest road node of another town within
// connectMetres. Throws InputError naming the file for an unreadable extract or a town not in
// the map, and for a town listed twice.
struct BorderRules {
    double joinMetres = kDefaultBorderJoinMetres;
    double connectMetres = kDefaultBorderConnectMetres;
    double bridgeMetres = kDefaultBridgeMetres;  // 0: no stand-in roads
};
RegionOsm buildRegionOsm(const std::vector<TownExtract>& extracts, const TownMap& towns, const std::filesystem::path& outOsm,
                         const BorderRules& rules = {});

// The border table as CSV: kind,town,into_town,road,lat,lon,join_m.
void writeBorderCsv(const RegionOsm& region, const std::filesystem::path& csv);

// The region's SUMO network from the cache, built (OSM, border table beside it, then netconvert)
// when these inputs were not converted before. When the cache cannot be written, builds into
// scratchDir (the caller removes it); without a scratchDir that is an OutputError.
std::filesystem::path cachedRegionNetwork(const std::vector<TownExtract>& extracts, const std::filesystem::path& townsFile,
                                          const std::filesystem::path& scratchDir = {}, const BorderRules& rules = {});

// True for the SUMO edge of a stand-in road (its way id from kBridgeWayIdBase on).
bool isStandInEdge(const std::string& edgeId);

// A digest of everything buildRegionOsm reads, for caching its result.
uint64_t regionInputDigest(const std::vector<TownExtract>& extracts, const std::filesystem::path& townsFile,
                           const BorderRules& rules);

}  // namespace alprsim
