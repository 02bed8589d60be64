#pragma once
// A second reading backend for comparison: Tesseract (LSTM, English model), one text line,
// characters limited to A-Z and 0-9. Not thread-safe: one instance per thread.
#include <opencv2/core.hpp>

#include <memory>

#include "recognition/plate_reader.h"

namespace tesseract {
class TessBaseAPI;
}

namespace alprsim::recognition {

class TesseractReader {
public:
    // cropToCharacters: give Tesseract only the band of characters that our segmentation
    // finds (else the whole image, header and slogan included: "stock" Tesseract).
    explicit TesseractReader(bool cropToCharacters = true);
    ~TesseractReader();
    TesseractReader(const TesseractReader&) = delete;
    TesseractReader& operator=(const TesseractReader&) = delete;

    PlateRead read(const cv::Mat& crop);

private:
    std::unique_ptr<tesseract::TessBaseAPI> api_;
    bool cropToCharacters_;
};

}  // namespace alprsim::recognition
