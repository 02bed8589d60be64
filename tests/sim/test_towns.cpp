#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "sim/net_file.h"
#include "sim/towns.h"

using namespace alprsim;

TEST_CASE("The Massachusetts town map places known points in the right town", "[sim][towns]") {
    const auto file = findDataFile("ma/towns.geojson", dataSearchPath({}));
    REQUIRE_FALSE(file.empty());
    const TownMap towns = TownMap::load(file);
    CHECK(towns.towns().size() == 351);
    const Town* brookline = towns.find("BROOKLINE");
    REQUIRE(brookline != nullptr);
    CHECK(brookline->name == "Brookline");
    CHECK(brookline->population2010 == 58732);
    // Brookline Village (Station St), Central Square Cambridge, Boston Common.
    CHECK(towns.townAt({42.3326, -71.1167})->name == "Brookline");
    CHECK(towns.townAt({42.3653, -71.1037})->name == "Cambridge");
    CHECK(towns.townAt({42.3550, -71.0656})->name == "Boston");
    CHECK(towns.townAt({40.7128, -74.0060}) == nullptr);  // New York
}

TEST_CASE("A towns file and a network file with no end stop at their stated limits", "[sim][towns][hardening]") {
    // /dev/zero has no size and no line break: only the limits counted on what is read stop it.
    CHECK_THROWS_WITH(alprsim::TownMap::load("/dev/zero"), Catch::Contains("/dev/zero: a towns GeoJSON file of at most 64 MiB"));
    CHECK_THROWS_WITH(alprsim::readNetFileAttributes("/dev/zero"),
                      Catch::Contains("/dev/zero: a SUMO network file (XML text; this one holds a NUL byte"));
    const auto dir = std::filesystem::current_path() / "tmp-endless-line";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "one-line.net.xml") << std::string(17 << 20, 'x');  // 17 MiB, no line break
    CHECK_THROWS_WITH(
        alprsim::readNetFileAttributes(dir / "one-line.net.xml"),
        Catch::Contains("one-line.net.xml: at line 1: a SUMO network file in well-formed XML (No document element found)"));
}
