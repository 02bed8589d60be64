#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "sim/net_import.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
// Two crossing two-way streets: a + junction, 200 m arms, near Brookline Village.
void writeTinyOsm(const fs::path& file) {
    std::ofstream out(file);
    out << R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="alprsim-test">
  <node id="1" lat="42.3320" lon="-71.1200"/>
  <node id="2" lat="42.3338" lon="-71.1200"/>
  <node id="3" lat="42.3356" lon="-71.1200"/>
  <node id="4" lat="42.3338" lon="-71.1224"/>
  <node id="5" lat="42.3338" lon="-71.1176"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="name" v="Test Street"/></way>
  <way id="11"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="Cross Road"/></way>
</osm>
)";
}

// The network file decompressed with gzip, as text.
std::string gunzip(const fs::path& file) {
    const fs::path text = file.string() + ".txt";
    REQUIRE(std::system(("gzip -dc '" + file.string() + "' > '" + text.string() + "'").c_str()) == 0);
    return test::readFile(text.string());
}
}  // namespace

TEST_CASE("netconvert turns a tiny OSM file into a network with its streets", "[sim][net]") {
    const fs::path dir = test::freshDir("net-import");
    writeTinyOsm(fs::path(dir) / "tiny.osm");
    const fs::path net = fs::path(dir) / "tiny.net.xml.gz";
    importNetwork(fs::path(dir) / "tiny.osm", net);
    const std::string xml = gunzip(net);
    CHECK(xml.find("<net ") != std::string::npos);
    // Two two-way streets through one junction: 8 one-way edges.
    size_t edges = 0;
    for (size_t p = xml.find("<edge id=\""); p != std::string::npos; p = xml.find("<edge id=\"", p + 1))
        if (xml.compare(p + 10, 1, ":") != 0) ++edges;
    CHECK(edges == 8);
    CHECK(xml.find("Test Street") != std::string::npos);  // --output.street-names
}

TEST_CASE("A file netconvert cannot read is bad input naming it", "[sim][net]") {
    const fs::path dir = test::freshDir("net-bad");
    std::ofstream(fs::path(dir) / "bad.osm") << "this is not xml";
    try {
        importNetwork(fs::path(dir) / "bad.osm", fs::path(dir) / "bad.net.xml.gz");
        FAIL("accepted");
    } catch (const InputError& e) {
        CHECK(e.file() == (fs::path(dir) / "bad.osm").string());
    }
    CHECK_FALSE(fs::exists(fs::path(dir) / "bad.net.xml.gz"));
}

TEST_CASE("The network cache converts once per input content", "[sim][net]") {
    const fs::path dir = test::freshDir("net-cache");
    ::setenv("ALPRSIM_CACHE", (fs::path(dir) / "cache").c_str(), 1);
    writeTinyOsm(fs::path(dir) / "tiny.osm");
    const fs::path first = cachedNetwork(fs::path(dir) / "tiny.osm");
    const auto stamp = fs::last_write_time(first);
    const fs::path second = cachedNetwork(fs::path(dir) / "tiny.osm");
    CHECK(first == second);
    CHECK(fs::last_write_time(second) == stamp);  // not converted again
    // Different content, different cache entry.
    std::ofstream(fs::path(dir) / "tiny.osm", std::ios::app) << "<!-- changed -->\n";
    CHECK(cachedNetwork(fs::path(dir) / "tiny.osm") != first);
}
