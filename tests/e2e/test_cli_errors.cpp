#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
test::ProcessResult runScenarioText(const std::string& name, const std::string& text) {
    const std::string dir = test::freshDir("cli-" + name);
    std::ofstream(dir + "/s.json") << text;
    return test::runProcess({test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"});
}
const char* kValid = R"({"name": "x", "seed": 1, "network": {"osm": "ma/roads/boston-allston.osm"},
  "time": {"start_hour": 7, "duration_hours": 1}, "demand": {"model": "random-od", "vehicles": 5},
  "cameras": {"agency": "Boston", "placement": "busiest-edges", "count": COUNT}})";
std::string withCount(const std::string& count) {
    std::string s = kValid;
    s.replace(s.find("COUNT"), 5, count);
    return s;
}
}  // namespace

TEST_CASE("Bad scenarios exit 2 naming the file and the field", "[e2e][cli]") {
    const auto negative = runScenarioText("negative", withCount("-1"));
    CHECK(negative.exitCode == 2);
    CHECK(negative.output.find("s.json") != std::string::npos);
    CHECK(negative.output.find("/cameras/count") != std::string::npos);

    const auto notJson = runScenarioText("notjson", "{ name: ");
    CHECK(notJson.exitCode == 2);
    CHECK(notJson.output.find("valid JSON") != std::string::npos);

    const auto missing = test::runProcess({test::alprsimBinary(), "run", "/no/such/scenario.json", "--out", "/tmp/x"});
    CHECK(missing.exitCode == 2);
    CHECK(missing.output.find("/no/such/scenario.json") != std::string::npos);
}

TEST_CASE("More cameras than the network has edges is bad input, and leaves no output", "[e2e][cli]") {
    const auto r = runScenarioText("toomany", withCount("99999"));
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("/cameras/count") != std::string::npos);
    CHECK(r.output.find("at most") != std::string::npos);
    CHECK_FALSE(fs::exists(fs::current_path() / "tmp-cli-toomany" / "out"));
}

TEST_CASE("Every subcommand has --help", "[e2e][cli]") {
    for (const char* sub : {"run", "import-net"}) {
        const auto r = test::runProcess({test::alprsimBinary(), sub, "--help"});
        CHECK(r.exitCode == 0);
        CHECK(r.output.find("Usage") != std::string::npos);
    }
    const auto none = test::runProcess({test::alprsimBinary()});
    CHECK(none.exitCode == 2);
}
