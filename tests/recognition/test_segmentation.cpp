// Segmentation's thresholding (recognition/segmentation.h) against OpenCV's adaptiveThreshold,
// whose pixels it keeps.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "recognition/segmentation.h"

using alprsim::recognition::kInkContrast;
using alprsim::recognition::meanThreshold;

TEST_CASE("meanThreshold gives cv::adaptiveThreshold's pixels", "[recognition][segmentation]") {
    cv::RNG rng(20261207);
    int inkSeen = 0;
    for (int k = 0; k < 24; ++k) {
        const cv::Size size(20 + rng.uniform(0, 300), 12 + rng.uniform(0, 200));
        cv::Mat grey(size, CV_8UC1);
        rng.fill(grey, cv::RNG::UNIFORM, 0, 256);
        cv::GaussianBlur(grey, grey, {0, 0}, rng.uniform(0.5, 4.0));
        cv::normalize(grey, grey, 0, 255, cv::NORM_MINMAX);
        const int block = 2 * rng.uniform(5, 25) + 1;
        for (bool lightOnDark : {false, true}) {
            cv::Mat expected;
            cv::adaptiveThreshold(grey, expected, 255, cv::ADAPTIVE_THRESH_MEAN_C,
                                  lightOnDark ? cv::THRESH_BINARY : cv::THRESH_BINARY_INV, block,
                                  lightOnDark ? -kInkContrast : kInkContrast);
            const cv::Mat binary = meanThreshold(grey, block, lightOnDark);
            INFO(size.width << " x " << size.height << ", block " << block << (lightOnDark ? ", light on dark" : ""));
            REQUIRE(binary.size() == grey.size());
            CHECK(cv::countNonZero(binary != expected) == 0);
            inkSeen += cv::countNonZero(binary) > 0;
        }
    }
    CHECK(inkSeen >= 40);  // the comparisons were tried on images with ink in them
}
