#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "scenarios/scenario.h"
#include "tests/support/text.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {

// A scenario in a scratch folder, with a (dummy) OSM and towns file beside it.
struct ScenarioFixture {
    fs::path dir;
    ScenarioFixture() {
        dir = fs::current_path() / "tmp-scenario";
        fs::create_directories(dir);
        std::ofstream(dir / "tiny.osm") << "<osm/>";
        std::ofstream(dir / "towns.geojson") << R"({"type":"FeatureCollection","features":[]})";
    }
    json valid() const {
        return json::parse(R"({
          "name": "t", "seed": 3,
          "network": {"osm": "tiny.osm", "towns": "towns.geojson"},
          "time": {"start_hour": 7, "duration_hours": 1},
          "demand": {"model": "random-od", "vehicles": 10},
          "cameras": {"agency": "Brookline", "placement": "busiest-edges", "count": 2}
        })");
    }
    Scenario parse(const json& j) const { return parseScenario(j.dump(), dir / "s.json"); }
    // The InputError's where() and message for a scenario that must be rejected.
    std::pair<std::string, std::string> rejection(const json& j) const {
        try {
            parse(j);
        } catch (const InputError& e) {
            CHECK(e.file() == (dir / "s.json").string());
            return {e.where(), e.what()};
        }
        FAIL("scenario was accepted: " << j.dump());
        return {};
    }
};

}  // namespace

TEST_CASE("A valid scenario loads into typed fields", "[scenarios]") {
    ScenarioFixture f;
    const Scenario s = f.parse(f.valid());
    CHECK(s.name == "t");
    CHECK(s.seed == 3);
    CHECK(s.beginSeconds == 7 * 3600);
    CHECK(s.endSeconds == 8 * 3600);
    CHECK(s.demand.model == DemandConfig::Model::RandomOd);
    CHECK(s.demand.vehicles == 10);
    CHECK(s.cameras.placement == CameraPlacement::BusiestEdges);
    CHECK(s.cameras.count == 2);
    CHECK(s.osmFile.filename() == "tiny.osm");
    CHECK_FALSE(s.mesoscopic);
}

TEST_CASE("A missing field is named with its path", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["demand"].erase("vehicles");
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/demand/vehicles");
    CHECK(contains(msg, "required"));
}

TEST_CASE("A wrong type says what was expected and what was found", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["time"]["duration_hours"] = "two";
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/time/duration_hours");
    CHECK(contains(msg, "a number"));
    CHECK(contains(msg, "a string"));
}

TEST_CASE("An unknown key is rejected, listing the known ones", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["cameras"]["cuont"] = 3;
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/cameras/cuont");
    CHECK(contains(msg, "count"));
}

TEST_CASE("A negative count is rejected", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["cameras"]["count"] = -4;
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/cameras/count");
    CHECK(contains(msg, "whole number"));
    CHECK(contains(msg, "-4"));
}

TEST_CASE("An absurd vehicle count is rejected before anything is allocated", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["demand"]["vehicles"] = 1000000000;
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/demand/vehicles");
}

TEST_CASE("A missing OSM file lists where it was looked for", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["network"]["osm"] = "no-such-town.osm";
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/network/osm");
    CHECK(contains(msg, "no-such-town.osm"));
    CHECK(contains(msg, (f.dir / "no-such-town.osm").string()));
}

TEST_CASE("A region lists towns with their extracts, instead of one extract", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["network"].erase("osm");
    j["network"]["region"] =
        json::parse(R"([{"town": "Brookline", "osm": "tiny.osm"}, {"town": "Cambridge", "osm": "tiny.osm"}])");
    const Scenario s = f.parse(j);
    REQUIRE(s.region.size() == 2);
    CHECK(s.region[1].town == "Cambridge");
    CHECK(s.region[1].osm.filename() == "tiny.osm");
    CHECK(s.osmFile.empty());

    j["network"]["osm"] = "tiny.osm";
    CHECK(f.rejection(j).first == "/network");  // both
    j["network"].erase("osm");
    j["network"]["region"][1]["town"] = "BROOKLINE";
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/network/region/1/town");
    CHECK(contains(msg, "twice"));
    j["network"]["region"] = json::array();
    CHECK(f.rejection(j).first == "/network/region");
    j["network"]["region"] = json::parse(R"([{"town": "Brookline"}])");
    CHECK(f.rejection(j).first == "/network/region/0/osm");
}

TEST_CASE("Malformed JSON is reported with the file", "[scenarios]") {
    ScenarioFixture f;
    try {
        parseScenario("{\"name\": ", f.dir / "broken.json");
        FAIL("accepted");
    } catch (const InputError& e) {
        CHECK(e.file() == (f.dir / "broken.json").string());
        CHECK(contains(e.what(), "valid JSON"));
    }
}

TEST_CASE("Camera sites need exactly one way of saying where", "[scenarios]") {
    ScenarioFixture f;
    json j = f.valid();
    j["cameras"] = {{"agency", "Brookline"},
                    {"placement", "list"},
                    {"sites", json::array({{{"edge", "e1"}}, {{"edge", "e2"}, {"lat", 42.3}, {"lon", -71.1}}})}};
    const auto [where, msg] = f.rejection(j);
    CHECK(where == "/cameras/sites/1");
    j["cameras"]["sites"][1].erase("edge");
    const Scenario s = f.parse(j);
    REQUIRE(s.cameras.sites.size() == 2);
    CHECK(*s.cameras.sites[0].edge == "e1");
    CHECK(s.cameras.sites[1].where->lat == 42.3);
    CHECK(s.cameras.sites[1].jsonPath == "/cameras/sites/1");
}

TEST_CASE("The shipped scenarios are valid", "[scenarios]") {
    for (const char* name : {"quick.json", "brookline-baseline.json"}) {
        const Scenario s = loadScenario(fs::path(ALPRSIM_SOURCE_DIR) / "scenarios" / name);
        CHECK_FALSE(s.name.empty());
        CHECK(fs::exists(s.osmFile));
    }
}
