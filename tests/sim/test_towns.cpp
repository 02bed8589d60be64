#include <catch2/catch.hpp>

#include <filesystem>

#include "core/files.h"
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
