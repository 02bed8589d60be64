#include "recognition/image_file.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <string_view>

#include "core/error.h"
#include "core/files.h"

namespace alprsim::recognition {

namespace {

struct Header {
    uint64_t width = 0, height = 0;
    bool complete = false;  // the file's end marker is there
};

uint32_t bigEndian(const std::vector<unsigned char>& b, size_t at, int bytes) {
    uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | b[at + i];
    return v;
}

// PNG: the IHDR chunk comes first and holds the size; the file ends with the IEND chunk.
bool readPngHeader(const std::vector<unsigned char>& b, Header& h) {
    static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() < 24 || !std::equal(kSignature, kSignature + 8, b.begin()) ||
        std::string_view(reinterpret_cast<const char*>(&b[12]), 4) != "IHDR")
        return false;
    h.width = bigEndian(b, 16, 4);
    h.height = bigEndian(b, 20, 4);
    const std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
    const size_t end = text.rfind("IEND");
    h.complete = end != std::string_view::npos && end > 24 && end + 8 <= b.size();  // the tag and its CRC
    return true;
}

// JPEG: segments from SOI to the first SOS; a start-of-frame segment (SOF0-SOF15 but DHT, JPG
// and DAC) holds the size. The entropy-coded data after SOS ends with EOI (FF D9), which its
// data never contains (a data FF is followed by 00 or a restart marker), so a file cut short lacks it.
bool readJpegHeader(const std::vector<unsigned char>& b, Header& h) {
    if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8) return false;
    size_t at = 2;
    size_t scan = 0;
    while (at + 1 < b.size()) {
        if (b[at] != 0xFF) return true;  // not a marker where one belongs: damaged (complete stays false)
        const unsigned char marker = b[at + 1];
        if (marker == 0xFF) {
            ++at;  // fill byte
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            at += 2;
            continue;
        }
        if (at + 4 > b.size()) return true;
        const size_t length = bigEndian(b, at + 2, 2);
        const bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (startOfFrame && at + 9 <= b.size()) {
            h.height = bigEndian(b, at + 5, 2);
            h.width = bigEndian(b, at + 7, 2);
        }
        if (marker == 0xDA) {
            scan = at + 2 + length;
            break;
        }
        at += 2 + length;
    }
    for (size_t i = scan; scan > 0 && i + 1 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == 0xD9) {
            h.complete = true;
            break;
        }
    return true;
}

}  // namespace

CheckedImage decodeImageChecked(const std::vector<unsigned char>& bytes, const std::string& name) {
    Header h;
    if (!readPngHeader(bytes, h) && !readJpegHeader(bytes, h)) return {{}, name + ": not a PNG or JPEG image"};
    if (h.width == 0 || h.height == 0) return {{}, name + ": a damaged image (no size in its header)"};
    if (h.width > ImageLimits::kMaxSide || h.height > ImageLimits::kMaxSide || h.width * h.height > ImageLimits::kMaxPixels)
        return {{},
                name + ": an image of " + std::to_string(h.width) + " x " + std::to_string(h.height) +
                    " pixels, larger than alprsim reads (at most " + std::to_string(ImageLimits::kMaxSide) +
                    " pixels a side and " + std::to_string(ImageLimits::kMaxPixels) + " pixels in all)"};
    if (!h.complete) return {{}, name + ": a damaged image (the file ends before the image does: truncated?)"};
    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return {{}, name + ": a damaged image (" + e.msg + ")"};
    }
    if (image.empty()) return {{}, name + ": a damaged image (it cannot be decoded)"};
    return {image, ""};
}

CheckedImage readImageChecked(const std::filesystem::path& file) {
    std::string text;
    try {
        text = readTextFile(file, kImageInput);
    } catch (const InputError& e) {
        return {{}, e.what()};
    }
    return decodeImageChecked(std::vector<unsigned char>(text.begin(), text.end()), file.string());
}

}  // namespace alprsim::recognition
