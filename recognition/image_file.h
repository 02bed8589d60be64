#pragma once
// Reading an image a user gave (a plate crop, a camera frame) without trusting it: the file is
// read with a size limit, its dimensions are read from the header before anything is decoded
// (a 431 KB PNG can claim 20,000 x 20,000 pixels, 1.2 GB decoded), and a file cut short is
// refused instead of decoded with grey where its end was. PNG and JPEG are read.
#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace alprsim::recognition {

struct ImageLimits {
    static constexpr int kMaxSide = 16'384;             // pixels, either side
    static constexpr uint64_t kMaxPixels = 40'000'000;  // a 40-megapixel camera's frame
};

// The decoded image (BGR, 8 bits), or an empty image and what is wrong with the file.
struct CheckedImage {
    cv::Mat image;
    std::string problem;  // names the file; empty when the image was read
};

// Decodes `bytes` (from `name`, for messages) if they are a whole PNG or JPEG within the limits.
CheckedImage decodeImageChecked(const std::vector<unsigned char>& bytes, const std::string& name);

// Reads a file (at most kImageInput's size, core/files.h) and decodes it as above. Throws only
// Interrupted; every other failure is a problem of that one file.
CheckedImage readImageChecked(const std::filesystem::path& file);

}  // namespace alprsim::recognition
