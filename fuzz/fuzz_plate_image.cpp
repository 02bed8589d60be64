// Fuzzes the image path of the recogniser: a file's bytes in, decoded with cv::imdecode as
// `alprsim recognize` decodes each image, then read by the plate reader (plate search,
// segmentation, character classifier, syntax rules). The contract: a decoded image gives a
// read or a no-read; undecodable bytes are refused (an empty image). Crashes, leaks, hangs and
// exceptions out of the reader are findings.
//
// OpenCV allows images of up to 2^30 pixels (read from OPENCV_IO_MAX_IMAGE_PIXELS when the
// library loads); tools/fuzz.sh lowers that to 4 megapixels so that a 100-byte PNG claiming
// 30000x30000 pixels is refused instead of spending the fuzzer's memory limit on one input.
#include <opencv2/imgcodecs.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "recognition/plate_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const alprsim::recognition::PlateReader reader;
    const std::vector<uchar> bytes(data, data + size);
    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_COLOR);
    } catch (const cv::Exception&) {
        return 0;  // a decoder refusing malformed bytes loudly is still a refusal
    }
    if (image.empty()) return 0;
    const alprsim::recognition::PlateRead read = reader.read(image);
    if (read.noRead != read.text.empty()) __builtin_trap();  // a no-read has no text, a read has some
    return 0;
}
