// Home and work inference, and unicity, on reads placed by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analysis/adversary_view.h"
#include "analysis/place_inference.h"
#include "analysis/unicity.h"
#include "analysis_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {
ReadsByPlate everythingByPlate(const AnalysisData& d) {
    return ReadsByPlate::group(d,
                               AdversaryView{"pooled", {}, std::numeric_limits<double>::infinity(), d.endTime()}.visibleReads(d));
}
}  // namespace

TEST_CASE("a car read every morning near home gets its home inferred; one read once does not") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);   // 50 m from s0's middle
    b.addCamera("east", "Town", "s3", 150);  // 50 m from s3's middle, 650 m from s0's
    b.addVehicle("daily", "111AA1", "s0");
    b.addVehicle("once", "222BB2", "s0");
    b.addVehicle("elsewhere", "333CC3", "s3");  // lives by s3 but is read every morning at west
    b.addVehicle("commuter", "444DD4", "s0", "s3");
    b.markPopulationKnown();
    for (int day = 0; day < 5; ++day) {
        b.addRead("111AA1", day * kDay + 7.5 * 3600, "west", "daily");
        b.addRead("333CC3", day * kDay + 7.5 * 3600 + 60, "west", "elsewhere");
        b.addRead("444DD4", day * kDay + 7 * 3600, "west", "commuter");
        b.addRead("444DD4", day * kDay + 8 * 3600, "east", "commuter");   // arrives at work
        b.addRead("444DD4", day * kDay + 17 * 3600, "east", "commuter");  // leaves work
        b.addRead("444DD4", day * kDay + 18 * 3600, "west", "commuter");  // home again
    }
    b.addRead("222BB2", 7.5 * 3600, "west", "once");
    const AnalysisData d = b.finish();
    const ReadsByPlate byPlate = everythingByPlate(d);
    const AnalysisConfig config;

    const PlaceCounts home = evaluatePlaces(d, byPlate, PlaceKind::Home, config);
    CHECK(home.available);
    CHECK(home.vehicles == 4);
    CHECK(home.inferred == 3);  // daily, elsewhere, commuter; not once
    CHECK(home.correct == 2);   // daily and commuter
    CHECK(home.wrong == 1);     // elsewhere: inferred 650 m from its home

    const PlaceCounts work = evaluatePlaces(d, byPlate, PlaceKind::Work, config);
    CHECK(work.vehicles == 1);
    CHECK(work.inferred == 1);
    CHECK(work.correct == 1);

    AnalysisDataBuilder noHomes(straightRoad(), "test");  // a population file, but nobody has a home
    noHomes.addCamera("west", "Town", "s0", 50);
    noHomes.addVehicle("daily", "111AA1");
    noHomes.markPopulationKnown();
    noHomes.addRead("111AA1", 7.5 * 3600, "west", "daily");
    const AnalysisData none = noHomes.finish();
    const PlaceCounts noHome = evaluatePlaces(none, everythingByPlate(none), PlaceKind::Home, config);
    CHECK_FALSE(noHome.available);
    CHECK(noHome.toJson().at("reason").get<std::string>().find("home_edge") != std::string::npos);

    AnalysisConfig strict = config;
    strict.minAnchorDays = 6;  // more days than the run has
    CHECK(evaluatePlaces(d, byPlate, PlaceKind::Home, strict).inferred == 0);
}

TEST_CASE("without a population homes are reported as not available") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addVehicle("daily", "111AA1");
    for (int day = 0; day < 3; ++day) b.addRead("111AA1", day * kDay + 7.5 * 3600, "west", "daily");
    const AnalysisData d = b.finish();
    const PlaceCounts home = evaluatePlaces(d, everythingByPlate(d), PlaceKind::Home, AnalysisConfig{});
    CHECK_FALSE(home.available);
    CHECK(home.identitiesWithPlace == 1);
    CHECK(home.toJson().at("available") == false);
    CHECK_FALSE(home.toJson().contains("correct"));
}

TEST_CASE("unicity counts the traces that k points single out") {
    AnalysisDataBuilder b(straightRoad(), "test");
    for (const char* c : {"c0", "c1", "c2"}) b.addCamera(c, "Town", "s1", 10);
    b.addVehicle("a", "AAA111");
    b.addVehicle("b", "BBB222");
    b.addVehicle("c", "CCC333");
    // a and b share both their points; c shares one with them and has one of its own.
    for (const char* plate : {"AAA111", "BBB222"}) {
        b.addRead(plate, 7 * 3600 + 100, "c0", plate[0] == 'A' ? "a" : "b");
        b.addRead(plate, 8 * 3600 + 100, "c1", plate[0] == 'A' ? "a" : "b");
    }
    b.addRead("CCC333", 7 * 3600 + 900, "c0", "c");  // same camera, same hour as a and b
    b.addRead("CCC333", 9 * 3600 + 100, "c2", "c");
    const AnalysisData d = b.finish();
    AnalysisConfig config;
    config.maxUnicityPoints = 3;
    const UnicityCounts u = measureUnicity(d, everythingByPlate(d), config);
    REQUIRE(u.byK.size() == 3);
    CHECK(u.tracesTotal == 3);
    CHECK(u.byK[0].traces == 3);
    CHECK(u.byK[0].unique <= 1);  // only c can be singled out, and only if c2 is drawn
    CHECK(u.byK[1].traces == 3);
    CHECK(u.byK[1].unique == 1);  // c's two points are c's alone; a's are b's too
    CHECK(u.byK[2].traces == 0);
    CHECK(measureUnicity(d, everythingByPlate(d), config).toJson() == u.toJson());  // reproducible

    AnalysisConfig sampled = config;
    sampled.unicitySampleTraces = 2;  // a seeded sample of two of the three traces
    const UnicityCounts s = measureUnicity(d, everythingByPlate(d), sampled);
    CHECK(s.tracesTested == 2);
    CHECK(s.byK[1].traces == 2);
    CHECK(s.byK[1].unique <= 1);

    config.unicityBinSeconds = 86400;  // coarser time: a, b and c all share (c0, day 0)
    CHECK(measureUnicity(d, everythingByPlate(d), config).byK[1].unique == 1);
}
