// Area shrinking (recognition/area_resize.h) against cv::resize's INTER_AREA: the same pixels for
// scales between 1 and 4, whole and not, and the sizes the captures' plates are scaled to.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "recognition/area_resize.h"

using alprsim::recognition::areaResize;

TEST_CASE("areaResize gives cv::resize's INTER_AREA pixels", "[recognition][resize]") {
    cv::RNG rng(20261207);
    int compared = 0;
    for (int k = 0; k < 120; ++k) {
        const cv::Size from(4 + rng.uniform(0, 480), 2 + rng.uniform(0, 240));
        // Mostly between half and the whole size (the captures' plates), sometimes further down
        // or up in one direction.
        const double shrink = k % 5 == 0 ? rng.uniform(0.2, 1.3) : rng.uniform(0.5, 1.0);
        const cv::Size to(std::max(1, cvRound(from.width * shrink)), std::max(1, cvRound(from.height * rng.uniform(0.5, 1.0))));
        cv::Mat source(from, CV_8UC1);
        rng.fill(source, cv::RNG::UNIFORM, 0, 256);
        if (k % 2 == 0) cv::GaussianBlur(source, source, {0, 0}, 1.5);
        cv::Mat expected, ours;
        cv::resize(source, expected, to, 0, 0, cv::INTER_AREA);
        areaResize(source, ours, to);
        INFO(from.width << " x " << from.height << " -> " << to.width << " x " << to.height);
        REQUIRE(ours.size() == to);
        CHECK(cv::countNonZero(ours != expected) == 0);
        ++compared;
    }
    CHECK(compared == 120);
}

TEST_CASE("areaResize leaves images that are not 8-bit grey to cv::resize", "[recognition][resize]") {
    cv::Mat colour(57, 203, CV_8UC3);
    cv::RNG(7).fill(colour, cv::RNG::UNIFORM, 0, 256);
    cv::Mat expected, ours;
    cv::resize(colour, expected, {131, 40}, 0, 0, cv::INTER_AREA);
    areaResize(colour, ours, {131, 40});
    REQUIRE(ours.type() == CV_8UC3);
    REQUIRE(ours.size() == cv::Size(131, 40));
    CHECK(cv::norm(ours, expected, cv::NORM_INF) == 0);
}
