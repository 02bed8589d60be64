#pragma once
// A small synthetic town for tests: a grid of two-way streets (residential inside, a
// secondary arterial through the middle) with stubs leaving it at the border, which end in
// dead ends (the network's fringe, where an extract would cut roads). Built directly as a
// RoadNetwork, so demand can be tested without SUMO.
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include "sim/road_network.h"

namespace alprsim::test {

struct GridTown {
    static constexpr double kLat0 = 42.33, kLon0 = -71.13, kStep = 0.0018;  // ~200 m
    int n = 6;                                                              // n x n junctions

    LatLon at(double i, double j) const { return {kLat0 + i * kStep, kLon0 + j * kStep * 1.35}; }

    RoadNetwork build() const {
        std::vector<RoadEdge> edges;
        std::map<std::string, std::pair<std::string, std::string>> ends;  // edge id -> (from node, to node)
        std::map<std::string, LatLon> node;
        auto nodeId = [](double i, double j) { return std::to_string(int(i * 10)) + ":" + std::to_string(int(j * 10)); };
        auto road = [&](double i1, double j1, double i2, double j2, const std::string& cls, bool deadEndStart) {
            const std::string a = nodeId(i1, j1), b = nodeId(i2, j2);
            node[a] = at(i1, j1);
            node[b] = at(i2, j2);
            for (int dir = 0; dir < 2; ++dir) {
                RoadEdge e;
                const std::string from = dir ? b : a, to = dir ? a : b;
                e.id = (dir ? "-" : "") + a + "_" + b;
                e.length = haversineMetres(node[from], node[to]);
                e.maxSpeed = 13.9;
                e.lanes = cls == "secondary" ? 2 : 1;
                e.roadClass = cls;
                e.shapeWgs84 = {node[from], node[to]};
                e.shape = {{0, 0}, {e.length, 0}};
                e.town = "Gridtown";
                e.fromJunction = from;
                e.toJunction = to;
                e.startsAtDeadEnd = deadEndStart && dir == 0;
                e.endsAtDeadEnd = deadEndStart && dir == 1;
                ends[e.id] = {from, to};
                edges.push_back(e);
            }
        };
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                const std::string cls = (i == n / 2) ? "secondary" : "residential";
                if (j + 1 < n) road(i, j, i, j + 1, cls, false);
                if (i + 1 < n) road(i, j, i + 1, j, j == n / 2 ? "secondary" : "residential", false);
            }
        // Stubs: from a dead end outside the grid into its border junctions.
        for (int k = 0; k < n; ++k) {
            road(-1, k, 0, k, k == n / 2 ? "secondary" : "residential", true);
            road(n, k, n - 1, k, k == n / 2 ? "secondary" : "residential", true);
        }
        std::sort(edges.begin(), edges.end(), [](const RoadEdge& a, const RoadEdge& b) { return a.id < b.id; });
        RoadNetwork net(edges);
        for (RoadEdge& e : net.mutableEdges()) {
            for (const RoadEdge& f : net.edges()) {
                if (f.fromJunction != e.toJunction) continue;
                const bool uTurn = f.toJunction == e.fromJunction;
                if (!uTurn || e.endsAtDeadEnd) e.successors.push_back(net.indexOf(f.id));
            }
            std::sort(e.successors.begin(), e.successors.end());
        }
        return net;
    }

    // The town polygon: the grid itself (the stubs' dead ends lie outside it).
    void writeTownsGeoJson(const std::string& path, int population) const {
        const LatLon lo = at(-0.5, -0.5), hi = at(n - 0.5, n - 0.5);
        std::ofstream out(path);
        out.precision(10);
        out << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"town":"GRIDTOWN","pop2010":)"
            << population << R"(},"geometry":{"type":"Polygon","coordinates":[[)";
        out << "[" << lo.lon << "," << lo.lat << "],[" << hi.lon << "," << lo.lat << "],[" << hi.lon << "," << hi.lat << "],["
            << lo.lon << "," << hi.lat << "],[" << lo.lon << "," << lo.lat << "]]]}}]}";
    }
};

}  // namespace alprsim::test
