#pragma once
// A network that is a plain chain of stride-1 convolutions with biases, each followed or not by
// a ReLU and a max pooling (the line reader's, line_reader.h), run by our own forward pass
// (cnn_kernels.h) instead of cv::dnn's. On the line network (14.7 M multiply-adds, 1 x 32 x 96
// in) cv::dnn spends much of its time outside the deep convolutions (Net::getPerfProfile, on a
// loaded machine: the one-channel first convolution 0.20 ms and the poolings 0.23 ms of 1.77 ms);
// this pass takes about half of cv::dnn's time a forward (0.33 ms against 0.65-0.9 ms, one core).
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <optional>
#include <vector>

#include "recognition/cnn_kernels.h"

namespace alprsim::recognition {

class ConvChain {
public:
    // The chain that net's layers make; nullopt if they make anything else (another kind of
    // layer, a stride, dilation or group, average pooling, a layer not fed by the one before).
    static std::optional<ConvChain> of(cv::dnn::Net& net);
    // The network's output (1 x channels x height x width, CV_32F, as cv::dnn gives it) for a
    // 1 x channels x height x width CV_32F blob. Thread-safe.
    cv::Mat forward(const cv::Mat& blob) const;

private:
    std::vector<cnn::ConvLayer> steps_;
};

}  // namespace alprsim::recognition
