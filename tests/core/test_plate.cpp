#include <catch2/catch.hpp>

#include <set>

#include "core/plate.h"

using namespace alprsim;

TEST_CASE("Massachusetts formats accept real-looking plates and reject others", "[core][plate]") {
    CHECK(isMassachusettsPlate("123AB4"));  // ###@@#
    CHECK(isMassachusettsPlate("1AB234"));  // #@@###
    CHECK(isMassachusettsPlate("123456"));  // ######
    CHECK(isMassachusettsPlate("12AB34"));  // ##@@##
    CHECK_FALSE(isMassachusettsPlate("12345"));
    CHECK_FALSE(isMassachusettsPlate("ABCDEF"));
    CHECK_FALSE(isMassachusettsPlate("123ab4"));
    CHECK_FALSE(isMassachusettsPlate("1234567"));
}

TEST_CASE("Generated plates fit a format, are distinct, and repeat with the seed", "[core][plate]") {
    PlateGenerator a(Rng::stream(42, "plates"));
    PlateGenerator b(Rng::stream(42, "plates"));
    PlateGenerator c(Rng::stream(43, "plates"));
    std::set<std::string> seen;
    bool differsFromOtherSeed = false;
    for (int i = 0; i < 5000; ++i) {
        const std::string p = a.next();
        CHECK(isMassachusettsPlate(p));
        CHECK(p == b.next());
        differsFromOtherSeed |= p != c.next();
        CHECK(seen.insert(p).second);
        CHECK(p.find_first_of("IOQ") == std::string::npos);
        CHECK(p[0] != '0');
    }
    CHECK(differsFromOtherSeed);
}
