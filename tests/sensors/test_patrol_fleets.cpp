// Every agency's patrol cars (sensors/patrol.h): each fleet sweeps its own agency's town, its
// cars named by agency and their cameras the agency's, and another agency's fleet added to the
// run leaves a fleet's car ids and routes as they were. The cars as they start their shifts,
// on a hand-built grid of two towns, no SUMO.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.h"
#include "sensors/patrol.h"
#include "tests/sim/grid_network.h"

using namespace alprsim;

namespace {

// A 6 x 6 grid of streets: its western three columns of junctions Westtown, its eastern three
// Easttown, the streets between the two (each edge's town is its midpoint's, as attributeTowns
// sets it) Midtown, which has no fleet. (Where a town's street leads only out of it, the car
// takes the shortest way back: sensors/patrol.h; here every street has a way on inside its town.)
RoadNetwork twoTowns() {
    test::GridTown grid;
    RoadNetwork net = grid.build();
    const double west = grid.at(0, 2.25).lon, east = grid.at(0, 2.75).lon;
    for (size_t e = 0; e < net.edges().size(); ++e) {
        const double lon = net.midpoint(e).lon;
        net.mutableEdges()[e].town = lon < west ? "Westtown" : (lon > east ? "Easttown" : "Midtown");
    }
    return net;
}

AgencyFleet fleetOf(const std::string& agency, size_t cars) {
    return {agency, agency, cars, "s.json", "/agencies/by_agency/" + agency};
}

PatrolConfig byAgency(std::vector<AgencyFleet> fleets) {
    PatrolConfig config;
    config.byAgency = true;
    config.fleets = std::move(fleets);
    return config;
}

constexpr uint64_t kSeed = 17;

}  // namespace

TEST_CASE("Each agency's patrol cars sweep their own town, named and owned by their agency", "[sensors][patrol]") {
    const RoadNetwork net = twoTowns();
    // Easttown's fleet first: its cars come before Westtown's in the run.
    const PatrolFleet fleet(byAgency({fleetOf("Easttown", 1), fleetOf("Westtown", 2)}), net, kSeed, 0.0, 1.0);
    CHECK(fleet.vehicles() == std::vector<std::string>{"easttown-patrol01", "westtown-patrol01", "westtown-patrol02"});
    REQUIRE(fleet.cameras().size() == 3);
    for (size_t car = 0; car < 3; ++car) {
        const std::string agency = car == 0 ? "Easttown" : "Westtown";
        CHECK(fleet.cameras()[car].id == fleet.vehicles()[car]);
        CHECK(fleet.cameras()[car].agency == agency);
        CHECK(fleet.cameras()[car].kind == CameraKind::Patrol);
        // Its first route (a start street and 40 more): every street in its own town.
        REQUIRE(fleet.route(car).size() == 41);
        for (size_t e : fleet.route(car)) CHECK(net.edges()[e].town == agency);
    }
}

TEST_CASE("Another agency's fleet leaves a fleet's car ids and routes as they were", "[sensors][patrol]") {
    const RoadNetwork net = twoTowns();
    const PatrolFleet alone(byAgency({fleetOf("Westtown", 2)}), net, kSeed, 0.0, 1.0);
    const PatrolFleet both(byAgency({fleetOf("Easttown", 2), fleetOf("Westtown", 2)}), net, kSeed, 0.0, 1.0);
    REQUIRE(both.vehicles().size() == 4);
    for (size_t car = 0; car < 2; ++car) {
        CHECK(both.vehicles()[2 + car] == alone.vehicles()[car]);
        CHECK(both.cameras()[2 + car].edge == alone.cameras()[car].edge);
        CHECK(both.route(2 + car) == alone.route(car));
    }
    CHECK(alone.route(0) != alone.route(1));  // each car its own stream
    // Keyed by the fleet's name, not only by the car's number: Easttown's first car does not
    // drive Westtown's first car's draws.
    const PatrolFleet east(byAgency({fleetOf("Easttown", 1)}), net, kSeed, 0.0, 1.0);
    CHECK(east.route(0) == both.route(0));
}

TEST_CASE("Without an agencies section the cars are patrol01, patrol02, ...", "[sensors][patrol]") {
    const RoadNetwork net = twoTowns();
    PatrolConfig config;
    config.fleets = {fleetOf("Westtown", 2)};
    const PatrolFleet fleet(config, net, kSeed, 0.0, 1.0);
    CHECK(fleet.vehicles() == std::vector<std::string>{"patrol01", "patrol02"});
    CHECK(fleet.cameras()[1].agency == "Westtown");
}

TEST_CASE("A fleet whose town has no streets here is a bad input naming its path", "[sensors][patrol]") {
    const RoadNetwork net = twoTowns();
    try {
        const PatrolFleet fleet(byAgency({fleetOf("Westtown", 1), fleetOf("Northtown", 1)}), net, kSeed, 0.0, 1.0);
        FAIL("accepted a town with no streets");
    } catch (const InputError& e) {
        CHECK(std::string(e.where()) == "/agencies/by_agency/Northtown");
        CHECK(std::string(e.what()).find("'Northtown' has none") != std::string::npos);
    }
}
