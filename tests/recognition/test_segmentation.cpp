// Segmentation's thresholding and glyphs (recognition/segmentation.h) against the OpenCV calls
// they replace, whose pixels they keep.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "recognition/segmentation.h"

using alprsim::recognition::kGlyphHeight;
using alprsim::recognition::kGlyphWidth;
using alprsim::recognition::kInkContrast;
using alprsim::recognition::meanThreshold;
using alprsim::recognition::normaliseGlyph;

namespace {

// normaliseGlyph as it was written with OpenCV's calls: Otsu's threshold by cv::threshold, the
// means by cv::mean under its mask and the inverse, the scaling by cv::resize.
cv::Mat glyphThroughOpenCv(const cv::Mat& grey, const cv::Rect& box, bool lightOnDark) {
    const int margin = std::max(1, box.height / 12);
    const cv::Rect padded =
        cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) & cv::Rect({0, 0}, grey.size());
    cv::Mat patch = grey(padded).clone();
    if (lightOnDark) cv::bitwise_not(patch, patch);
    cv::Mat mask;
    cv::threshold(patch, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const double ground = cv::mean(patch, mask)[0], ink = cv::mean(patch, ~mask)[0];
    const double range = std::max(8.0, ground - ink);
    patch.convertTo(patch, CV_8U, 255.0 / range, -ink * 255.0 / range);
    const int width = std::clamp(static_cast<int>(std::lround(patch.cols * double(kGlyphHeight) / patch.rows)), 1, kGlyphWidth);
    cv::Mat resized, glyph(kGlyphHeight, kGlyphWidth, CV_8U, cv::Scalar(255));
    cv::resize(patch, resized, {width, kGlyphHeight}, 0, 0, cv::INTER_AREA);
    resized.copyTo(glyph(cv::Rect((kGlyphWidth - width) / 2, 0, width, kGlyphHeight)));
    return glyph;
}

}  // namespace

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

TEST_CASE("normaliseGlyph gives the glyphs of OpenCV's threshold, means and resize", "[recognition][segmentation]") {
    cv::RNG rng(7);
    int compared = 0;
    for (int k = 0; k < 300; ++k) {
        cv::Mat grey(160, 250, CV_8UC1);
        rng.fill(grey, cv::RNG::UNIFORM, 0, 256);
        cv::GaussianBlur(grey, grey, {0, 0}, rng.uniform(0.5, 3.0));
        if (k % 3 == 0) cv::normalize(grey, grey, 0, 255, cv::NORM_MINMAX);
        if (k % 10 == 0) grey.setTo(rng.uniform(0, 256));  // flat: Otsu finds no split
        cv::putText(grey, "8", {rng.uniform(0, 200), rng.uniform(40, 160)}, cv::FONT_HERSHEY_SIMPLEX, rng.uniform(0.8, 2.0),
                    cv::Scalar(rng.uniform(0, 256)), rng.uniform(1, 5));
        const cv::Rect box(rng.uniform(0, 230), rng.uniform(0, 130), rng.uniform(3, 40), rng.uniform(8, 70));
        for (bool lightOnDark : {false, true}) {
            const cv::Mat ours = normaliseGlyph(grey, box, lightOnDark);
            INFO("case " << k << (lightOnDark ? ", light on dark" : ""));
            REQUIRE(ours.size() == cv::Size(kGlyphWidth, kGlyphHeight));
            CHECK(cv::countNonZero(ours != glyphThroughOpenCv(grey, box, lightOnDark)) == 0);
            ++compared;
        }
    }
    CHECK(compared == 600);
}
