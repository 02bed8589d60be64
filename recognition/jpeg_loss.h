#pragma once
// What a JPEG camera does to a grey capture, without writing the file: the image a baseline
// greyscale JPEG of the given quality decodes to. JPEG's loss is all in the quantisation of each
// 8x8 block's DCT coefficients (the entropy coding is lossless), so the round trip here is the
// forward DCT, quantisation and the inverse DCT alone, in the integer arithmetic of libjpeg's
// accurate DCT (JDCT_ISLOW, the default of libjpeg and of cv::imencode / cv::imdecode), with the
// standard luminance table scaled as jpeg_set_quality scales it (limited to baseline values) and
// the image's edges padded to whole blocks as libjpeg pads them. The same pixels as
// cv::imencode(".jpg", grey, {IMWRITE_JPEG_QUALITY, quality}) then cv::imdecode (a test holds
// them to it) at about a fifth of the cost: the simulation's captures (renderer.cpp) spent a
// tenth of their rendering and reading there (recognition/README.md, "Capture cost").
#include <opencv2/core.hpp>

#include <array>

#include "recognition/cnn_kernels.h"

namespace alprsim::recognition {

// The quantisation table (natural order) of a baseline JPEG of this quality (1-100).
std::array<int, 64> jpegLuminanceTable(int quality);

// grey (CV_8UC1, any size) replaced by its JPEG round trip at this quality (1-100). Throws
// std::invalid_argument for another type or a quality outside 1-100. Two blocks a vector with
// AVX-512, one with AVX2 or the baseline, as the CPU allows; `widest` caps that (tests run each).
void jpegRoundTrip(cv::Mat& grey, int quality, cnn::Isa widest = cnn::Isa::Avx512);

}  // namespace alprsim::recognition
