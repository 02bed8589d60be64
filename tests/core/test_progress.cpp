// The time-left estimate of progress lines: the elapsed time scaled by what remains.
#include <catch2/catch.hpp>

#include "core/progress.h"

using namespace alprsim;

TEST_CASE("progress estimates the time left from the time spent so far", "[core][progress]") {
    CHECK(Progress::timeLeftText(10, 1, 4) == "about 30 s left");  // 3 more quarters
    CHECK(Progress::timeLeftText(60, 1, 3) == "about 2 min 0 s left");
    CHECK(Progress::timeLeftText(3600, 1, 2) == "about 1 h 0 min left");
    CHECK(Progress::timeLeftText(90, 3, 4) == "about 30 s left");
    // Nothing to say before anything is done, or once all is.
    CHECK(Progress::timeLeftText(10, 0, 4).empty());
    CHECK(Progress::timeLeftText(10, 4, 4).empty());
}
