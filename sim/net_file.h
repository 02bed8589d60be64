#pragma once
// What the SUMO network file says about roads that libsumo does not expose in 1.15: each
// edge's road class (OSM highway tag), its junctions, and which junctions are dead ends.
// Demand needs road classes (homes on residential streets, work on arterials) and the
// network's fringe (where through traffic enters and leaves).
#include <filesystem>
#include <string>
#include <unordered_map>

namespace alprsim {

struct NetEdgeAttributes {
    std::string fromJunction;
    std::string toJunction;
    std::string roadClass;  // "residential", "primary", ... ("" if the net has no OSM type)
    int priority = 0;
};

struct NetJunction {
    std::string type;  // "priority", "traffic_light", "dead_end", ...
    double x = 0.0;
    double y = 0.0;
};

struct NetFileAttributes {
    std::unordered_map<std::string, NetEdgeAttributes> edges;  // non-internal edges
    std::unordered_map<std::string, NetJunction> junctions;
};

// Reads a .net.xml or .net.xml.gz; throws InputError naming the file if it cannot.
NetFileAttributes readNetFileAttributes(const std::filesystem::path& netFile);

class RoadNetwork;
// Copies road class and junctions into the network's edges (edges missing from the file keep
// empty values).
void applyNetFileAttributes(RoadNetwork& network, const NetFileAttributes& attributes);

}  // namespace alprsim
