// The JPEG round trip without the file (recognition/jpeg_loss.h) against libjpeg's own, through
// OpenCV: the same pixels for every quality, image size (whole blocks or not) and kind of detail.
#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <random>
#include <stdexcept>

#include "recognition/jpeg_loss.h"

using alprsim::recognition::jpegLuminanceTable;
using alprsim::recognition::cnn::Isa;
using alprsim::recognition::jpegRoundTrip;

namespace {

cv::Mat throughLibjpeg(const cv::Mat& grey, int quality) {
    std::vector<uchar> bytes;
    REQUIRE(cv::imencode(".jpg", grey, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}));
    return cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
}

// Noise blurred by `blur` (0: none), stretched to the full range or not, with dark text on it:
// flat areas, sharp edges and the saturated blocks whose inverse DCT overshoots 0 and 255.
cv::Mat testImage(cv::Size size, double blur, bool stretch, std::mt19937& rng) {
    cv::Mat image(size, CV_8UC1);
    cv::RNG noise(rng());
    noise.fill(image, cv::RNG::UNIFORM, 0, 256);
    if (blur > 0) cv::GaussianBlur(image, image, {0, 0}, blur);
    if (stretch) cv::normalize(image, image, 0, 255, cv::NORM_MINMAX);
    cv::putText(image, "7ABC12", {size.width / 8, size.height * 2 / 3}, cv::FONT_HERSHEY_SIMPLEX, size.height / 60.0,
                cv::Scalar(static_cast<double>(rng() % 40)), std::max(1, size.height / 30));
    return image;
}

}  // namespace

TEST_CASE("jpegRoundTrip gives libjpeg's pixels", "[recognition][jpeg]") {
    // Each vector width this CPU has: two blocks a vector (AVX-512) and one (AVX2 or baseline).
    for (const Isa widest : {Isa::Avx512, Isa::Avx2}) {
        std::mt19937 rng(20261207);
        int compared = 0;
        for (int quality : {1, 10, 50, 75, 89, 90, 91, 100}) {
            for (int k = 0; k < 12; ++k) {
                const cv::Size size(1 + static_cast<int>(rng() % 260), 1 + static_cast<int>(rng() % 180));
                const cv::Mat image = testImage(size, static_cast<double>(rng() % 6), k % 2 == 0, rng);
                cv::Mat ours = image.clone();
                jpegRoundTrip(ours, quality, widest);
                INFO("quality " << quality << ", " << size.width << " x " << size.height << (widest == Isa::Avx512 ? ", AVX-512" : ""));
                REQUIRE(ours.size() == image.size());
                CHECK(cv::countNonZero(ours != throughLibjpeg(image, quality)) == 0);
                ++compared;
            }
        }
        CHECK(compared == 96);
    }
}

TEST_CASE("jpegRoundTrip loses what JPEG loses", "[recognition][jpeg]") {
    std::mt19937 rng(7);
    const cv::Mat image = testImage({200, 128}, 1.0, true, rng);
    cv::Mat high = image.clone(), low = image.clone();
    jpegRoundTrip(high, 95);
    jpegRoundTrip(low, 20);
    CHECK(cv::norm(high, image, cv::NORM_L1) > 0);
    CHECK(cv::norm(low, image, cv::NORM_L1) > 2 * cv::norm(high, image, cv::NORM_L1));
}

TEST_CASE("jpegLuminanceTable scales the standard table as libjpeg does", "[recognition][jpeg]") {
    CHECK(jpegLuminanceTable(50)[0] == 16);   // the standard table itself
    CHECK(jpegLuminanceTable(90)[0] == 3);    // 16 x 20% rounded
    CHECK(jpegLuminanceTable(1)[63] == 255);  // limited to baseline values
    CHECK(jpegLuminanceTable(100)[63] == 1);
    CHECK_THROWS_AS(jpegLuminanceTable(0), std::invalid_argument);
    cv::Mat colour(8, 8, CV_8UC3, cv::Scalar::all(0));
    CHECK_THROWS_AS(jpegRoundTrip(colour, 90), std::invalid_argument);
}
