#pragma once
// A second way to read a plate's characters: the whole plate crop at once, without cutting it
// into characters first. A small fully convolutional network (trained with CTC on rendered
// plates, tools/train_line_cnn.py) looks at the crop scaled to kLineHeight x kLineWidth and
// gives, for each of its columns of output, the probabilities of the 36 characters and of
// "no character here". Characters that touch, frames, bolts and emblems, which make connected
// components give rows of the wrong length (plate_reader.h), need no segmentation here.
#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>

namespace alprsim::recognition {

constexpr int kLineWidth = 96;
constexpr int kLineHeight = 32;

// A plate crop (grey, 8-bit) as the network sees it: scaled to kLineWidth x kLineHeight and
// stretched to the full range of grey. The training harvest (training.h) uses the same.
cv::Mat normalisePlateLine(const cv::Mat& grey);

// data/recognition/line_cnn.onnx (recognitionDataDir()).
std::filesystem::path defaultLineModelPath();

class LineReader {
public:
    // Throws std::runtime_error naming the file if it cannot be read as the network.
    explicit LineReader(const std::filesystem::path& onnxPath = defaultLineModelPath());
    ~LineReader();
    // The characters read (greedy CTC decoding) as rows of kClassCount probabilities: each
    // row is the output column where that character peaked, with the "no character" mass as
    // the junk class, ready for applySyntax (plate_reader.h). Thread-safe.
    cv::Mat characterProbabilities(const cv::Mat& grey) const;

private:
    struct Nets;
    std::unique_ptr<Nets> nets_;
};

}  // namespace alprsim::recognition
