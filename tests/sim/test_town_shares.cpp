// A region's population (sim/town_shares.h, PopulationConfig::Residents::Covered and
// WorkTowns::Gravity): each town contributes the residents of the part the network covers, and
// commuters favour near towns over far ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "sim/population.h"
#include "sim/town_shares.h"
#include "sim/towns.h"
#include "tests/sim/grid_network.h"
#include "tests/support/process.h"

using namespace alprsim;

namespace {

// The grid town (2.4 km square) split into West and East halves at its middle column, and
// Wide: a town four times the grid's area around it whose only roads would be the grid's.
// What reading `file` with `read` throws, as "where what" (the error must name the file), or
// "no error".
template <class Read>
std::string inputErrorOf(const std::string& file, const Read& read) {
    try {
        read(file);
    } catch (const InputError& e) {
        CHECK(e.file() == file);
        return e.where() + " " + e.what();
    }
    return "no error";
}

struct TwoTowns {
    test::GridTown grid{12};  // 2.4 km: the halves' centres lie farther apart than a trip within one
    RoadNetwork network = grid.build();
    TownMap towns;
    // Both towns' residents by the share of each the network covers, at `scale`.
    PopulationConfig regionConfig(double scale) const {
        PopulationConfig c;
        c.towns = {"West", "East"};
        c.scale = scale;
        c.residents = PopulationConfig::Residents::Covered;
        return c;
    }
    TwoTowns() {
        const std::string dir = test::freshDir("town-shares");
        const LatLon lo = grid.at(-0.5, -0.5), hi = grid.at(grid.n - 0.5, grid.n - 0.5);
        const double midLon = grid.at(0, (grid.n - 1) / 2.0).lon;
        auto box = [](const char* name, int pop, double w, double s, double e, double n) {
            std::ostringstream f;
            f.precision(10);
            f << R"({"type":"Feature","properties":{"town":")" << name << R"(","pop2010":)" << pop
              << R"(},"geometry":{"type":"Polygon","coordinates":[[[)" << w << "," << s << "],[" << e << "," << s << "],[" << e
              << "," << n << "],[" << w << "," << n << "],[" << w << "," << s << "]]]}}";
            return f.str();
        };
        std::ofstream(dir + "/towns.geojson")
            << R"({"type":"FeatureCollection","features":[)" << box("WEST", 20000, lo.lon, lo.lat, midLon, hi.lat) << ","
            << box("EAST", 20000, midLon, lo.lat, hi.lon, hi.lat) << "]}";
        towns = TownMap::load(dir + "/towns.geojson");
        attributeTowns(network, towns);
        std::ofstream(dir + "/wide.geojson")
            << R"({"type":"FeatureCollection","features":[)"
            << box("WIDE", 1000, lo.lon, lo.lat, hi.lon + (hi.lon - lo.lon), hi.lat + (hi.lat - lo.lat)) << "]}";
        wide = TownMap::load(dir + "/wide.geojson");
    }
    TownMap wide;
};

}  // namespace

TEST_CASE("A town's covered share is the part of it near the network's roads", "[sim][population][region]") {
    TwoTowns t;
    CHECK(townCoverage(*t.towns.find("West"), t.network).coveredShare > 0.97);
    CHECK(townCoverage(*t.towns.find("East"), t.network).coveredShare > 0.97);
    // Wide's roads: none carry its name, so none of it is covered; named as Wide, the grid's
    // roads cover a quarter of its area plus a 400 m band around them.
    CHECK(townCoverage(*t.wide.find("Wide"), t.network).coveredShare == 0.0);
    RoadNetwork renamed = t.network;
    for (RoadEdge& e : renamed.mutableEdges()) e.town = "Wide";
    const double share = townCoverage(*t.wide.find("Wide"), renamed).coveredShare;
    CHECK(share > 0.3);
    CHECK(share < 0.6);
}

TEST_CASE("The gravity model prefers the nearer of two equal towns, and follows attraction alone at exponent 0",
          "[sim][population][region]") {
    const std::vector<TownPlaces> places = {{{42.30, -71.10}, {42.30, -71.10}, 1.0, 4.0},
                                            {{42.30, -71.05}, {42.30, -71.05}, 1.0, 4.0},
                                            {{42.30, -71.00}, {42.30, -71.00}, 2.0, 4.0}};
    const auto w = gravityWeights(places, 2.0);
    CHECK(w[0][0] > w[0][1]);
    CHECK(w[0][1] > w[0][2]);             // 4 km and twice the attraction lose to 2 km
    CHECK(w[0][0] == Approx(1.0 / 1.0));  // the floor: half the side of 4 km2, 1 km
    CHECK(w[0][1] == Approx(1.0 / std::pow(4.11, 2)).epsilon(0.02));
    const auto flat = gravityWeights(places, 0.0);
    CHECK(flat[0][2] == Approx(2 * flat[0][1]));
}

TEST_CASE("A region's population: residents by covered share, commuters by gravity", "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.2);
    c.workTowns = PopulationConfig::WorkTowns::Gravity;
    c.workOutsideShare = 0;
    const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
    REQUIRE(pop.towns().size() == 2);
    for (const PopulationTown& town : pop.towns()) {
        CHECK(town.coveredShare > 0.97);
        CHECK(town.residents == Approx(20000 * 0.2 * town.coveredShare));
        CHECK(town.residentVehicles == Approx(town.residents * c.vehiclesPerResident).epsilon(0.06));
    }
    // Each half is its own nearest town: the steeper distance decays, the more of West's
    // commuters stay in West (East has more main street, so it wins on attraction alone).
    auto westStays = [&](double exponent) {
        c.gravityExponent = exponent;
        const PopulationTown west = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand").towns()[0];
        REQUIRE(west.worksIn[0] + west.worksIn[1] > 500);
        CHECK(west.worksIn[1] > 0);
        return double(west.worksIn[0]) / (west.worksIn[0] + west.worksIn[1]);
    };
    const double flat = westStays(0), steep = westStays(4);
    CHECK(flat < 0.5);
    CHECK(steep > flat + 0.1);

    c.towns = {"West", "WEST"};
    CHECK_THROWS_WITH(Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand"),
                      Catch::Contains("/demand/towns/1") && Catch::Contains("twice"));
}

namespace {

std::string writeFlows(const std::string& name, const std::string& text) {
    const std::string path = test::freshDir("town-flows-" + name) + "/flows.csv";
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("A flows file replaces the gravity model: commuters go where its workers go", "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.2);
    c.workTowns = PopulationConfig::WorkTowns::Flows;
    c.workOutsideShare = 0;
    // Names as the towns file spells them or not (case), and pairs given in pieces add up.
    c.flowsFile = writeFlows("good", "home_town,work_town,workers\nwest,West,50\nWEST,EAST,600\nWest,East,300\nEast,East,1000\n");
    const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
    const PopulationTown& west = pop.towns()[0];
    const PopulationTown& east = pop.towns()[1];
    REQUIRE(west.worksIn[0] + west.worksIn[1] > 500);
    CHECK(double(west.worksIn[1]) / (west.worksIn[0] + west.worksIn[1]) == Approx(900.0 / 950).margin(0.03));
    CHECK(east.worksIn[0] == 0);  // no flow from East to West
    CHECK(east.worksIn[1] > 500);
}

TEST_CASE("A flows file naming an unknown town, or with a bad count, is named with its line", "[sim][population][region]") {
    TwoTowns t;
    const auto lineOf = [&](const std::string& name, const std::string& text) {
        return inputErrorOf(writeFlows(name, text), [&](const std::string& file) { readTownFlows(file, t.towns); });
    };
    const std::string unknown = lineOf("unknown", "home_town,work_town,workers\nWest,East,10\nWest,Eest,5\n");
    CHECK_THAT(unknown, Catch::StartsWith("line 3 ") && Catch::Contains("'Eest'") && Catch::Contains("work_town"));
    CHECK_THAT(lineOf("negative", "home_town,work_town,workers\nWest,East,-4\n"), Catch::StartsWith("line 2 "));
    CHECK_THAT(lineOf("text", "home_town,work_town,workers\nWest,East,many\n"), Catch::Contains("row 2"));
    CHECK_THAT(lineOf("columns", "home,work,workers\nWest,East,4\n"), Catch::Contains("home_town"));

    // Every town of the region needs workers somewhere in it.
    const std::string file = writeFlows("none-from-east", "home_town,work_town,workers\nWest,East,10\nEast,West,0\n");
    CHECK_THROWS_WITH(flowWeights(readTownFlows(file, t.towns), {"West", "East"}, file), Catch::Contains("East has none"));
}

TEST_CASE("A region's errands go to towns by the gravity model from home, not anywhere on the network",
          "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.2);
    c.workOutsideShare = 0;
    c.throughVehiclesPerResidentVehicle = 0;
    // The share of West residents' errand trips (weekday 0) that end in West.
    auto westErrandsInWest = [&](PopulationConfig::WorkTowns workTowns, double exponent) {
        c.workTowns = workTowns;
        c.gravityExponent = exponent;
        const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
        size_t errands = 0, inWest = 0;
        for (const PlannedTrip& trip : pop.tripsForDay(0)) {
            const PopulationVehicle& v = pop.vehicles()[trip.vehicle];
            if (trip.purpose != "errand" || t.network.edges()[v.home].town != "West") continue;
            ++errands;
            inWest += t.network.edges()[trip.to].town == "West";
        }
        REQUIRE(errands > 500);
        return double(inWest) / errands;
    };
    const double anywhere = westErrandsInWest(PopulationConfig::WorkTowns::Anywhere, 2);
    const double flat = westErrandsInWest(PopulationConfig::WorkTowns::Gravity, 0);
    const double steep = westErrandsInWest(PopulationConfig::WorkTowns::Gravity, 4);
    // Without distance (anywhere, or gravity at exponent 0) West gets its share of the places,
    // under half (East has more main street: measured 0.38); with distance, more stay in West
    // (0.55 at exponent 4 on this small grid, where the halves' centres lie 1.2 km apart).
    CHECK(anywhere == Approx(flat).margin(0.05));
    CHECK(anywhere < 0.5);
    CHECK(steep > anywhere + 0.1);
}

namespace {

const char* kFiguresHeader =
    "town,vehicles_per_resident,workers_per_resident,car_commute_share,workers_per_car,work_outside_share,source\n";

}  // namespace

TEST_CASE("Town figures give each town its own cars, car commuters and work beyond the network", "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.3);
    c.workTowns = PopulationConfig::WorkTowns::Gravity;
    // West: 0.4 cars a resident, 0.5 x 0.4 / 1.0 = 0.2 car commuters (half its cars), none
    // working beyond the network; East: 0.8 cars, 0.5 x 0.96 / 1.2 = 0.4 (half), all beyond.
    c.townFiguresFile = writeFlows(
        "figures", std::string(kFiguresHeader) + "west,0.4,0.5,0.4,1.0,0,\"a source, quoted\"\nEast,0.8,0.5,0.96,1.2,1,\n");
    const std::vector<TownFigures> read = readTownFigures(c.townFiguresFile, t.towns);
    REQUIRE(read.size() == 2);
    CHECK(read[0].town == "West");  // as the towns file spells it, whatever the case in the figures
    CHECK(read[0].commuterShare() == Approx(0.5));
    CHECK(read[1].carCommutersPerResident() == Approx(0.4));

    const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
    const PopulationTown& west = pop.towns()[0];
    const PopulationTown& east = pop.towns()[1];
    CHECK(west.residentVehicles == Approx(west.residents * 0.4).margin(1));
    CHECK(east.residentVehicles == Approx(east.residents * 0.8).margin(1));
    CHECK(double(west.commutingVehicles) / west.residentVehicles == Approx(0.5).margin(0.04));
    CHECK(double(east.commutingVehicles) / east.residentVehicles == Approx(0.5).margin(0.04));
    CHECK(west.workingOutsideVehicles == 0);
    CHECK(east.workingOutsideVehicles == east.commutingVehicles);
    REQUIRE(west.figures);
    CHECK(west.figures->vehiclesPerResident == 0.4);
    // Each car's household lies in its own town.
    for (const PopulationVehicle& v : pop.vehicles())
        if (v.role == VehicleRole::Resident) CHECK(v.homeTown < 2);
    // Deterministic: the same seed gives the same cars.
    const Population again = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
    REQUIRE(again.vehicles().size() == pop.vehicles().size());
    for (size_t i = 0; i < pop.vehicles().size(); ++i) {
        CHECK(again.vehicles()[i].home == pop.vehicles()[i].home);
        CHECK(again.vehicles()[i].commutes == pop.vehicles()[i].commutes);
    }

    // work_outside_share given beside the file replaces its column in every town, and nothing else.
    c.workOutsideShare = 0.5;
    c.workOutsideShareForEveryTown = true;
    const Population half = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
    for (size_t town = 0; town < 2; ++town) {
        const PopulationTown& was = pop.towns()[town];
        const PopulationTown& now = half.towns()[town];
        REQUIRE(now.figures);
        CHECK(now.figures->workOutsideShare == 0.5);
        CHECK(now.residentVehicles == was.residentVehicles);
        CHECK(now.commutingVehicles == was.commutingVehicles);
        CHECK(double(now.workingOutsideVehicles) / now.commutingVehicles == Approx(0.5).margin(0.08));
    }
    c.workOutsideShareForEveryTown = false;

    // A town of the region without a row is named; so is a region not drawn by covered shares.
    c.townFiguresFile = writeFlows("figures-west-only", std::string(kFiguresHeader) + "West,0.4,0.5,0.4,1.0,0,\n");
    CHECK_THROWS_WITH(Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand"), Catch::Contains("East has none"));
    c.residents = PopulationConfig::Residents::Census;
    CHECK_THROWS_WITH(Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand"), Catch::Contains("covered"));
}

TEST_CASE("A town figures file with an unknown town, a bad figure or more commuters than cars is named with its line",
          "[sim][population][region]") {
    TwoTowns t;
    const auto errorOf = [&](const std::string& name, const std::string& rows) {
        return inputErrorOf(writeFlows(name, std::string(kFiguresHeader) + rows),
                            [&](const std::string& file) { readTownFigures(file, t.towns); });
    };
    CHECK_THAT(errorOf("fig-unknown", "West,0.4,0.5,0.4,1,0,\nEest,0.4,0.5,0.4,1,0,\n"),
               Catch::StartsWith("line 3 ") && Catch::Contains("'Eest'"));
    CHECK_THAT(errorOf("fig-twice", "West,0.4,0.5,0.4,1,0,\nWEST,0.4,0.5,0.4,1,0,\n"),
               Catch::StartsWith("line 3 ") && Catch::Contains("twice"));
    CHECK_THAT(errorOf("fig-range", "West,0.4,0.5,1.4,1,0,\n"),
               Catch::StartsWith("line 2, car_commute_share ") && Catch::Contains("'1.4'"));
    CHECK_THAT(errorOf("fig-per-car", "West,0.4,0.5,0.4,0.5,0,\n"), Catch::StartsWith("line 2, workers_per_car "));
    CHECK_THAT(errorOf("fig-empty", "West,,0.5,0.4,1,0,\n"), Catch::StartsWith("line 2, vehicles_per_resident "));
    // 0.9 x 0.9 / 1.0 = 0.81 car commuters a resident with 0.5 cars.
    CHECK_THAT(errorOf("fig-more-commuters", "West,0.5,0.9,0.9,1,0,\n"),
               Catch::StartsWith("line 2 ") && Catch::Contains("at most as many car commuters as cars"));
    const std::string noColumn = test::freshDir("fig-no-column") + "/f.csv";
    std::ofstream(noColumn) << "town,vehicles_per_resident\nWest,0.4\n";
    CHECK_THROWS_WITH(readTownFigures(noColumn, t.towns), Catch::Contains("workers_per_resident"));
}

TEST_CASE("In a region, residents working beyond the network leave it by exits near home", "[sim][population][region]") {
    TwoTowns t;
    const double midLon = t.grid.at(0, (t.grid.n - 1) / 2.0).lon;
    PopulationConfig c = t.regionConfig(0.2);
    c.commuterShare = 1;
    c.workOutsideShare = 1;
    struct Exits {
        double westShareOfWest, westShareOfEast, meanMetres;
    };
    auto exits = [&](PopulationConfig::WorkTowns model) {
        c.workTowns = model;
        const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
        double west[2] = {0, 0}, all[2] = {0, 0}, metres = 0;
        for (const PopulationVehicle& v : pop.vehicles()) {
            if (v.role != VehicleRole::Resident || !v.worksOutside) continue;
            const size_t home = t.network.edges()[v.home].town == "West" ? 0 : 1;
            const LatLon exit = t.network.edges()[v.work].shapeWgs84.back();
            west[home] += exit.lon < midLon;
            all[home] += 1;
            metres += haversineMetres(t.network.midpoint(v.home), exit);
        }
        REQUIRE(all[0] > 300);
        REQUIRE(all[1] > 300);
        return Exits{west[0] / all[0], west[1] / all[1], metres / (all[0] + all[1])};
    };
    const Exits anywhere = exits(PopulationConfig::WorkTowns::Anywhere);
    const Exits gravity = exits(PopulationConfig::WorkTowns::Gravity);
    // By road weight alone, where one lives says nothing about where one leaves.
    CHECK(anywhere.westShareOfWest == Approx(anywhere.westShareOfEast).margin(0.05));
    // By gravity, West's residents leave by West's side more than East's do (most of both by
    // the arterial's stubs, east of the middle: its weight is 40 times a side street's), and
    // nearer home.
    CHECK(gravity.westShareOfWest > 2 * gravity.westShareOfEast);
    CHECK(gravity.meanMetres < 0.85 * anywhere.meanMetres);
}

TEST_CASE("In a region, through traffic leaves by an exit near where it came in, never by the same spot",
          "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.2);
    c.throughVehiclesPerResidentVehicle = 0.5;
    auto crossings = [&](PopulationConfig::WorkTowns model) {
        c.workTowns = model;
        const Population pop = Population::synthesize(c, t.network, t.towns, 5, "test.json", "/demand");
        std::vector<double> metres;
        for (const PopulationVehicle& v : pop.vehicles())
            if (v.role == VehicleRole::Through)
                metres.push_back(
                    haversineMetres(t.network.edges()[v.home].shapeWgs84.front(), t.network.edges()[v.work].shapeWgs84.back()));
        REQUIRE(metres.size() > 500);
        return metres;
    };
    const std::vector<double> anywhere = crossings(PopulationConfig::WorkTowns::Anywhere);
    const std::vector<double> gravity = crossings(PopulationConfig::WorkTowns::Gravity);
    auto meanBeyond = [](const std::vector<double>& m, double from) {
        double sum = 0;
        size_t n = 0;
        for (double d : m)
            if (d >= from) sum += d, ++n;
        return sum / n;
    };
    // By road weight alone a through trip crosses the whole map as often as a corner of it (and
    // leaves by the stub it came in by, most often: an arterial's stub weighs 40 side streets).
    CHECK(meanBeyond(gravity, 499) < 0.85 * meanBeyond(anywhere, 499));
    // Never out where it came in (the equirectangular 500 m of the draw, within 1 m of haversine here).
    CHECK(*std::min_element(gravity.begin(), gravity.end()) >= 499.0);
    CHECK(*std::min_element(anywhere.begin(), anywhere.end()) < 499.0);  // which the test would miss otherwise
}

TEST_CASE("With town figures, a working driver's car runs weekday errands after work, a non-worker's at midday",
          "[sim][population][region]") {
    TwoTowns t;
    PopulationConfig c = t.regionConfig(0.3);
    c.workTowns = PopulationConfig::WorkTowns::Gravity;
    c.throughVehiclesPerResidentVehicle = 0;
    // 0.8 cars a resident, 0.5 x 0.2 / 1 = 0.1 of them commuting; 0.5 x 0.8 = 0.4 workers a
    // resident go another way, in households with a car 0.8 x 0.91 / 0.81 of the time.
    c.townFiguresFile =
        writeFlows("figures-errands", std::string(kFiguresHeader) + "West,0.8,0.5,0.2,1,0,\nEast,0.8,0.5,0.2,1,0,\n");
    const TownFigures west = readTownFigures(c.townFiguresFile, t.towns)[0];
    CHECK(west.workingDriverShare() == Approx(0.4 * (0.8 * 0.91 / 0.81) / 0.7));
    const Population pop = Population::synthesize(c, t.network, t.towns, 9, "test.json", "/demand");
    size_t idle = 0, working = 0;
    for (const PopulationVehicle& v : pop.vehicles()) {
        CHECK_FALSE((v.commutes && v.driverWorks));
        idle += !v.commutes;
        working += v.driverWorks;
    }
    REQUIRE(idle > 1000);
    CHECK(double(working) / idle == Approx(west.workingDriverShare()).margin(0.04));

    size_t workersErrands = 0, othersErrands = 0, othersMidday = 0;
    for (const PlannedTrip& trip : pop.tripsForDay(1)) {  // a Tuesday
        const PopulationVehicle& v = pop.vehicles()[trip.vehicle];
        if (v.commutes || trip.purpose != "errand") continue;
        const double hour = (trip.depart - 86400) / 3600;
        if (v.driverWorks) {
            ++workersErrands;
            CHECK(hour >= v.leaveWorkHour + 0.5);  // once back from work
        } else {
            ++othersErrands;
            othersMidday += hour >= 9 && hour < 15;
        }
    }
    REQUIRE(workersErrands > 300);
    REQUIRE(othersErrands > 300);
    // The survey's persons 66 and over start 58% of their 05:00-21:59 trips at 09:00-14:59
    // (without town figures a first tour starts uniformly from 08:30 to 15:00: 92% of them there).
    CHECK(double(othersMidday) / othersErrands == Approx(0.58).margin(0.05));
}
