// Route assignment under congestion (sim/route_assignment.h), on a real network through SUMO's
// router, and the routed day plans of a population (sim/demand.h). Its own executable: libsumo
// allows one simulation per process, which the tests share.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/files.h"
#include "sim/demand.h"
#include "sim/net_file.h"
#include "sim/net_import.h"
#include "sim/road_network.h"
#include "sim/route_assignment.h"
#include "sim/simulation.h"
#include "sim/towns.h"

using namespace alprsim;

namespace {

// Every consecutive pair of edges in a route is joined by a junction.
bool connected(const std::vector<uint32_t>& route, const RoadNetwork& roads) {
    for (size_t i = 0; i + 1 < route.size(); ++i) {
        const auto& next = roads.edges().at(route[i]).successors;
        if (std::find(next.begin(), next.end(), route[i + 1]) == next.end()) return false;
    }
    return !route.empty();
}

const fs::path& allstonNetwork() {
    static const fs::path net = [] {
        const fs::path osm = findDataFile("ma/roads/boston-allston.osm", dataSearchPath("."));
        if (osm.empty()) throw std::runtime_error("ma/roads/boston-allston.osm is not on the data path");
        return cachedNetwork(osm);
    }();
    return net;
}

// The one simulation of the process, of Harvard Square and Allston; mesoscopic, where vehicles
// scheduled for later are held back (Simulation::addVehicle).
Simulation& allston() {
    static Simulation sim([] {
        SimulationConfig config;
        config.network = allstonNetwork();
        config.model = TrafficModel::Mesoscopic;
        return config;
    }());
    return sim;
}

}  // namespace

TEST_CASE("Trips through an overloaded street are partly rerouted, loads fall, and empty-road routes stay as they were",
          "[sim][assignment]") {
    Simulation& sim = allston();
    const RoadNetwork roads = sim.roadNetwork();

    // Trips across the map, from the five westmost edges to the five eastmost ones that are
    // reachable from them.
    std::vector<size_t> byX(roads.edges().size());
    for (size_t i = 0; i < byX.size(); ++i) byX[i] = i;
    std::sort(byX.begin(), byX.end(),
              [&](size_t a, size_t b) { return roads.edges()[a].shape.front().x < roads.edges()[b].shape.front().x; });
    std::vector<std::vector<std::string>> freeFlow;
    for (size_t w = 0; w < byX.size() / 4 && freeFlow.size() < 25; ++w)
        for (size_t e = byX.size() - 1; e > byX.size() * 3 / 4 && freeFlow.size() < 25; --e)
            if (auto r = sim.routes().fastest(roads.edges()[byX[w]].id, roads.edges()[byX[e]].id); r.size() >= 10)
                freeFlow.push_back(r);
    REQUIRE(freeFlow.size() == 25);

    // 4,000 cars in one morning hour: far past the capacity of the streets they share.
    std::vector<TripPlan> plans;
    for (int i = 0; i < 4000; ++i) {
        TripPlan p;
        p.trip = "t" + std::to_string(i);
        p.vehicle = p.trip;
        p.plannedDepart = 7 * 3600.0 + i * 0.9;
        p.route = roads.edgeIndices(freeFlow[i % freeFlow.size()]);
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

    // The same trips again give the same routes, and so on one thread or on several; SUMO's
    // empty-road route is untouched.
    for (unsigned threads : {1u, 3u}) {
        std::vector<TripPlan> again = before;
        RouteAssignmentConfig config;
        config.threads = threads;
        const RouteAssignmentStats same = assignRoutes(again, roads, config);
        CHECK(same.rerouted == stats.rerouted);
        for (size_t i = 0; i < plans.size(); ++i) {
            CHECK(again[i].route == plans[i].route);
            CHECK(again[i].routeLength == plans[i].routeLength);
        }
    }
    CHECK(sim.routes().fastest(roads.edges()[before[0].route.front()].id, roads.edges()[before[0].route.back()].id) ==
          freeFlow[0]);
}

TEST_CASE("A day's routed plans do not depend on the days planned before it, nor on the threads planning it",
          "[sim][assignment][demand]") {
    Simulation& sim = allston();
    const fs::path townsFile = findDataFile("ma/towns.geojson", dataSearchPath("."));
    REQUIRE(!townsFile.empty());
    const TownMap towns = TownMap::load(townsFile);
    const RoadNetwork roads = loadRoads(sim, allstonNetwork(), towns);
    std::map<std::string, size_t> edgesByTown;
    for (const RoadEdge& e : roads.edges())
        if (!e.town.empty()) ++edgesByTown[e.town];
    REQUIRE(!edgesByTown.empty());
    const auto town = std::max_element(edgesByTown.begin(), edgesByTown.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });

    DemandConfig demand;
    demand.model = DemandConfig::Model::Population;
    demand.population.towns = {town->first};
    demand.population.scale = 0.3;
    auto planner = [&](unsigned threads) {
        auto p = std::make_unique<TripPlanner>(demand, roads, towns, 5, 0.0, 3 * 86400.0);
        p->setThreads(threads);
        return p;
    };
    auto same = [](const std::vector<TripPlan>& a, const std::vector<TripPlan>& b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (a[i].trip != b[i].trip || a[i].plannedDepart != b[i].plannedDepart || a[i].route != b[i].route ||
                a[i].routeLength != b[i].routeLength)
                return false;
        return true;
    };
    const auto inOrder = planner(1);
    std::vector<std::vector<TripPlan>> days;
    for (uint32_t d = 0; d < 3; ++d) days.push_back(inOrder->planDay(d, sim.routes()));
    INFO(town->first << ": " << days[2].size() << " trips on day 2, " << inOrder->reroutedTrips() << " rerouted in 3 days");
    REQUIRE(days[2].size() > 1000);
    CHECK(inOrder->reroutedTrips() > 0);  // the assignment's searches were made

    const auto alone = planner(3);  // day 2 first, then day 0, on three threads
    CHECK(same(alone->planDay(2, sim.routes()), days[2]));
    CHECK(same(alone->planDay(0, sim.routes()), days[0]));
    CHECK(alone->reroutedTrips() < inOrder->reroutedTrips());
}

TEST_CASE("A vehicle scheduled for later is counted as remaining at once and departs at its time", "[sim]") {
    Simulation& sim = allston();
    const RoadNetwork roads = sim.roadNetwork();
    std::vector<std::string> route;
    for (size_t e = 0; e < roads.edges().size() && route.size() < 3; ++e)
        route = sim.routes().fastest(roads.edges()[e].id, roads.edges()[roads.edges().size() - 1 - e].id);
    REQUIRE(route.size() >= 3);
    const double now = sim.time();
    const int before = sim.vehiclesRemaining();
    // Added in this order: the later one is held back (Simulation::kHandOverSeconds), the
    // sooner one reaches SUMO at once, and both count as remaining.
    sim.addVehicle("handover-later", route, now + 600.5, RouteChoice::AsGiven);
    sim.addVehicle("handover-soon", route, now + 5, RouteChoice::AsGiven);
    CHECK(sim.vehiclesRemaining() == before + 2);
    std::map<std::string, double> departed;
    while (departed.size() < 2 && sim.time() < now + 900) {
        sim.step();
        for (const std::string& id : sim.lastStep().departed) departed[id] = sim.time();
    }
    REQUIRE(departed.size() == 2);
    CHECK(departed["handover-soon"] == Approx(now + 5).margin(1.0));
    CHECK(departed["handover-later"] == Approx(now + 601).margin(1.0));  // the first step at or after 600.5
}
