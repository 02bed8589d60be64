#pragma once
// The convolutional character recogniser: a small CNN trained with PyTorch on glyphs harvested
// from rendered plates (tools/train_char_cnn.py), run by our own single-precision forward pass
// (a test holds it to OpenCV's dnn on the same network exported as ONNX).
//
// Network: the normalised glyph (segmentation.h, 24 x 36) as one channel, then convolutions
// (3x3, padding 1, ReLU, 2x2 max pooling, floor), flattened channel-major as PyTorch does,
// then dense layers (ReLU between them), then a softmax over the kClassCount classes.
#include <opencv2/core.hpp>

#include <filesystem>
#include <vector>

#include "recognition/cnn_kernels.h"

namespace alprsim::recognition {

class CharCnn {
public:
    // Loads data/recognition/char_cnn.yml.gz as written by tools/train_char_cnn.py; throws
    // std::runtime_error naming the file if it cannot.
    static CharCnn load(const std::filesystem::path& path);
    // Class probabilities (CV_64F, one row per glyph) of normalised glyphs (CV_8U,
    // kGlyphWidth x kGlyphHeight each). Thread-safe (const).
    cv::Mat probabilities(const std::vector<cv::Mat>& glyphs) const;
    // The network's outputs before the softmax (CV_32F, one row per glyph).
    cv::Mat logits(const std::vector<cv::Mat>& glyphs) const;

private:
    struct Dense {
        int in = 0, out = 0;
        std::vector<float> w;  // in x out (transposed from PyTorch)
        std::vector<float> b;
    };
    void forward(const cv::Mat& glyph, float* out) const;
    float inputScale_ = 1.0f, inputShift_ = 0.0f;  // x = pixel * scale + shift
    std::vector<cnn::ConvLayer> convs_;            // 3x3, padding 1, ReLU, 2x2 max pooling
    std::vector<Dense> dense_;
};

}  // namespace alprsim::recognition
