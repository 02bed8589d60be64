#pragma once
// Shrinking a grey image by area averaging, as cv::resize(src, dst, size, 0, 0, INTER_AREA) does
// (a test holds it to the same pixels), faster where OpenCV 4.6 is slowest: a scale that is not
// a whole number. OpenCV adds each source pixel's share into its output pixel one table entry
// at a time (a store and a load of the same float per entry); here each output pixel's shares
// are added in a register, in the same order and in the same float arithmetic, 8 output pixels
// at a time. The simulation's captures scale each vehicle's plate this way (renderer.cpp,
// scaledPlate), which took a twelfth of a capture's rendering and reading.
#include <opencv2/core.hpp>

namespace alprsim::recognition {

// dst = src resized to size by area averaging; for an image that is not 8-bit grey, a size not
// smaller than src in both directions, or a whole-number scale, this is cv::resize itself.
void areaResize(const cv::Mat& src, cv::Mat& dst, cv::Size size);

}  // namespace alprsim::recognition
