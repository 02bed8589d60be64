// The image guard (issue #30): dimensions are read from the header before decoding, and a file
// cut short is damaged, not decoded with grey where its end was.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>

#include "recognition/image_file.h"

using alprsim::recognition::decodeImageChecked;
using alprsim::recognition::ImageLimits;
using alprsim::recognition::readImageChecked;

namespace {

// A 320 x 120 picture with detail all over (so that every part of the file is image data).
cv::Mat picture() {
    cv::Mat image(120, 320, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::putText(image, "ABC 123", {20, 80}, cv::FONT_HERSHEY_SIMPLEX, 2.0, {0, 0, 0}, 4);
    return image;
}

std::vector<unsigned char> encoded(const std::string& ext) {
    std::vector<unsigned char> bytes;
    REQUIRE(cv::imencode(ext, picture(), bytes));
    return bytes;
}

void putBigEndian(std::vector<unsigned char>& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<unsigned char>(v >> (24 - 8 * i));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("Whole PNG and JPEG images are read", "[recognition][image][hardening]") {
    for (const char* ext : {".png", ".jpg"}) {
        INFO(ext);
        const auto checked = decodeImageChecked(encoded(ext), std::string("x") + ext);
        CHECK(checked.problem.empty());
        CHECK(checked.image.size() == cv::Size(320, 120));
    }
}

TEST_CASE("A small PNG claiming 20000 x 20000 pixels is refused before decoding", "[recognition][image][hardening]") {
    // A real PNG with its header changed (and the header's CRC made right again, so that the
    // decoder itself would believe it and allocate 1.2 GB).
    std::vector<unsigned char> bytes = encoded(".png");
    putBigEndian(bytes, 16, 20'000);
    putBigEndian(bytes, 20, 20'000);
    putBigEndian(bytes, 29, static_cast<uint32_t>(crc32(0, &bytes[12], 17)));
    const auto checked = decodeImageChecked(bytes, "huge.png");
    CHECK(checked.image.empty());
    CHECK(contains(checked.problem, "huge.png: an image of 20000 x 20000 pixels"));
    CHECK(contains(checked.problem, std::to_string(ImageLimits::kMaxPixels)));
}

TEST_CASE("A JPEG claiming 60000 x 60000 pixels is refused before decoding", "[recognition][image][hardening]") {
    std::vector<unsigned char> bytes = encoded(".jpg");
    // The start-of-frame segment (FF C0): length, precision, height, width.
    size_t sof = 2;
    while (!(bytes[sof] == 0xFF && bytes[sof + 1] == 0xC0)) sof += 2 + (bytes[sof + 2] << 8 | bytes[sof + 3]);
    bytes[sof + 5] = 0xEA, bytes[sof + 6] = 0x60, bytes[sof + 7] = 0xEA, bytes[sof + 8] = 0x60;
    const auto checked = decodeImageChecked(bytes, "huge.jpg");
    CHECK(checked.image.empty());
    CHECK(contains(checked.problem, "60000 x 60000 pixels"));
}

TEST_CASE("A truncated JPEG or PNG is damaged, not read", "[recognition][image][hardening]") {
    for (const char* ext : {".jpg", ".png"}) {
        INFO(ext);
        std::vector<unsigned char> bytes = encoded(ext);
        bytes.resize(bytes.size() * 2 / 3);
        // libjpeg alone decodes the cut JPEG, grey where the data ended, with only a warning.
        const auto checked = decodeImageChecked(bytes, std::string("cut") + ext);
        CHECK(checked.image.empty());
        CHECK(contains(checked.problem, "a damaged image"));
    }
}

TEST_CASE("Files that are not images, or too big, are problems of that file only", "[recognition][image][hardening]") {
    const auto dir = std::filesystem::current_path() / "tmp-image-file";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "notes.png") << "not an image";
    CHECK(contains(readImageChecked(dir / "notes.png").problem, "notes.png: not a PNG or JPEG image"));
    CHECK(contains(readImageChecked(dir / "missing.png").problem, "missing.png"));
    // /dev/zero never ends: the file limit stops it (64 MiB read, never more).
    CHECK(contains(readImageChecked("/dev/zero").problem, "an image file of at most 64 MiB"));
}
