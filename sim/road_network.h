#pragma once
// The road network as the rest of the pipeline sees it: drivable edges with their length,
// geometry (metres and WGS84), successors and town. Built from the loaded simulation, so it is
// exactly the network SUMO drives on.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.h"

namespace alprsim {

struct Point2 {
    double x = 0.0;  // metres, in the network's projected frame (UTM)
    double y = 0.0;
};

struct RoadEdge {
    std::string id;
    std::string name;       // street name, may be empty
    double length = 0.0;    // metres (of the first lane)
    double maxSpeed = 0.0;  // m/s
    int lanes = 0;
    std::vector<Point2> shape;       // centre line of lane 0, projected
    std::vector<LatLon> shapeWgs84;  // the same points in WGS84
    std::vector<size_t> successors;  // indices of edges reachable across the next junction
    std::string town;                // municipality the edge's midpoint lies in; "" if none
    std::string roadClass;           // OSM highway class: "residential", "primary", ...
    std::string fromJunction;
    std::string toJunction;
    bool startsAtDeadEnd = false;  // the network's fringe: where an extract cut a road
    bool endsAtDeadEnd = false;
};

class RoadNetwork {
public:
    explicit RoadNetwork(std::vector<RoadEdge> edges);

    const std::vector<RoadEdge>& edges() const { return edges_; }
    std::vector<RoadEdge>& mutableEdges() { return edges_; }
    // Index of the edge with this id; throws std::out_of_range if there is none.
    size_t indexOf(const std::string& id) const;
    bool contains(const std::string& id) const { return index_.count(id) != 0; }
    double totalLengthMetres() const;
    // Routes are kept as edge indices (4 bytes an edge, where an id string takes 32 and more);
    // SUMO and the files written for people get the ids.
    // The indices of a route given as edge ids; throws std::out_of_range naming an id not in the network.
    std::vector<uint32_t> edgeIndices(const std::vector<std::string>& route) const;
    std::vector<std::string> edgeIds(const std::vector<uint32_t>& route) const;
    // Length of a route given as edge indices, in metres.
    double routeLengthMetres(const std::vector<uint32_t>& route) const;

    // Point at `offset` metres along an edge (clamped to its length).
    LatLon pointAlong(size_t edge, double offset) const;
    LatLon midpoint(size_t edge) const { return pointAlong(edge, edges_[edge].length / 2); }

private:
    std::vector<RoadEdge> edges_;
    std::unordered_map<std::string, size_t> index_;
};

}  // namespace alprsim
