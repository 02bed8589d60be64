// What a view gives away about each town's residents (analysis/home_towns.h): trips, homes and
// work places counted by the town of the driver's home, through traffic apart.
#include <catch2/catch.hpp>

#include "analysis/home_towns.h"
#include "analysis/reconstructibility.h"
#include "analysis_fixtures.h"
#include "store/retention.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {

// The straight road with s0, s1 in Brookline and s2, s3 in Boston; the reverse edges in no town.
RoadNetwork twoTownRoad() {
    RoadNetwork roads = straightRoad();
    for (RoadEdge& e : roads.mutableEdges())
        e.town = e.id == "s0" || e.id == "s1" ? "Brookline" : e.id == "s2" || e.id == "s3" ? "Boston" : "";
    return roads;
}

// A Brookline commuter read every weekday morning at home and at work; a Boston resident read
// once; a car with no home (through traffic) read once; a Boston resident never read.
AnalysisData commuters(bool populationKnown) {
    AnalysisDataBuilder b(twoTownRoad(), "test");
    b.addCamera("west", "Brookline", "s0", 50);
    b.addCamera("east", "Boston", "s3", 150);
    b.addVehicle("brk", "111AA1", "s0", "s3");
    b.addVehicle("bos", "222BB2", "s3");
    b.addVehicle("through", "333CC3");
    b.addVehicle("unseen", "444DD4", "s2");
    if (populationKnown) b.markPopulationKnown();
    for (int day = 0; day < 3; ++day) {
        const double t = day * kDay;
        b.addTrip("brk-am" + std::to_string(day), "brk", t + 7 * 3600 - 30, t + 8 * 3600 + 30, {"s0", "s1", "s2", "s3"});
        b.addTrip("brk-pm" + std::to_string(day), "brk", t + 17 * 3600 - 30, t + 18 * 3600 + 30, {"r3", "r2", "r1", "r0"});
        b.addRead("111AA1", t + 7 * 3600, "west", "brk");
        b.addRead("111AA1", t + 8 * 3600, "east", "brk");
        b.addRead("111AA1", t + 17 * 3600, "east", "brk");
        b.addRead("111AA1", t + 18 * 3600, "west", "brk");
    }
    b.addTrip("bos-1", "bos", 9 * 3600, 9 * 3600 + 100, {"s3"});
    b.addRead("222BB2", 9 * 3600 + 50, "east", "bos");
    b.addTrip("through-1", "through", 10 * 3600, 10 * 3600 + 100, {"s0"});
    b.addRead("333CC3", 10 * 3600 + 50, "west", "through");
    b.addTrip("unseen-1", "unseen", 11 * 3600, 11 * 3600 + 100, {"s2"});
    return b.finish();
}

const nlohmann::json& foreverAllReads(const nlohmann::json& reconstructibility) {
    const nlohmann::json& pooled = reconstructibility.at("views").at(0);
    REQUIRE(pooled.at("view") == "pooled");
    return pooled.at("by_retention").back();
}

}  // namespace

TEST_CASE("Reconstruction is broken down by the driver's home town", "[analysis][region]") {
    AnalysisConfig config;
    config.retentions = {RetentionPolicy::kForever};
    const AnalysisData data = commuters(true);
    const AnalysisOutput output = analyzeData(data, config);
    const nlohmann::json& view = foreverAllReads(output.reconstructibility);
    const nlohmann::json& towns = view.at("by_home_town");
    REQUIRE(towns.size() == 3);  // Boston, Brookline, and the car with no home

    const nlohmann::json& brookline = towns.at("Brookline");
    CHECK(brookline.at("vehicles") == 1);
    CHECK(brookline.at("trips").at("departed") == 6);
    CHECK(brookline.at("trips").at("linked") == 6);
    CHECK(brookline.at("homes") == nlohmann::json{{"vehicles", 1}, {"found", 1}});
    CHECK(brookline.at("work") == nlohmann::json{{"vehicles", 1}, {"found", 1}});

    const nlohmann::json& boston = towns.at("Boston");
    CHECK(boston.at("vehicles") == 2);
    CHECK(boston.at("trips").at("departed") == 2);
    CHECK(boston.at("trips").at("observed") == 1);
    CHECK(boston.at("trips").at("linked") == 0);
    CHECK(boston.at("homes") == nlohmann::json{{"vehicles", 2}, {"found", 0}});  // one read is no anchor on two days

    const nlohmann::json& outside = towns.at(kNoHomeTown);
    CHECK(outside.at("vehicles") == 1);
    CHECK(outside.at("trips").at("observed") == 1);
    CHECK(outside.at("homes").at("vehicles") == 0);

    // The towns' figures add up to the view's.
    size_t departed = 0, observed = 0, homesFound = 0;
    for (const auto& [town, f] : towns.items()) {
        departed += f.at("trips").at("departed").get<size_t>();
        observed += f.at("trips").at("observed").get<size_t>();
        homesFound += f.at("homes").at("found").get<size_t>();
    }
    CHECK(departed == view.at("trips").at("departed").get<size_t>());
    CHECK(observed == view.at("trips").at("observed").get<size_t>());
    CHECK(homesFound == view.at("home").at("correct").get<size_t>());
}

TEST_CASE("Without a population there is no breakdown by home town", "[analysis][region]") {
    AnalysisConfig config;
    config.retentions = {RetentionPolicy::kForever};
    const AnalysisOutput output = analyzeData(commuters(false), config);
    CHECK_FALSE(foreverAllReads(output.reconstructibility).contains("by_home_town"));
}
