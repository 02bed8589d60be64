#include <catch2/catch.hpp>

#include "core/geo.h"

using namespace alprsim;

TEST_CASE("Haversine distance matches known values", "[core][geo]") {
    // One degree of latitude is about 111.2 km.
    CHECK(haversineMetres({42.0, -71.0}, {43.0, -71.0}) == Approx(111195).epsilon(0.001));
    // One degree of longitude at 42 N is cos(42 deg) of that.
    CHECK(haversineMetres({42.0, -71.0}, {42.0, -70.0}) == Approx(82633).epsilon(0.002));
    CHECK(haversineMetres({42.3, -71.1}, {42.3, -71.1}) == 0.0);
}

TEST_CASE("Point in polygon with a hole follows the even-odd rule", "[core][geo]") {
    const Ring outer = {{0, 0}, {0, 10}, {10, 10}, {10, 0}};
    const Ring hole = {{4, 4}, {4, 6}, {6, 6}, {6, 4}};
    CHECK(insideRings({outer}, {1, 1}));
    CHECK_FALSE(insideRings({outer}, {11, 1}));
    CHECK(insideRings({outer, hole}, {2, 2}));
    CHECK_FALSE(insideRings({outer, hole}, {5, 5}));
}
