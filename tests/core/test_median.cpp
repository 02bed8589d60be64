// core/median.h: the upper median, always one of the values.
#include <catch2/catch.hpp>

#include "core/median.h"

using namespace alprsim;

TEST_CASE("median: the middle value, the higher middle one for an even count, 0 for none", "[core][median]") {
    CHECK(median({}) == 0.0);
    CHECK(median({7}) == 7.0);
    CHECK(median({3, 1, 2}) == 2.0);
    CHECK(median({4, 1, 3, 2}) == 3.0);  // not 2.5: a value the data holds
    CHECK(median({5, 5, 1, 9}) == 5.0);
}
