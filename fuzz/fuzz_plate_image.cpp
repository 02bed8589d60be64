// Fuzzes the image path of the recogniser: a file's bytes in, through decodeImageChecked as
// `alprsim recognize` reads each image (the size from the PNG or JPEG header before decoding,
// a file cut short refused), then read by the plate reader (plate search, segmentation,
// character classifier, syntax rules). The contract: bytes give either a problem and no
// image, or an image within ImageLimits and then a read or a no-read. Crashes, leaks, hangs,
// an image past the limits and exceptions out of the guard or the reader are findings.
//
// tools/fuzz.sh also lowers OpenCV's own pixel limit (OPENCV_IO_MAX_IMAGE_PIXELS, read when the
// library loads) to 4 megapixels: a second line behind the guard for a format it misjudges.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "recognition/image_file.h"
#include "recognition/plate_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using alprsim::recognition::ImageLimits;
    static const alprsim::recognition::PlateReader reader;
    const std::vector<unsigned char> bytes(data, data + size);
    const alprsim::recognition::CheckedImage checked = alprsim::recognition::decodeImageChecked(bytes, "input");
    if (checked.image.empty() != !checked.problem.empty()) __builtin_trap();  // one or the other
    if (checked.image.empty()) return 0;
    const cv::Mat& image = checked.image;
    if (image.cols > ImageLimits::kMaxSide || image.rows > ImageLimits::kMaxSide ||
        static_cast<uint64_t>(image.cols) * static_cast<uint64_t>(image.rows) > ImageLimits::kMaxPixels)
        __builtin_trap();  // decoded past the limits the header check states
    const alprsim::recognition::PlateRead read = reader.read(image);
    if (read.noRead != read.text.empty()) __builtin_trap();  // a no-read has no text, a read has some
    return 0;
}
