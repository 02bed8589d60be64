// The regional network's import (sim/region_osm.h): extracts whose ids collide are renumbered,
// roads are cut at town lines and joined, linked or reported, and towns whose roads meet no
// other's get stand-in roads.
#include <catch2/catch.hpp>

#include <pugixml.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/error.h"
#include "core/files.h"
#include "sim/net_import.h"
#include "sim/region_osm.h"
#include "sim/towns.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {

// A function, not a namespace-scope constant: that would be fixed before catch_main moves each
// case into its own folder, and cases run in parallel would share (and race over) one folder.
fs::path testDir() { return fs::current_path() / "tmp-region-osm"; }

// Three square towns a kilometre across: Alpha and Beta share the line lon -71.09; Gamma lies
// 1.6 km east of Beta, its roads meeting nobody's.
void writeTowns(const fs::path& file) {
    auto square = [](const char* name, double west) {
        const double east = west + 0.01;
        return std::string(R"({"type":"Feature","properties":{"town":")") + name + R"(","pop2010":1000},)" +
               R"("geometry":{"type":"Polygon","coordinates":[[[)" + std::to_string(west) + ",42.30],[" + std::to_string(east) +
               ",42.30],[" + std::to_string(east) + ",42.31],[" + std::to_string(west) + ",42.31],[" + std::to_string(west) +
               ",42.30]]]}}";
    };
    std::ofstream(file) << R"({"type":"FeatureCollection","features":[)" << square("ALPHA", -71.10) << ","
                        << square("BETA", -71.09) << "," << square("GAMMA", -71.06) << "]}";
}

// Both files number their nodes and ways from 1, as the shared extracts do.
void writeAlpha(const fs::path& file) {
    std::ofstream(file) << R"(<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="42.305" lon="-71.098"/>
  <node id="2" lat="42.305" lon="-71.093"><tag k="highway" v="traffic_signals"/></node>
  <node id="3" lat="42.305" lon="-71.0885"/>
  <node id="4" lat="42.308" lon="-71.098"/>
  <node id="5" lat="42.308" lon="-71.0906"/>
  <node id="6" lat="42.302" lon="-71.080"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="name" v="Main Street"/></way>
  <way id="2"><nd ref="4"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="West Road"/></way>
  <way id="3"><nd ref="6"/><nd ref="1"/><tag k="building" v="yes"/></way>
</osm>
)";
}

void writeBeta(const fs::path& file) {
    std::ofstream(file) << R"(<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="42.305" lon="-71.0898"/>
  <node id="2" lat="42.305" lon="-71.084"/>
  <node id="3" lat="42.308" lon="-71.0894"/>
  <node id="4" lat="42.308" lon="-71.084"/>
  <node id="5" lat="42.302" lon="-71.082"/>
  <node id="6" lat="42.302" lon="-71.078"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="secondary"/><tag k="name" v="Main Street"/></way>
  <way id="2"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="East Road"/></way>
  <way id="3"><nd ref="2"/><nd ref="5"/><nd ref="6"/><tag k="highway" v="primary"/><tag k="name" v="Exit Road"/></way>
</osm>
)";
}

void writeGamma(const fs::path& file) {
    std::ofstream(file) << R"(<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="42.303" lon="-71.055"/>
  <node id="2" lat="42.303" lon="-71.062"/>
  <node id="3" lat="42.307" lon="-71.055"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="Far Road"/></way>
  <way id="2"><nd ref="3"/><nd ref="1"/><tag k="highway" v="residential"/></way>
</osm>
)";
}

struct Fixture {
    TownMap towns;
    std::vector<TownExtract> extracts;
    Fixture() {
        fs::create_directories(testDir());
        writeTowns(testDir() / "towns.geojson");
        writeAlpha(testDir() / "alpha.osm");
        writeBeta(testDir() / "beta.osm");
        writeGamma(testDir() / "gamma.osm");
        towns = TownMap::load(testDir() / "towns.geojson");
        extracts = {{"Alpha", testDir() / "alpha.osm"}, {"beta", testDir() / "beta.osm"}};
    }
};

int countKind(const RegionOsm& r, BorderEnd::Kind kind, const std::string& town = "") {
    int n = 0;
    for (const BorderEnd& e : r.ends) n += e.kind == kind && (town.empty() || e.town == town);
    return n;
}

}  // namespace

TEST_CASE("Two towns' extracts become one: renumbered, cut at the line, joined and linked", "[sim][region]") {
    Fixture f;
    const RegionOsm region = buildRegionOsm(f.extracts, f.towns, testDir() / "two.osm");
    CHECK(countKind(region, BorderEnd::Kind::Crossing) == 1);   // Main Street: Alpha's cut and Beta's end 16 m apart
    CHECK(countKind(region, BorderEnd::Kind::Connected) == 1);  // West Road to East Road, 98 m: one added road, not two
    CHECK(countKind(region, BorderEnd::Kind::Fringe) == 1);     // Exit Road leaves for no town
    CHECK(countKind(region, BorderEnd::Kind::Gap) == 0);
    CHECK(countKind(region, BorderEnd::Kind::Bridge) == 0);
    for (const BorderEnd& e : region.ends)
        if (e.kind == BorderEnd::Kind::Crossing) CHECK(e.road == "Main Street");

    pugi::xml_document doc;
    REQUIRE(doc.load_file((testDir() / "two.osm").c_str()));
    std::set<long long> nodeIds;
    for (const pugi::xml_node& n : doc.child("osm").children("node")) CHECK(nodeIds.insert(n.attribute("id").as_llong()).second);
    int ways = 0;
    for (const pugi::xml_node& w : doc.child("osm").children("way")) {
        ++ways;
        CHECK(w.find_child_by_attribute("tag", "k", "building").empty());  // only roads are kept
        for (const pugi::xml_node& nd : w.children("nd")) CHECK(nodeIds.count(nd.attribute("ref").as_llong()) == 1);
    }
    CHECK(ways == 6);  // Alpha's two roads, Beta's three, and the added road
    // Alpha's node 3 lay in Beta: Main Street now ends on the line at the node it shares with Beta.
    CHECK(doc.child("osm").find_child_by_attribute("node", "lon", "-71.0885000").empty());
    CHECK(doc.select_nodes("//node/tag[@v='traffic_signals']").size() == 1);
}

TEST_CASE("The region's OSM is the same bytes every time and netconvert converts it", "[sim][region]") {
    Fixture f;
    f.extracts.push_back({"Gamma", testDir() / "gamma.osm"});
    const RegionOsm first = buildRegionOsm(f.extracts, f.towns, testDir() / "a.osm");
    buildRegionOsm(f.extracts, f.towns, testDir() / "b.osm");
    CHECK(readTextFile(testDir() / "a.osm") == readTextFile(testDir() / "b.osm"));
    // Gamma meets nobody: one stand-in road from its main street's cut to the nearest
    // intersection of two-way main streets in Beta (Main Street and Exit Road, 1.97 km).
    REQUIRE(countKind(first, BorderEnd::Kind::Bridge) == 1);
    for (const BorderEnd& e : first.ends)
        if (e.kind == BorderEnd::Kind::Bridge) {
            CHECK(e.town == "Gamma");
            CHECK(e.intoTown == "Beta");
            CHECK(e.joinMetres == Approx(1970).margin(30));
        }
    importNetwork(testDir() / "a.osm", testDir() / "a.net.xml");
    const std::string net = readTextFile(testDir() / "a.net.xml");
    CHECK(net.find("id=\"900000000000") != std::string::npos);
    // It stands for an arterial, not for the side street it starts from: two lanes each way.
    pugi::xml_document netDoc;
    REQUIRE(netDoc.load_string(net.c_str()));
    int standIns = 0;
    for (const pugi::xpath_node& edge : netDoc.select_nodes("//edge[not(@function)]")) {
        if (!isStandInEdge(edge.node().attribute("id").value())) continue;
        ++standIns;
        const auto lanes = edge.node().children("lane");
        CHECK(std::distance(lanes.begin(), lanes.end()) == kStandInLanesEachWay);
    }
    CHECK(standIns >= 2);  // both directions
    CHECK(isStandInEdge("900000000000#0"));
    CHECK(isStandInEdge("-900000000000"));
    CHECK_FALSE(isStandInEdge("-8814416"));
    CHECK_FALSE(isStandInEdge("1468000000#2"));  // a real OpenStreetMap way id of today's range
    writeBorderCsv(first, testDir() / "borders.csv");
    CHECK(readTextFile(testDir() / "borders.csv").rfind("kind,town,into_town,road,lat,lon,join_m\n", 0) == 0);
}

TEST_CASE("A region names what is wrong with its towns and files", "[sim][region]") {
    Fixture f;
    CHECK_THROWS_WITH(buildRegionOsm({{"Atlantis", testDir() / "alpha.osm"}}, f.towns, testDir() / "x.osm"),
                      Catch::Contains("alpha.osm") && Catch::Contains("\"Atlantis\""));
    CHECK_THROWS_WITH(
        buildRegionOsm({{"Alpha", testDir() / "alpha.osm"}, {"ALPHA", testDir() / "beta.osm"}}, f.towns, testDir() / "x.osm"),
        Catch::Contains("twice"));
    std::ofstream(testDir() / "broken.osm") << "<osm><node id=\"1\" lat=\"42.3\"";
    CHECK_THROWS_AS(buildRegionOsm({{"Alpha", testDir() / "broken.osm"}}, f.towns, testDir() / "x.osm"), InputError);
    std::ofstream(testDir() / "dangling.osm") << R"(<osm><way id="1"><nd ref="7"/><tag k="highway" v="primary"/></way></osm>)";
    CHECK_THROWS_WITH(buildRegionOsm({{"Alpha", testDir() / "dangling.osm"}}, f.towns, testDir() / "x.osm"),
                      Catch::Contains("dangling.osm") && Catch::Contains("way 1"));
    CHECK_THROWS_AS(buildRegionOsm({}, f.towns, testDir() / "x.osm"), InputError);
    CHECK_THROWS_AS(buildRegionOsm(f.extracts, f.towns, testDir() / "x.osm", {-1, 10, 10}), InputError);
}

TEST_CASE("The five shared towns join into one region", "[sim][region][real]") {
    const fs::path townsFile = findDataFile("ma/towns.geojson", dataSearchPath({}));
    REQUIRE_FALSE(townsFile.empty());
    std::vector<TownExtract> extracts;
    for (const auto& [town, file] : std::vector<std::pair<std::string, std::string>>{{"Brookline", "brookline"},
                                                                                     {"Boston", "boston-allston"},
                                                                                     {"Cambridge", "cambridge"},
                                                                                     {"Somerville", "somerville"},
                                                                                     {"Everett", "everett"}}) {
        const fs::path osm = findDataFile("ma/roads/" + file + ".osm", dataSearchPath({}));
        REQUIRE_FALSE(osm.empty());
        extracts.push_back({town, osm});
    }
    fs::create_directories(testDir());
    const RegionOsm region = buildRegionOsm(extracts, TownMap::load(townsFile), testDir() / "region.osm");
    // Cambridge meets Somerville and Boston along kilometres of town line (measured 6 Dec 2026:
    // 3 joined, 43 linked); Brookline and Everett meet no other extract's roads.
    CHECK(countKind(region, BorderEnd::Kind::Crossing) + countKind(region, BorderEnd::Kind::Connected) >= 35);
    CHECK(countKind(region, BorderEnd::Kind::Bridge, "Brookline") >= 1);
    CHECK(countKind(region, BorderEnd::Kind::Bridge, "Everett") >= 1);
    CHECK(countKind(region, BorderEnd::Kind::Bridge, "Cambridge") == 0);
    // Everett's extract stops Broadway and both carriageways of the Revere Beach Parkway short
    // inside the town (dead ends over 60 m from its line): its stand-ins start from them too,
    // not only from Beacham Street, the one main road cut at the line.
    std::multiset<std::string> everettStandIns;
    for (const BorderEnd& e : region.ends)
        if (e.kind == BorderEnd::Kind::Bridge && e.town == "Everett") everettStandIns.insert(e.road);
    CHECK(everettStandIns.count("Broadway") == 1);
    CHECK(everettStandIns.count("Revere Beach Parkway") >= 2);
    CHECK(everettStandIns.size() <= kBridgesPerIsland);
    REQUIRE(region.towns.size() == 5);
    for (const RegionTownCounts& t : region.towns) CHECK(t.roadKm > 50);
}
