#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/output_error.h"
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

TEST_CASE("import-net creates the output's folder and says what is wrong with its paths", "[sim][net]") {
    const fs::path dir = test::freshDir("net-paths");
    writeTinyOsm(dir / "tiny.osm");
    // A folder that does not exist yet is created, as `run` does for --out.
    importNetwork(dir / "tiny.osm", dir / "new" / "deeper" / "tiny.net.xml.gz");
    CHECK(fs::is_regular_file(dir / "new" / "deeper" / "tiny.net.xml.gz"));
    CHECK_FALSE(fs::exists(dir / "new" / "deeper" / "tiny.net.xml.gz.netconvert.log"));

    // An OSM "file" that is a folder or a device is named as such, not as missing.
    try {
        importNetwork(dir, dir / "x.net.xml.gz");
        FAIL("a folder was accepted");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("not a folder") != std::string::npos);
    }
    try {
        importNetwork("/dev/null", dir / "x.net.xml.gz");
        FAIL("a device was accepted");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("not a device") != std::string::npos);
    }

    // An output folder that cannot be made (a file is in its place) is what the message says,
    // not "cannot start netconvert", and nothing is left behind.
    std::ofstream(dir / "blocker") << "a file, not a folder\n";
    try {
        importNetwork(dir / "tiny.osm", dir / "blocker" / "tiny.net.xml.gz");
        FAIL("accepted");
    } catch (const OutputError& e) {
        const std::string message = e.what();
        CHECK(message.find("cannot create the folder " + (dir / "blocker").string()) != std::string::npos);
        CHECK(message.find("netconvert") == std::string::npos);
        CHECK(message.find("disk full") == std::string::npos);
    }

    // A file netconvert rejects leaves no log beside the output (its end is in the message).
    std::ofstream(dir / "bad.osm") << "this is not xml";
    CHECK_THROWS_AS(importNetwork(dir / "bad.osm", dir / "bad.net.xml.gz"), InputError);
    CHECK_FALSE(fs::exists(dir / "bad.net.xml.gz.netconvert.log"));
}

TEST_CASE("An unwritable network cache falls back to converting without a cache", "[sim][net]") {
    const fs::path dir = test::freshDir("net-nocache");
    writeTinyOsm(dir / "tiny.osm");
    std::ofstream(dir / "blocker") << "a file where the cache folder would be\n";
    ::setenv("ALPRSIM_CACHE", (dir / "blocker" / "cache").c_str(), 1);
    fs::create_directories(dir / "scratch");
    const fs::path net = cachedNetwork(dir / "tiny.osm", dir / "scratch");
    CHECK(net == dir / "scratch" / kUncachedNetwork);
    CHECK(fs::is_regular_file(net));
    // Without a place for an uncached copy, the message names the cache folder and why.
    try {
        cachedNetwork(dir / "tiny.osm");
        FAIL("accepted");
    } catch (const OutputError& e) {
        CHECK(std::string(e.what()).find((dir / "blocker" / "cache" / "nets").string()) != std::string::npos);
    }
    ::unsetenv("ALPRSIM_CACHE");
}
