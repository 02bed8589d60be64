// Warping grey images (recognition/perspective_warp.h) against cv::warpPerspective with
// INTER_LINEAR and BORDER_REPLICATE: the same pixels for the captures' homographies (a plate
// scene halved and seen at an angle), for strong perspective reaching the horizon, for outputs
// falling wholly or partly off the source, and for images smaller than OpenCV's blocks.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "recognition/perspective_warp.h"

using alprsim::recognition::warpPerspectiveGrey;
namespace cnn = alprsim::recognition::cnn;

namespace {

// A homography like the renderer's: scale about s, a rotation in the image, a tilt of the plane
// (the bottom row of the matrix), a shift.
cv::Matx33d randomHomography(cv::RNG& rng, double tilt) {
    const double s = rng.uniform(0.3, 1.2), a = rng.uniform(-0.6, 0.6);
    return cv::Matx33d(s * std::cos(a), -s * std::sin(a), rng.uniform(-40.0, 80.0), s * std::sin(a), s * std::cos(a),
                       rng.uniform(-40.0, 60.0), rng.uniform(-tilt, tilt), rng.uniform(-tilt, tilt), 1.0);
}

void requireSamePixels(const cv::Mat& source, const cv::Matx33d& H, cv::Size out) {
    cv::Mat expected(out, CV_8UC1);
    cv::warpPerspective(source, expected, cv::Mat(H), out, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    for (const cnn::Isa widest : {cnn::Isa::Avx2, cnn::Isa::Baseline}) {  // the vector path, that of CPUs without AVX2
        cv::Mat ours;
        warpPerspectiveGrey(source, ours, H, out, widest);
        INFO(source.cols << " x " << source.rows << " -> " << out.width << " x " << out.height << ", ISA "
                         << static_cast<int>(widest) << ", H " << cv::Mat(H));
        REQUIRE(ours.size() == out);
        REQUIRE(ours.type() == CV_8UC1);
        CHECK(cv::countNonZero(ours != expected) == 0);
    }
}

}  // namespace

TEST_CASE("warpPerspectiveGrey gives cv::warpPerspective's pixels", "[recognition][warp]") {
    cv::RNG rng(20261207);
    for (int k = 0; k < 300; ++k) {
        const cv::Size from(1 + rng.uniform(0, 700), 1 + rng.uniform(0, 400));
        cv::Mat source(from, CV_8UC1);
        rng.fill(source, cv::RNG::UNIFORM, 0, 256);
        if (k % 2 == 0) cv::GaussianBlur(source, source, {0, 0}, 1.2);
        // Mostly mild perspective (the captures'); every fourth strong enough to reach a horizon.
        const double tilt = k % 4 == 0 ? 0.02 : 0.002;
        const cv::Size out(1 + rng.uniform(0, 400), 1 + rng.uniform(0, 260));
        requireSamePixels(source, randomHomography(rng, tilt), out);
    }
}

TEST_CASE("warpPerspectiveGrey matches where the output lies off the source or the source is tiny", "[recognition][warp]") {
    cv::RNG rng(7);
    cv::Mat source(90, 160, CV_8UC1);
    rng.fill(source, cv::RNG::UNIFORM, 0, 256);
    // Wholly off to one side: every pixel repeats the nearest edge.
    requireSamePixels(source, cv::Matx33d(1, 0, -500, 0, 1, 30, 0, 0, 1), {64, 40});
    // Shrunk to a point and blown up: positions far outside in both directions.
    requireSamePixels(source, cv::Matx33d(0.01, 0, 5, 0, 0.01, 5, 0, 0, 1), {37, 19});
    requireSamePixels(source, cv::Matx33d(40, 3, -3000, -2, 40, -1500, 0.001, 0.002, 1), {129, 70});
    // Sources of one to three rows or columns (no room for the vector path's reads).
    for (const cv::Size tiny : {cv::Size(1, 1), cv::Size(3, 2), cv::Size(2, 5), cv::Size(4, 3), cv::Size(5, 1)}) {
        cv::Mat small(tiny, CV_8UC1);
        rng.fill(small, cv::RNG::UNIFORM, 0, 256);
        requireSamePixels(small, cv::Matx33d(0.1, 0.02, 0.3, -0.01, 0.1, 0.2, 0.0005, 0, 1), {33, 17});
    }
    // A source that is a view into a larger image (rows not contiguous).
    cv::Mat big(200, 300, CV_8UC1);
    rng.fill(big, cv::RNG::UNIFORM, 0, 256);
    requireSamePixels(big(cv::Rect(17, 11, 150, 90)), cv::Matx33d(0.5, 0.1, 3, -0.1, 0.5, 8, 0.001, -0.0005, 1), {140, 70});
}
