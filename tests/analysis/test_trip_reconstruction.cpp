// Trip levels, route inference and the adversary's trips, on networks built by hand.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "analysis/adversary_view.h"
#include "analysis/path_inference.h"
#include "analysis/trip_reconstruction.h"
#include "analysis_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {

std::vector<uint32_t> everything(const AnalysisData& d) {
    return AdversaryView{"pooled", {}, std::numeric_limits<double>::infinity(), d.endTime()}.visibleReads(d);
}

TripReconstruction reconstruct(const AnalysisData& d, const AnalysisConfig& config = {}) {
    PathInference paths(d, config);
    return reconstructTrips(d, everything(d), paths, config);
}

// Two routes from a to b of 300 m each (p1 straight, p2 over two 150 m edges) unless p2 is made longer.
AnalysisData parallelPaths(double p2EdgeLength) {
    RoadBuilder r;
    r.edge("a", {0, 0}, {100, 0})
        .edge("p1", {100, 0}, {400, 0})
        .edge("p2a", {100, 0}, {250, 150}, 10.0, p2EdgeLength)
        .edge("p2b", {250, 150}, {400, 0}, 10.0, p2EdgeLength)
        .edge("b", {400, 0}, {500, 0});
    AnalysisDataBuilder b(r.build(), "test");
    b.addCamera("ca", "Town", "a", 50);
    b.addCamera("cb", "Town", "b", 50);
    b.addVehicle("v", "111AA1");
    b.addTrip("t", "v", 1000, 1060, {"a", "p1", "b"});
    b.addRead("111AA1", 1005, "ca", "v");
    b.addRead("111AA1", 1040, "cb", "v");  // 400 m at 10 m/s = 40 s free flow; 35 s is within 1.3x
    return b.finish();
}

}  // namespace

TEST_CASE("a straight road with cameras at both ends reconstructs the whole route") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addCamera("east", "Town", "s3", 150);
    b.addVehicle("v", "123AB4");
    b.addTrip("t", "v", 100, 190, {"s0", "s1", "s2", "s3"});
    b.addRead("123AB4", 105, "west", "v");
    b.addRead("123AB4", 180, "east", "v");  // 700 m in 75 s: plausible at 10 m/s
    const AnalysisData d = b.finish();
    const TripReconstruction r = reconstruct(d);
    const TripOutcome& o = r.outcomes[0];
    CHECK(o.reads == 2);
    CHECK(o.routeCoverage == Approx(1.0));
    CHECK(o.routeReconstructed);
    CHECK(o.endpointsExposed);  // 50 m from the origin's start, 50 m before the destination's end
    CHECK(o.level() == TripLevel::Full);
    CHECK(r.counts.full == 1);
}

TEST_CASE("reads too close in time for the distance do not link a route") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addCamera("east", "Town", "s3", 150);
    b.addVehicle("v", "123AB4");
    b.addTrip("t", "v", 100, 190, {"s0", "s1", "s2", "s3"});
    b.addRead("123AB4", 105, "west", "v");
    b.addRead("123AB4", 110, "east", "v");  // 700 m in 5 s: nobody drives 140 m/s
    const TripOutcome o = reconstruct(b.finish()).outcomes[0];
    CHECK(o.linked());
    CHECK(o.routeCoverage == Approx(0.5));  // only the cameras' own edges s0 and s3
    CHECK_FALSE(o.routeReconstructed);
    CHECK(o.level() == TripLevel::Linked);
}

TEST_CASE("two equally short parallel paths leave the middle unknown") {
    const TripOutcome tied = reconstruct(parallelPaths(150)).outcomes[0];
    CHECK(tied.routeCoverage == Approx(200.0 / 500.0));  // a and b only
    CHECK_FALSE(tied.routeReconstructed);
    // Control: when the detour is twice as long, the straight path is the only likely one.
    const TripOutcome clear = reconstruct(parallelPaths(300)).outcomes[0];
    CHECK(clear.routeCoverage == Approx(1.0));
    CHECK(clear.routeReconstructed);
}

TEST_CASE("the inferred route for the map follows the fastest path") {
    const AnalysisData d = parallelPaths(300);
    AnalysisConfig config;
    PathInference paths(d, config);
    const std::vector<uint32_t> edges = inferredRoute(d, {0, 1}, paths, config);
    REQUIRE(edges.size() == 3);
    CHECK(d.roads.edges()[edges[1]].id == "p1");
}

TEST_CASE("endpoints far from every read are not exposed") {
    RoadBuilder r;
    for (int i = 0; i < 6; ++i) r.edge("e" + std::to_string(i), {400.0 * i, 0}, {400.0 * (i + 1), 0});
    AnalysisDataBuilder b(r.build(), "test");
    b.addCamera("mid", "Town", "e2", 200);  // 1,000 m from the origin's start, 1,400 m from the end
    b.addCamera("mid2", "Town", "e3", 200);
    b.addVehicle("v", "1AB234");
    b.addTrip("t", "v", 0, 300, {"e0", "e1", "e2", "e3", "e4", "e5"});
    b.addRead("1AB234", 100, "mid", "v");
    b.addRead("1AB234", 140, "mid2", "v");
    const TripOutcome o = reconstruct(b.finish()).outcomes[0];
    CHECK(o.linked());
    CHECK_FALSE(o.endpointsExposed);
    CHECK(o.routeCoverage == Approx(800.0 / 2400.0));
}

TEST_CASE("levels are nested and the check catches a broken outcome") {
    AnalysisTrip trip{"t", 0, 10, 20, {0}};
    TripOutcome fine;
    fine.reads = 2;
    fine.routeCoverage = 0.9f;
    fine.routeReconstructed = true;
    CHECK_NOTHROW(checkNesting(fine, trip));
    TripOutcome routeWithOneRead = fine;
    routeWithOneRead.reads = 1;
    CHECK_THROWS_AS(checkNesting(routeWithOneRead, trip), std::logic_error);
    TripOutcome endpointsUnobserved;
    endpointsUnobserved.endpointsExposed = true;
    CHECK_THROWS_AS(checkNesting(endpointsUnobserved, trip), std::logic_error);
}

TEST_CASE("a misread plate splits one vehicle into two identities and the metrics count it") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addCamera("east", "Town", "s3", 150);
    b.addVehicle("v", "123AB4");
    b.addVehicle("w", "777XY7");
    b.addTrip("tv", "v", 100, 200, {"s0", "s1", "s2", "s3"});
    b.addTrip("tw", "w", 100, 200, {"s0", "s1", "s2", "s3"});
    b.addRead("123AB4", 105, "west", "v");
    b.addRead("123A84", 180, "east", "v");  // B read as 8: a phantom plate
    b.addRead("777XY7", 106, "west", "w");
    b.addRead("123AB4", 181, "east", "w");  // w misread as v's plate
    const AnalysisData d = b.finish();
    const std::vector<uint32_t> visible = everything(d);
    const ReadsByPlate byPlate = ReadsByPlate::group(d, visible);
    const IdentityCounts ids = countIdentityErrors(d, byPlate);
    CHECK(ids.reads == 4);
    CHECK(ids.readsMisread == 2);
    CHECK(ids.misreadAsPhantom == 1);
    CHECK(ids.misreadAsOtherVehicle == 1);
    CHECK(ids.identities == 3);
    CHECK(ids.phantomIdentities == 1);
    CHECK(ids.vehiclesSeen == 2);
    CHECK(ids.vehiclesSplit == 2);             // v as 123AB4 and 123A84; w as 777XY7 and 123AB4
    CHECK(ids.identitiesMixingVehicles == 1);  // 123AB4 holds reads of v and w

    const TripReconstruction r = reconstruct(d);
    CHECK(r.outcomes[0].reads == 1);  // only the correctly read one counts for v's trip
    CHECK(r.outcomes[1].reads == 1);
    CHECK(r.counts.linked == 0);

    const InferredTripCounts inferred = splitAndMatchTrips(d, byPlate, r, AnalysisConfig{});
    CHECK(inferred.inferred == 3);      // 123AB4 (v then w), 123A84, 777XY7
    CHECK(inferred.contaminated == 2);  // 123AB4 mixes in w's read; 123A84 is v's read under a false plate
    CHECK(inferred.matched == 1);       // 777XY7 is exactly w's one correct read
    CHECK(inferred.wrongVehicle == 1);  // 123A84: its only read is v's
}

TEST_CASE("the adversary's trips are cut at gaps and matched against the true ones") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addCamera("east", "Town", "s3", 150);
    b.addCamera("eastback", "Town", "r3", 50);
    b.addCamera("westback", "Town", "r0", 150);
    b.addVehicle("v", "123AB4");
    b.addTrip("morning", "v", 7 * 3600, 7 * 3600 + 100, {"s0", "s1", "s2", "s3"});
    b.addTrip("evening", "v", 17 * 3600, 17 * 3600 + 100, {"r3", "r2", "r1", "r0"});
    b.addRead("123AB4", 7 * 3600 + 5, "west", "v");
    b.addRead("123AB4", 7 * 3600 + 80, "east", "v");
    b.addRead("123AB4", 17 * 3600 + 5, "eastback", "v");
    b.addRead("123AB4", 17 * 3600 + 80, "westback", "v");
    const AnalysisData d = b.finish();
    const ReadsByPlate byPlate = ReadsByPlate::group(d, everything(d));
    const TripReconstruction r = reconstruct(d);
    CHECK(r.counts.routeReconstructed == 2);
    const InferredTripCounts split = splitAndMatchTrips(d, byPlate, r, AnalysisConfig{});
    CHECK(split.inferred == 2);
    CHECK(split.matched == 2);
    AnalysisConfig oneLongTrip;
    oneLongTrip.tripGapSeconds = 24 * 3600;
    const InferredTripCounts merged = splitAndMatchTrips(d, byPlate, r, oneLongTrip);
    CHECK(merged.inferred == 1);
    CHECK(merged.merged == 1);
    AnalysisConfig shortGaps;
    shortGaps.tripGapSeconds = 30;
    const InferredTripCounts fragments = splitAndMatchTrips(d, byPlate, r, shortGaps);
    CHECK(fragments.inferred == 4);
    CHECK(fragments.fragments == 4);
}

TEST_CASE("retention of 3 minutes leaves nothing to link") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Town", "s0", 50);
    b.addCamera("east", "Town", "s3", 150);
    b.addVehicle("v", "123AB4");
    b.addTrip("t1", "v", 1000, 2000, {"s0", "s1", "s2", "s3"});
    b.addTrip("t2", "v", 5000, 6000, {"s0", "s1", "s2", "s3"});
    b.addRead("123AB4", 1010, "west", "v");
    b.addRead("123AB4", 1500, "east", "v");
    b.addRead("123AB4", 5010, "west", "v");
    b.addRead("123AB4", 5500, "east", "v");  // reads of a trip are minutes apart
    const AnalysisData d = b.finish();
    AnalysisConfig config;
    PathInference paths(d, config);
    for (double audit : {1500.0, 5500.0, 6000.0, 9000.0}) {
        const std::vector<uint32_t> visible = AdversaryView{"pooled", {}, 180.0, audit}.visibleReads(d);
        CHECK(visible.size() <= 1);
        CHECK(reconstructTrips(d, visible, paths, config).counts.linked == 0);
    }
    const auto forever = AdversaryView{"pooled", {}, std::numeric_limits<double>::infinity(), 6000}.visibleReads(d);
    CHECK(reconstructTrips(d, forever, paths, config).counts.linked == 2);
    // At 5,500 s with 1 hour kept, the second trip is linked and the first is gone.
    const auto hour = AdversaryView{"pooled", {}, 3600.0, 5500}.visibleReads(d);
    const TripReconstruction r = reconstructTrips(d, hour, paths, config);
    CHECK(r.outcomes[0].reads == 0);
    CHECK(r.outcomes[1].reads == 2);
}

TEST_CASE("a local view holds only its own agency's reads") {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Brookline", "s0", 50);
    b.addCamera("east", "Boston", "s3", 150);
    b.addVehicle("v", "123AB4");
    b.addTrip("t", "v", 100, 200, {"s0", "s1", "s2", "s3"});
    b.addRead("123AB4", 105, "west", "v");
    b.addRead("123AB4", 180, "east", "v");
    const AnalysisData d = b.finish();
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(AdversaryView{"local:Boston", {"Boston"}, inf, 200}.visibleReads(d) == std::vector<uint32_t>{1});
    CHECK(AdversaryView{"pooled", {}, inf, 200}.visibleReads(d).size() == 2);
    CHECK(d.agencies() == std::vector<std::string>{"Boston", "Brookline"});
}
