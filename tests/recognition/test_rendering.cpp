// Rendering: deterministic by seed, geometry as asked, conditions that change the picture.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/plate.h"
#include "recognition/glyphs.h"
#include "recognition/renderer.h"
#include "recognition/training.h"

using namespace alprsim::recognition;

namespace {
bool identical(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}
}  // namespace

TEST_CASE("the same seed gives the same image, another seed another", "[recognition][render]") {
    CaptureConditions c = goodConditions(100);
    c.motionBlurPx = 2;
    c.rain = 0.3;
    const auto a = renderCapture("123AB4", massachusettsStyle(), c, 42);
    const auto b = renderCapture("123AB4", massachusettsStyle(), c, 42);
    const auto other = renderCapture("123AB4", massachusettsStyle(), c, 43);
    CHECK(identical(a.image, b.image));
    CHECK_FALSE(identical(a.image, other.image));
}

TEST_CASE("the plate has the width asked for and one box per character", "[recognition][render]") {
    for (double width : {40.0, 120.0, 250.0}) {
        const auto capture = renderCapture("5ABC12", massachusettsStyle(), goodConditions(width), 7);
        const double drawn = cv::norm(capture.plateCorners[1] - capture.plateCorners[0]);
        CHECK(drawn == Approx(width).epsilon(0.03));
        CHECK(capture.characterBoxes.size() == 6);
        for (const auto& p : capture.plateCorners) {
            CHECK(cv::Rect2f(0, 0, capture.image.cols, capture.image.rows).contains(p));
        }
    }
}

TEST_CASE("yaw foreshortens the plate", "[recognition][render]") {
    CaptureConditions c = goodConditions(120);
    c.yawDeg = 60;
    const auto capture = renderCapture("5ABC12", massachusettsStyle(), c, 7);
    const double drawn = cv::norm(capture.plateCorners[1] - capture.plateCorners[0]);
    CHECK(drawn == Approx(120 * std::cos(60 * CV_PI / 180)).epsilon(0.05));
}

TEST_CASE("Massachusetts plates: red characters on white", "[recognition][render]") {
    alprsim::Rng rng(3);
    const PlateImage plate = renderPlate("152 JK8", massachusettsStyle(), rng);
    REQUIRE(plate.characterBoxes.size() == 6);
    const cv::Scalar ink = cv::mean(plate.bgr(plate.characterBoxes[0]));
    // Inside a character box the red channel dominates; the plate corner below is white.
    CHECK(ink[2] > ink[1] + 30);
    const cv::Vec3b ground = plate.bgr.at<cv::Vec3b>(kPlateCanvasHeight * 3 / 4, 8);
    CHECK(ground[0] > 200);
    CHECK(ground[1] > 200);
    CHECK(ground[2] > 200);
}

TEST_CASE("every design the fleet issues is drawn; the Massachusetts 250 plate light on dark", "[recognition][render]") {
    std::vector<std::string> designs = {"MA"};
    for (const auto& [design, share] : alprsim::PlateMix{}.specialtyShares) designs.push_back(design);
    for (const std::string& state : alprsim::outOfStatePlateStates()) designs.push_back(state);
    for (const std::string& design : designs) {
        INFO(design);
        const PlateStyle& style = fleetPlateStyle(design);
        CHECK(style.name == design);
        alprsim::Rng rng(4);
        CHECK(renderPlate("152 JK8", style, rng).characterBoxes.size() == 6);
    }
    CHECK_THROWS_AS(fleetPlateStyle("XX"), std::invalid_argument);
    // White characters on dark blue: brighter inside a character's box than at the plate's edge.
    alprsim::Rng rng(5);
    const PlateImage plate = renderPlate("152 JK8", fleetPlateStyle("MA-250"), rng);
    cv::Mat grey;
    cv::cvtColor(plate.bgr, grey, cv::COLOR_BGR2GRAY);
    CHECK(cv::mean(grey(plate.characterBoxes[2]))[0] > grey.at<uchar>(kPlateCanvasHeight * 3 / 4, 8) + 20);
}

TEST_CASE("night infrared gives a grey image, dusk a darker one", "[recognition][render]") {
    CaptureConditions day = goodConditions(120), dusk = day, night = day;
    dusk.light = Light::Dusk;
    night.light = Light::NightIR;
    const auto d = renderCapture("5ABC12", massachusettsStyle(), day, 9).image;
    const auto k = renderCapture("5ABC12", massachusettsStyle(), dusk, 9).image;
    const auto n = renderCapture("5ABC12", massachusettsStyle(), night, 9).image;
    CHECK(cv::mean(k)[0] + cv::mean(k)[1] + cv::mean(k)[2] < 0.7 * (cv::mean(d)[0] + cv::mean(d)[1] + cv::mean(d)[2]));
    std::vector<cv::Mat> channels;
    cv::split(n, channels);
    // JPEG chroma noise allowed, but no colour.
    CHECK(cv::norm(channels[0], channels[2], cv::NORM_L1) / n.total() < 3.0);
}

TEST_CASE(
    "every typeface draws every plate character, the drawn gothic's characters differ, and the development faces are held out",
    "[recognition][render]") {
    const std::string chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::vector<Typeface> faces = allTypefaces();
    faces.insert(faces.end(), devTypefaces().begin(), devTypefaces().end());
    faces.insert(faces.end(), lineTrainingTypefaces().begin(), lineTrainingTypefaces().end());
    faces.insert(faces.end(), matchedTypefaces().begin(), matchedTypefaces().end());
    for (Typeface face : faces) {
        for (char c : chars) {
            const cv::Mat& mask = glyphMask(face, c);
            INFO("typeface " << static_cast<int>(face) << " character " << c);
            CHECK(mask.rows == kGlyphMaskHeight);
            CHECK(static_cast<size_t>(cv::countNonZero(mask > 128)) > mask.total() / 10);  // real ink, not a blank box
        }
    }
    // The drawn faces: the look-alike pairs the recogniser confuses on real plates are different shapes.
    for (Typeface face : {Typeface::DrawnGothic, Typeface::DrawnGothicBold, Typeface::DrawnGothicSerif, Typeface::PlateDieGothic,
                          Typeface::PlateDieGothicBold, Typeface::FlatPlateCondensed}) {
        for (const auto& [a, b] :
             std::vector<std::pair<char, char>>{{'2', 'Z'}, {'5', 'S'}, {'8', 'B'}, {'1', 'I'}, {'0', 'D'}, {'W', 'M'}}) {
            cv::Mat ma, mb;
            cv::resize(glyphMask(face, a), ma, {48, kGlyphMaskHeight});
            cv::resize(glyphMask(face, b), mb, {48, kGlyphMaskHeight});
            INFO(a << " against " << b);
            CHECK(cv::norm(ma, mb, cv::NORM_L1) / ma.total() > 20);  // mean absolute difference in grey levels
        }
    }
    std::vector<Typeface> heldOut = devTypefaces();
    heldOut.insert(heldOut.end(), heldOutStateTypefaces().begin(), heldOutStateTypefaces().end());
    for (Typeface dev : heldOut) {
        CHECK(std::find(allTypefaces().begin(), allTypefaces().end(), dev) == allTypefaces().end());
        CHECK(std::find(lineTrainingTypefaces().begin(), lineTrainingTypefaces().end(), dev) == lineTrainingTypefaces().end());
    }
}

TEST_CASE("the states' faces drawn from strokes are shapes of their own, with the look-alikes of real plates",
          "[recognition][render]") {
    const auto difference = [](Typeface fa, char a, Typeface fb, char b) {
        cv::Mat ma, mb;
        cv::resize(glyphMask(fa, a), ma, {48, kGlyphMaskHeight});
        cv::resize(glyphMask(fb, b), mb, {48, kGlyphMaskHeight});
        return cv::norm(ma, mb, cv::NORM_L1) / ma.total();
    };
    // Each drawn weight or width differs from the drawn gothic they share strokes with.
    for (Typeface face : {Typeface::PlateDieGothic, Typeface::PlateDieGothicBold, Typeface::FlatPlateCondensed})
        for (char c : std::string("2W1M0")) CHECK(difference(face, c, Typeface::DrawnGothic, c) > 10);
    // The dies' gothic draws its W in the narrow cell of its other letters (the drawn gothic's,
    // after the highway-sign faces, is a third wider), so W is as wide as N; the flat plates'
    // face is narrower still.
    const auto width = [](Typeface f, char c) { return static_cast<double>(glyphMask(f, c).cols); };
    CHECK(width(Typeface::PlateDieGothic, 'W') == Approx(width(Typeface::PlateDieGothic, 'N')).epsilon(0.05));
    CHECK(width(Typeface::DrawnGothic, 'W') > 1.2 * width(Typeface::DrawnGothic, 'N'));
    CHECK(width(Typeface::FlatPlateCondensed, 'N') < 0.9 * width(Typeface::PlateDieGothic, 'N'));
    // The 2 is closer to the Z in the dies' gothic than in the drawn gothic (Z-like).
    CHECK(difference(Typeface::PlateDieGothic, '2', Typeface::PlateDieGothic, 'Z') <
          difference(Typeface::DrawnGothic, '2', Typeface::DrawnGothic, 'Z'));
}

TEST_CASE("cluttered plates: emblems and stacked letters are no characters, frames and bolts change the plate",
          "[recognition][render]") {
    PlateStyle style = massachusettsStyle();
    style.name = "MA-like";
    alprsim::Rng rng = alprsim::Rng::stream(3, "clutter-test");
    const PlateImage plain = renderPlate("ABC1234", style, rng);
    rng = alprsim::Rng::stream(3, "clutter-test");
    const PlateImage marked = renderPlate("^ABC*1234", style, rng);
    CHECK(plain.characterBoxes.size() == 7);
    CHECK(marked.characterBoxes.size() == 7);
    CHECK_FALSE(identical(plain.bgr, marked.bgr));
    style.frameTop = 20;
    style.frameBottom = 40;
    style.frameColor = cv::Scalar::all(20);
    style.frameText = true;
    style.bolts = true;
    rng = alprsim::Rng::stream(3, "clutter-test");
    const PlateImage framed = renderPlate("ABC1234", style, rng);
    CHECK(framed.characterBoxes.size() == 7);
    CHECK(cv::mean(framed.bgr.rowRange(0, 20))[0] < 40);  // the frame's top band
    // The development set's cluttered plates: the shown text holds the truth's characters in order.
    for (uint64_t i = 0; i < 50; ++i) {
        alprsim::Rng r = alprsim::Rng::stream(9, "clutter-plates", i);
        const ClutteredPlate p = randomClutteredPlate(r, true);
        std::string kept;
        for (char c : p.shown) {
            if (c != '*' && c != '^' && c != ' ') kept += c;
        }
        CHECK(kept == p.truth);
        alprsim::Rng draw = alprsim::Rng::stream(9, "clutter-draw", i);
        CHECK(renderPlate(p.shown, p.style, draw).characterBoxes.size() == p.truth.size());
    }
}

TEST_CASE("a vehicle's capture is its grey photograph: deterministic, the plate where asked, dark characters on a light plate",
          "[recognition][render]") {
    const PlateImage plate = vehiclePlate("5ABC12", massachusettsStyle());
    REQUIRE(plate.greyLevels.size() == 4);
    CHECK(plate.greyLevels[3].cols == kPlateCanvasWidth / 8);
    CaptureConditions c = goodConditions(120);
    c.motionBlurPx = 2;
    const RenderedCapture a = renderCapture(plate, c, 42), b = renderCapture(plate, c, 42), other = renderCapture(plate, c, 43);
    CHECK(a.image.type() == CV_8UC1);  // the luminance the reader reads
    CHECK(identical(a.image, b.image));
    CHECK_FALSE(identical(a.image, other.image));
    CHECK(cv::norm(a.plateCorners[1] - a.plateCorners[0]) == Approx(120).epsilon(0.03));
    // Red characters on white: in the characters' box the strokes are far darker than the
    // ground between them (tenth and ninetieth percentiles of its grey levels).
    REQUIRE(a.characterBoxes.size() == 6);
    const cv::Rect characters =
        cv::Rect(cv::Rect2f(a.characterBoxes.front().tl(), a.characterBoxes.back().br())) & cv::Rect({0, 0}, a.image.size());
    std::vector<uchar> levels;
    for (int y = characters.y; y < characters.br().y; ++y) {
        for (int x = characters.x; x < characters.br().x; ++x) levels.push_back(a.image.at<uchar>(y, x));
    }
    std::sort(levels.begin(), levels.end());
    const int ink = levels[levels.size() / 10], ground = levels[levels.size() * 9 / 10];
    CHECK(ground > 180);
    CHECK(ground - ink > 80);
}

TEST_CASE("a vehicle's capture is as noisy as the colour render's luminance", "[recognition][render]") {
    // A street frame, its bottom rows flat road (the car, 20 px of plate, sits higher up).
    const PlateImage plate = vehiclePlate("5ABC12", massachusettsStyle());
    CaptureConditions c = goodConditions(20);
    c.jpegQuality = 0;
    c.noiseSigma = 9;
    const cv::Mat image = renderCapture(plate, c, 5, FrameKind::FullFrame, {400, 300}).image;
    REQUIRE(image.type() == CV_8UC1);
    // Noise of sigma 9 in each colour channel gives the luminance 9 x 0.67 = 6.0. Measured by the
    // mean absolute difference of horizontal neighbours (sqrt(2 / pi) x sqrt 2 = 1.128 sigma for
    // Gaussian noise), leaving out the few large steps of any sign painted there.
    double sum = 0;
    int count = 0;
    for (int y = 282; y < 300; ++y) {
        for (int x = 1; x < image.cols; ++x) {
            const int d = std::abs(image.at<uchar>(y, x) - image.at<uchar>(y, x - 1));
            if (d >= 40) continue;
            sum += d;
            ++count;
        }
    }
    REQUIRE(count > 5000);
    CHECK(sum / count / 1.128 == Approx(9 * 0.6686).epsilon(0.12));
}
