#pragma once
// Warping a grey image by a homography (since 7 Dec 2026): cv::warpPerspective's pixels for an
// 8-bit single-channel image, bilinear, the source's edge pixels repeated past its border
// (INTER_LINEAR, BORDER_REPLICATE), without its per-block calls of cv::remap: the map of each
// output row in OpenCV's doubles and fixed-point weights, then the four neighbours read and
// weighted eight pixels a vector with AVX2 (one at a time on other CPUs: the same integers).
// The simulation's grey captures are warped by it (renderer.cpp); a test holds it to OpenCV's.
#include <opencv2/core.hpp>

#include "recognition/cnn_kernels.h"

namespace alprsim::recognition {

// dst (created as size x CV_8UC1) = cv::warpPerspective(src, dst, srcToDst, size, cv::INTER_LINEAR,
// cv::BORDER_REPLICATE), src CV_8UC1 and at most 32,767 pixels a side. AVX2 where the CPU has it;
// `widest` caps that (the tests hold the path of CPUs without it, cnn::Isa::Baseline, to OpenCV too).
void warpPerspectiveGrey(const cv::Mat& src, cv::Mat& dst, const cv::Matx33d& srcToDst, cv::Size size,
                         cnn::Isa widest = cnn::Isa::Avx512);

}  // namespace alprsim::recognition
