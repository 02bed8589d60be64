#pragma once
// What the SUMO network file says about roads that libsumo does not expose in 1.15: each
// edge's road class (OSM highway tag) and its junctions, from which dead ends follow. Demand
// needs road classes (homes on residential streets, work on arterials) and the network's
// fringe (where through traffic enters and leaves).
#include <filesystem>
#include <string>
#include <unordered_map>

namespace alprsim {

struct NetEdgeAttributes {
    std::string fromJunction;
    std::string toJunction;
    std::string roadClass;  // "residential", "primary", ... ("" if the net has no OSM type)
};

struct NetFileAttributes {
    std::unordered_map<std::string, NetEdgeAttributes> edges;  // non-internal edges
};

// Reads a .net.xml or .net.xml.gz (with pugixml); throws InputError naming the file, the line
// and what is wrong if it cannot.
NetFileAttributes readNetFileAttributes(const std::filesystem::path& netFile);

class RoadNetwork;
class Simulation;
class TownMap;
// Copies road class and junctions into the network's edges (edges missing from the file keep
// empty values).
void applyNetFileAttributes(RoadNetwork& network, const NetFileAttributes& attributes);

// The simulation's roads as every run uses them: with what SUMO does not hand over (from its
// net file `netFile`) and their towns.
RoadNetwork loadRoads(const Simulation& sim, const std::filesystem::path& netFile, const TownMap& towns);

}  // namespace alprsim
