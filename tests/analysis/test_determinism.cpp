// Same input, same bytes: the analysis runs in parallel (over trips, plates, traces and metrics),
// and its output must not depend on how many threads there are or how work was split.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include "analysis/reconstructibility.h"
#include "analysis_fixtures.h"
#include "core/rng.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {

// 1,500 cars driving the straight road east on three mornings, read by three cameras of two
// agencies, 2% of reads misread in one character; enough trips and plates that every parallel
// loop splits its work.
AnalysisData busyRoad() {
    AnalysisDataBuilder b(straightRoad(), "test");
    b.addCamera("west", "Brookline", "s0", 50);
    b.addCamera("middle", "Brookline", "s1", 100);
    b.addCamera("east", "Boston", "s3", 150);
    Rng rng = Rng::stream(5, "determinism");
    const std::vector<std::pair<std::string, double>> cameras = {{"west", 50}, {"middle", 300}, {"east", 750}};
    for (int v = 0; v < 1500; ++v) {
        const std::string id = "car" + std::to_string(v), plate = "P" + std::to_string(10000 + v);
        b.addVehicle(id, plate, v % 3 == 0 ? "s0" : "", v % 5 == 0 ? "s3" : "");
        for (int day = 0; day < 3; ++day) {
            const double depart = day * kDay + 6 * 3600 + rng.uniform(0, 3 * 3600);
            b.addTrip(id + "-" + std::to_string(day), id, depart, depart + 85, {"s0", "s1", "s2", "s3"});
            for (const auto& [camera, metres] : cameras) {
                if (rng.uniform() < 0.2) continue;  // not read
                std::string asRead = plate;
                if (rng.uniform() < 0.02) asRead[1 + rng.below(asRead.size() - 1)] = static_cast<char>('0' + rng.below(10));
                b.addRead(asRead, depart + metres / 10.0, camera, id);
            }
        }
    }
    b.markPopulationKnown();
    return b.finish();
}

std::string analyzedBytes(const AnalysisData& data, size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    AnalysisConfig config;
    config.unicitySampleTraces = 1000;  // a sample, so the sampled path runs too
    const AnalysisOutput out = analyzeData(data, config);
    return out.reconstructibility.dump() + "\n" + out.exampleTrips.dump();
}

}  // namespace

TEST_CASE("the analysis gives the same bytes on one thread as on several") {
    const AnalysisData data = busyRoad();
    REQUIRE(data.trips.size() == 4500);
    const std::string one = analyzedBytes(data, 1);
    CHECK(analyzedBytes(data, 4) == one);
    CHECK(analyzedBytes(data, 2) == one);
    // And the numbers are not trivially empty.
    const nlohmann::json r = nlohmann::json::parse(one.substr(0, one.find('\n')));
    CHECK(r.at("views")[0].at("by_retention").back().at("trips").at("linked").get<size_t>() > 3000);
    CHECK(r.at("views")[0].at("by_retention").back().at("identities").at("phantom_identities").get<size_t>() > 0);
}
