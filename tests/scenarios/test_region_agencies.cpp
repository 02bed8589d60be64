// The "agencies" section (scenarios/region_agencies.h): each agency's program from the agency
// file, its cameras and sharing, turned into the scenario's placement and stores; an agency the
// file does not list is an error naming the file and the entry.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "run_folder/run_results.h"
#include "scenarios/scenario.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A scenario with an agencies section in a scratch folder, with its own agency file beside it.
struct AgenciesFixture {
    fs::path dir = fs::current_path() / "tmp-region-agencies";
    AgenciesFixture() {
        fs::create_directories(dir);
        std::ofstream(dir / "tiny.osm") << "<osm/>";
        std::ofstream(dir / "towns.geojson") << R"({"type":"FeatureCollection","features":[]})";
        std::ofstream(dir / "agencies.csv") << "agency,program,note\n"
                                               "Brookline,state-grant-2011,\"opted out of the state-funded program in 2011\"\n"
                                               "Newton,state-grant-2011,\n"
                                               "Boston,independent-purchase,\n"
                                               "Malden,state-grant-2011,\n"
                                               "Malden,independent-purchase,\n";
    }
    json valid() const {
        return json::parse(R"({
          "name": "t", "seed": 3,
          "network": {"osm": "tiny.osm", "towns": "towns.geojson"},
          "time": {"start_hour": 7, "duration_hours": 1},
          "demand": {"model": "random-od", "vehicles": 10},
          "cameras": {"placement": "agencies", "min_spacing_m": 100},
          "agencies": {"file": "agencies.csv", "min_spacing_m": 300, "by_agency": {
            "Brookline": {},
            "Newton": {"fixed": 3},
            "Boston": {"fixed": 4, "patrol": 2, "sharing": {"agreement": ["Cambridge", "Newton"]}},
            "Cambridge": {"program": "none", "fixed": 2, "sharing": "pooled"},
            "Malden": {"fixed": 1}}}
        })");
    }
    Scenario parse(const json& j) const { return parseScenario(j.dump(), dir / "s.json"); }
    InputError rejection(const json& j) const {
        try {
            parse(j);
        } catch (const InputError& e) {
            return e;
        }
        FAIL("scenario was accepted: " << j.dump());
        throw std::logic_error("unreachable");
    }
};

const RegionAgency& agency(const Scenario& s, const std::string& name) {
    for (const RegionAgency& a : s.agencies->agencies)
        if (a.name == name) return a;
    throw std::logic_error("no agency " + name);
}

}  // namespace

TEST_CASE("Agencies take their programs from the agency file, their cameras and sharing from the scenario",
          "[scenarios][agencies]") {
    const AgenciesFixture f;
    const Scenario s = f.parse(f.valid());
    REQUIRE(s.agencies);
    CHECK(agency(s, "Brookline").program == "opted-out");
    CHECK(agency(s, "Newton").program == "state-grant-2011");
    CHECK(agency(s, "Boston").program == "independent-purchase");
    CHECK(agency(s, "Malden").program == "state-grant-2011+independent-purchase");
    CHECK(agency(s, "Cambridge").program == "none");
    CHECK(agency(s, "Cambridge").programSource == "scenario");
    CHECK(agency(s, "Boston").programSource == "agencies.csv");
    // Unless the scenario says: a state grant pools (CJIS), everyone else keeps its reads.
    CHECK(agency(s, "Newton").sharing == RegionAgency::Sharing::Pooled);
    CHECK(agency(s, "Malden").sharing == RegionAgency::Sharing::Pooled);
    CHECK(agency(s, "Brookline").sharing == RegionAgency::Sharing::Local);
    CHECK(agency(s, "Boston").sharing == RegionAgency::Sharing::Agreement);

    // The cameras: each agency's fixed sites in its own town, the patrol cars in Boston's.
    CHECK(s.cameras.placement == CameraPlacement::Agencies);
    CHECK(s.cameras.count == 10);
    CHECK(s.cameras.request.minSpacingMetres == 300);  // the agencies section's, over the cameras'
    size_t quotas = 0;
    for (const AgencyQuota& q : s.cameras.request.quotas) {
        CHECK(q.town == q.agency);
        CHECK(q.count == agency(s, q.agency).fixed);
        CHECK(q.jsonPath == "/agencies/by_agency/" + q.agency);
        quotas += q.count;
    }
    CHECK(quotas == 10);
    REQUIRE(s.cameras.patrol.fleets.size() == 1);
    const AgencyFleet& boston = s.cameras.patrol.fleets[0];
    CHECK(boston.agency == "Boston");
    CHECK(boston.town == "Boston");
    CHECK(boston.cars == 2);
    CHECK(boston.townPath == "/agencies/by_agency/Boston");
    CHECK(s.cameras.patrol.byAgency);
    CHECK(patrolCarPrefix(s.cameras.patrol, boston) == "boston-patrol");

    // The stores: the pooling agencies are the state store's participants; agreements as given.
    REQUIRE(s.stores);
    CHECK(s.stores->sharing.mode == SharingMode::Pooled);
    CHECK(*s.stores->sharing.participants == std::vector<std::string>{"Cambridge", "Malden", "Newton"});
    CHECK(s.stores->sharing.sharesWith("Boston") == std::vector<std::string>{"Cambridge", "Newton"});
    CHECK(s.stores->sharing.sharesWith("Newton").empty());

    const auto results = agencyResults(*s.agencies);
    CHECK(results.at("Boston").sharing == "agreement");
    CHECK(results.at("Boston").sharesWith == json{"Cambridge", "Newton"});
    CHECK(results.at("Brookline").fixed == 0u);
}

TEST_CASE("Every agency with patrol cars has its own fleet, in its own town", "[scenarios][agencies]") {
    const AgenciesFixture f;
    json j = f.valid();
    j["agencies"]["by_agency"]["Newton"]["patrol"] = 3;
    j["agencies"]["by_agency"]["New Bedford"] = {{"program", "none"}, {"patrol", 1}};
    j["agencies"]["by_agency"]["Malden"]["patrol"] = 0;  // none: no fleet
    const Scenario s = f.parse(j);
    const PatrolConfig& patrol = s.cameras.patrol;
    REQUIRE(patrol.fleets.size() == 3);  // in the agencies' order
    CHECK(patrol.cars() == 6);
    const std::vector<std::pair<std::string, size_t>> expected = {{"Boston", 2}, {"New Bedford", 1}, {"Newton", 3}};
    for (size_t i = 0; i < expected.size(); ++i) {
        CHECK(patrol.fleets[i].agency == expected[i].first);
        CHECK(patrol.fleets[i].town == expected[i].first);
        CHECK(patrol.fleets[i].cars == expected[i].second);
        CHECK(patrol.fleets[i].townPath == "/agencies/by_agency/" + expected[i].first);
    }
    // Named by agency: the name's slug (core/files.h nameSlug).
    CHECK(patrolCarPrefix(patrol, patrol.fleets[1]) == "new-bedford-patrol");
    CHECK(patrolCarPrefix(patrol, patrol.fleets[2]) == "newton-patrol");
    CHECK(agencyResults(*s.agencies).at("Newton").patrol == 3u);
}

TEST_CASE("With no agency pooling, the stores are local", "[scenarios][agencies]") {
    const AgenciesFixture f;
    json j = f.valid();
    for (const char* name : {"Newton", "Cambridge", "Malden"}) j["agencies"]["by_agency"][name]["sharing"] = "local";
    const Scenario s = f.parse(j);
    CHECK(s.stores->sharing.mode == SharingMode::Local);
    CHECK(s.stores->sharing.participants->empty());
}

TEST_CASE("An agency absent from the agency file is named with the file", "[scenarios][agencies]") {
    const AgenciesFixture f;
    json j = f.valid();
    j["agencies"]["by_agency"]["Somervile"] = {{"fixed", 2}};  // misspelt, and no "program": "none"
    const InputError e = f.rejection(j);
    CHECK(fs::path(e.file()) == fs::weakly_canonical(f.dir / "agencies.csv"));
    CHECK(std::string(e.where()).find("\"Somervile\"") != std::string::npos);
    CHECK(std::string(e.where()).find("/agencies/by_agency/Somervile") != std::string::npos);
}

TEST_CASE("Mistakes in an agencies section are named by their path", "[scenarios][agencies]") {
    const AgenciesFixture f;
    const auto whereOf = [&](const json& j) { return std::string(f.rejection(j).where()); };

    json recorded = f.valid();  // "none" is only for an agency the file does not list
    recorded["agencies"]["by_agency"]["Boston"]["program"] = "none";
    CHECK(whereOf(recorded) == "/agencies/by_agency/Boston/program");

    json stranger = f.valid();
    stranger["agencies"]["by_agency"]["Boston"]["sharing"] = {{"agreement", {"Everett"}}};
    CHECK(whereOf(stranger) == "/agencies/by_agency/Boston/sharing/agreement");

    json fractional = f.valid();  // a patrol count is a whole number >= 0
    fractional["agencies"]["by_agency"]["Newton"]["patrol"] = 1.5;
    CHECK(whereOf(fractional) == "/agencies/by_agency/Newton/patrol");
    json negative = f.valid();
    negative["agencies"]["by_agency"]["Newton"]["patrol"] = -1;
    CHECK(whereOf(negative) == "/agencies/by_agency/Newton/patrol");

    json inCameras = f.valid();  // each agency's patrol cars are its entry's
    inCameras["cameras"]["patrol"] = {{"cars", 2}};
    CHECK(whereOf(inCameras) == "/cameras/patrol");

    json listed = f.valid();
    listed["cameras"] = {{"agency", "Boston"}, {"placement", "busiest-edges"}, {"count", 4}};
    CHECK(whereOf(listed) == "/cameras/placement");

    json counted = f.valid();
    counted["cameras"]["count"] = 4;
    CHECK(whereOf(counted) == "/cameras/count");

    json shared = f.valid();
    shared["stores"] = {{"sharing", {{"mode", "pooled"}}}};
    CHECK(whereOf(shared) == "/stores/sharing");

    json mode = f.valid();
    mode["agencies"]["by_agency"]["Boston"]["sharing"] = "hits-only";
    CHECK(whereOf(mode) == "/agencies/by_agency/Boston/sharing");

    json missingFile = f.valid();
    missingFile["agencies"]["file"] = "no-such-agencies.csv";
    CHECK(whereOf(missingFile) == "/agencies/file");
}
