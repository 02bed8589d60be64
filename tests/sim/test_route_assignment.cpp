// Route assignment under congestion (sim/route_assignment.h), on a real network through SUMO's
// router. Its own executable: libsumo allows one simulation per process.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/files.h"
#include "sim/net_import.h"
#include "sim/road_network.h"
#include "sim/route_assignment.h"
#include "sim/simulation.h"

using namespace alprsim;

namespace {

// Every consecutive pair of edges in a route is joined by a junction.
bool connected(const std::vector<std::string>& route, const RoadNetwork& roads) {
    for (size_t i = 0; i + 1 < route.size(); ++i) {
        const auto& next = roads.edges()[roads.indexOf(route[i])].successors;
        if (std::find(next.begin(), next.end(), roads.indexOf(route[i + 1])) == next.end()) return false;
    }
    return !route.empty();
}

}  // namespace

TEST_CASE("Trips through an overloaded street are partly rerouted, loads fall, and empty-road routes stay as they were",
          "[sim][assignment]") {
    const fs::path osm = findDataFile("ma/roads/boston-allston.osm", dataSearchPath("."));
    REQUIRE(!osm.empty());
    SimulationConfig config;
    config.network = cachedNetwork(osm);
    Simulation sim(config);
    const RoadNetwork roads = sim.roadNetwork();

    // Trips across the map, from the five westmost edges to the five eastmost ones that are
    // reachable from them.
    std::vector<size_t> byX(roads.edges().size());
    for (size_t i = 0; i < byX.size(); ++i) byX[i] = i;
    std::sort(byX.begin(), byX.end(), [&](size_t a, size_t b) { return roads.edges()[a].shape.front().x < roads.edges()[b].shape.front().x; });
    std::vector<std::vector<std::string>> freeFlow;
    for (size_t w = 0; w < byX.size() / 4 && freeFlow.size() < 25; ++w)
        for (size_t e = byX.size() - 1; e > byX.size() * 3 / 4 && freeFlow.size() < 25; --e)
            if (auto r = sim.fastestRoute(roads.edges()[byX[w]].id, roads.edges()[byX[e]].id); r.size() >= 10) freeFlow.push_back(r);
    REQUIRE(freeFlow.size() == 25);

    // 4,000 cars in one morning hour: far past the capacity of the streets they share.
    std::vector<TripPlan> plans;
    for (int i = 0; i < 4000; ++i) {
        TripPlan p;
        p.trip = "t" + std::to_string(i);
        p.vehicle = p.trip;
        p.plannedDepart = 7 * 3600.0 + i * 0.9;
        p.route = freeFlow[i % freeFlow.size()];
        p.routeLength = roads.routeLengthMetres(p.route);
        plans.push_back(p);
    }
    const std::vector<TripPlan> before = plans;
    const RouteAssignmentStats stats = assignRoutes(plans, roads);
    INFO("rerouted " << stats.rerouted << ", vehicles beyond capacity " << stats.excessBefore << " -> " << stats.excessAfter);
    CHECK(stats.excessBefore > 1000);
    CHECK(stats.rerouted > 300);
    CHECK(stats.excessAfter < 0.8 * stats.excessBefore);
    size_t changed = 0;
    for (size_t i = 0; i < plans.size(); ++i) {
        CHECK(plans[i].route.front() == before[i].route.front());
        CHECK(plans[i].route.back() == before[i].route.back());
        CHECK(connected(plans[i].route, roads));
        changed += plans[i].route != before[i].route;
    }
    CHECK(changed > 300);
    CHECK(changed < plans.size());  // most drivers still find the direct route the best

    // The same trips again give the same routes; SUMO's empty-road route is untouched.
    std::vector<TripPlan> again = before;
    assignRoutes(again, roads);
    for (size_t i = 0; i < plans.size(); ++i) CHECK(again[i].route == plans[i].route);
    CHECK(sim.fastestRoute(before[0].route.front(), before[0].route.back()) == freeFlow[0]);
}
