// A region scenario's inputs that name things the record does not know exit 2, naming the
// file and the entry: an agency absent from the agency file, a town-to-town flows file naming
// an unknown town.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {

const char* kBase = R"("seed": 1, "network": {"osm": "ma/roads/boston-allston.osm"},
  "time": {"start_hour": 7, "duration_hours": 1})";

test::ProcessResult runIn(const std::string& dir, const std::string& scenario) {
    std::ofstream(dir + "/s.json") << scenario;
    return test::runProcess({test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"});
}

}  // namespace

TEST_CASE("An agency absent from the agency file exits 2 naming the file and the agency", "[e2e][cli][region]") {
    const std::string dir = test::freshDir("cli-unknown-agency");
    const auto r = runIn(dir, std::string("{\"name\": \"x\", ") + kBase + R"(,
      "demand": {"model": "random-od", "vehicles": 5}, "cameras": {"placement": "agencies"},
      "agencies": {"by_agency": {"Boston": {"fixed": 1}, "Somervile": {"fixed": 1}}}})");
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("alpr-agencies.csv") != std::string::npos);
    CHECK(r.output.find("\"Somervile\"") != std::string::npos);
    CHECK(r.output.find("/agencies/by_agency/Somervile") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
}

TEST_CASE("A flows file naming an unknown town exits 2 naming the file and the line", "[e2e][cli][region]") {
    const std::string dir = test::freshDir("cli-flows-unknown-town");
    std::ofstream(dir + "/flows.csv") << "home_town,work_town,workers\nBoston,Boston,120\nBoston,Bostn,30\n";
    const auto r = runIn(dir, std::string("{\"name\": \"x\", ") + kBase + R"(,
      "demand": {"model": "population", "towns": ["Boston"], "scale": 0.001, "work_towns": "flows", "flows_file": "flows.csv"},
      "cameras": {"agency": "Boston", "placement": "busiest-edges", "count": 1}})");
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("flows.csv") != std::string::npos);
    CHECK(r.output.find("line 3") != std::string::npos);
    CHECK(r.output.find("'Bostn'") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
}

TEST_CASE("Town figures with a region-wide car figure beside them, or a town without a row, exit 2 naming it",
          "[e2e][cli][region]") {
    const std::string dir = test::freshDir("cli-town-figures");
    std::ofstream(dir + "/figures.csv")
        << "town,vehicles_per_resident,workers_per_resident,car_commute_share,workers_per_car,work_outside_share\n"
           "Cambridge,0.6,0.5,0.4,1.09,0.5\n";
    const std::string demand = R"("model": "population", "towns": ["Boston"], "scale": 0.001, "residents": "covered",
      "town_figures": "figures.csv")";
    const std::string cameras = R"("cameras": {"agency": "Boston", "placement": "busiest-edges", "count": 1})";
    auto r = runIn(dir, std::string("{\"name\": \"x\", ") + kBase + ", \"demand\": {" + demand +
                            ", \"vehicles_per_resident\": 0.5}, " + cameras + "}");
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("/demand/vehicles_per_resident") != std::string::npos);
    r = runIn(dir, std::string("{\"name\": \"x\", ") + kBase + ", \"demand\": {" + demand + "}, " + cameras + "}");
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("figures.csv") != std::string::npos);
    CHECK(r.output.find("Boston has none") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
}
