// En-route rerouting (`simulation.reroute_period_s`, sim/simulation.h): trips that take another
// way on the road keep their origin and destination, trips.csv records the route each drove
// (a connected path over the network), results.json counts them, and a run repeats byte for
// byte. Through the real CLI: libsumo allows one simulation per process.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/process.h"
#include "tests/support/run_files.h"

using namespace alprsim;
using nlohmann::json;

namespace {

std::string reroutingScenario(const std::string& dir, const std::string& name, double period,
                              const std::string& model = "microscopic", double share = 1.0) {
    // quick.json with twice its cars, so that its busiest roads slow down.
    const std::string base = test::quickScenarioVariant(dir, name + "-base", 600, 1.0);
    const json s = {{"extends", base},
                    {"name", name},
                    {"simulation", {{"reroute_period_s", period}, {"model", model}, {"reroute_share", share}}}};
    const std::string path = dir + "/" + name + ".json";
    std::ofstream(path) << s.dump();
    return path;
}

void run(const std::string& scenario, const std::string& out) {
    const auto r = test::runProcess({test::alprsimBinary(), "run", scenario, "--out", out});
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
}

}  // namespace

TEST_CASE("rerouted trips keep their ends, record the connected route they drove, and repeat", "[e2e][reroute]") {
    const std::string dir = test::freshDir("e2e-reroute");
    const std::string adaptive = reroutingScenario(dir, "adaptive", 60), fixed = reroutingScenario(dir, "fixed", 0);
    for (const auto& [scenario, out] : {std::pair{adaptive, dir + "/a"}, {adaptive, dir + "/a2"}, {fixed, dir + "/f"}})
        run(scenario, out);
    const json a = json::parse(test::readFile(dir + "/a/results.json"));
    const json f = json::parse(test::readFile(dir + "/f/results.json"));
    const size_t rerouted = a["counts"]["trips_rerouted"].get<size_t>();
    CHECK(rerouted > 0);
    CHECK(f["counts"]["trips_rerouted"] == 0);
    CHECK(a["counts"]["reads"].get<int>() > 0);

    const size_t changed = test::checkDrivenRoutes(dir + "/a", dir + "/f");
    CHECK(changed > 0);
    CHECK(changed <= rerouted);  // a trip may come back to its planned route

    for (const char* file : {"results.json", "trips.csv", "reads.sqlite"})
        CHECK(test::readFile(dir + "/a/" + file) == test::readFile(dir + "/a2/" + file));
}

TEST_CASE("mesoscopic rerouted trips record the whole route they drove", "[e2e][reroute][meso]") {
    // SUMO's mesoscopic model starts a new route at the vehicle's edge: the edges driven before
    // it must still be in trips.csv.
    const std::string dir = test::freshDir("e2e-reroute-meso");
    run(reroutingScenario(dir, "adaptive", 60, "mesoscopic"), dir + "/a");
    run(reroutingScenario(dir, "fixed", 0, "mesoscopic"), dir + "/f");
    const json a = json::parse(test::readFile(dir + "/a/results.json"));
    CHECK(a["counts"]["trips_rerouted"].get<int>() > 0);
    CHECK(test::checkDrivenRoutes(dir + "/a", dir + "/f") > 0);
}

TEST_CASE("with a reroute share, only that share of the drivers leave their planned routes", "[e2e][reroute]") {
    // simulation.reroute_share: drivers who follow a navigation app on the way, drawn per trip.
    const std::string dir = test::freshDir("e2e-reroute-share");
    run(reroutingScenario(dir, "all", 60), dir + "/all");
    run(reroutingScenario(dir, "some", 60, "microscopic", 0.3), dir + "/some");
    run(reroutingScenario(dir, "none", 60, "microscopic", 0.0), dir + "/none");
    const auto rerouted = [&](const std::string& out) {
        return json::parse(test::readFile(dir + "/" + out + "/results.json"))["counts"]["trips_rerouted"].get<size_t>();
    };
    const size_t all = rerouted("all"), some = rerouted("some");
    INFO("rerouted: all " << all << ", 30% share " << some);
    CHECK(some > 0);
    CHECK(some < all);
    CHECK(rerouted("none") == 0);
}
