#include "recognition/conv_chain.h"

#include <opencv2/dnn/all_layers.hpp>

#include <algorithm>

namespace alprsim::recognition {
namespace {

bool allOnes(const std::vector<size_t>& values) {
    return std::all_of(values.begin(), values.end(), [](size_t v) { return v == 1; });
}

// What cv::dnn's max pooling is in OpenCV 4.6 (PoolingLayerImpl's first type); the load-time
// comparison with cv::dnn's output (OnnxNetwork) catches a misreading.
constexpr int kMaxPooling = 0;

}  // namespace

std::optional<ConvChain> ConvChain::of(cv::dnn::Net& net) {
    cnn::activeIsa();  // a bad ALPRSIM_CNN_ISA is reported here, before any reading
    ConvChain chain;
    cv::Ptr<cv::dnn::Layer> previous = net.getLayer(0);  // the input
    int channels = -1;                                   // unknown until the first convolution
    for (const cv::String& name : net.getLayerNames()) {
        const int id = net.getLayerId(name);
        const cv::Ptr<cv::dnn::Layer> layer = net.getLayer(id);
        const std::vector<cv::Ptr<cv::dnn::Layer>> inputs = net.getLayerInputs(id);
        if (inputs.size() != 1 || inputs.front() != previous) return std::nullopt;
        previous = layer;
        cnn::ConvLayer* last = chain.steps_.empty() ? nullptr : &chain.steps_.back();
        if (layer->type == "Identity") continue;
        if (const auto* conv = dynamic_cast<const cv::dnn::BaseConvolutionLayer*>(layer.get());
            conv && layer->type == "Convolution") {
            if (conv->kernel_size.size() != 2 || !allOnes(conv->strides) || !allOnes(conv->dilations) || !conv->padMode.empty() ||
                conv->pads_begin.size() != 2 || conv->pads_end.size() != 2 || conv->blobs.size() != 2)
                return std::nullopt;
            const cv::Mat& w = conv->blobs[0];
            const cv::Mat& b = conv->blobs[1];
            cnn::ConvLayer step;
            step.out = conv->numOutput;
            step.in = w.dims == 4 ? w.size[1] : 0;
            step.kernelH = static_cast<int>(conv->kernel_size[0]);
            step.kernelW = static_cast<int>(conv->kernel_size[1]);
            step.padding = {static_cast<int>(conv->pads_begin[0]), static_cast<int>(conv->pads_begin[1]),
                            static_cast<int>(conv->pads_end[0]), static_cast<int>(conv->pads_end[1])};
            const size_t k = static_cast<size_t>(step.in) * step.kernelH * step.kernelW;
            if (w.type() != CV_32F || b.type() != CV_32F || w.size[0] != step.out || w.size[2] != step.kernelH ||
                w.size[3] != step.kernelW || b.total() != static_cast<size_t>(step.out) || (channels >= 0 && step.in != channels))
                return std::nullopt;
            step.outPadded = (step.out + 3) / 4 * 4;
            step.w.assign(static_cast<size_t>(step.outPadded) * k, 0.0f);
            step.b.assign(static_cast<size_t>(step.outPadded), 0.0f);
            std::copy(w.ptr<float>(), w.ptr<float>() + static_cast<size_t>(step.out) * k, step.w.begin());
            std::copy(b.ptr<float>(), b.ptr<float>() + step.out, step.b.begin());
            channels = step.out;
            chain.steps_.push_back(std::move(step));
        } else if (const auto* relu = dynamic_cast<const cv::dnn::ReLULayer*>(layer.get())) {
            if (!last || last->relu || last->poolH * last->poolW > 1 || relu->negativeSlope != 0.0f) return std::nullopt;
            last->relu = true;
        } else if (const auto* pool = dynamic_cast<const cv::dnn::PoolingLayer*>(layer.get()); pool && layer->type == "Pooling") {
            if (!last || last->poolH * last->poolW > 1 || pool->type != kMaxPooling || pool->globalPooling ||
                pool->kernel_size.size() != 2 || pool->strides != pool->kernel_size || !pool->padMode.empty() ||
                std::any_of(pool->pads_begin.begin(), pool->pads_begin.end(), [](size_t p) { return p != 0; }) ||
                std::any_of(pool->pads_end.begin(), pool->pads_end.end(), [](size_t p) { return p != 0; }))
                return std::nullopt;
            last->poolH = static_cast<int>(pool->kernel_size[0]);
            last->poolW = static_cast<int>(pool->kernel_size[1]);
        } else {
            return std::nullopt;
        }
    }
    if (chain.steps_.empty()) return std::nullopt;
    return chain;
}

cv::Mat ConvChain::forward(const cv::Mat& blob) const {
    CV_Assert(blob.dims == 4 && blob.size[0] == 1 && blob.size[1] == steps_.front().in && blob.type() == CV_32F &&
              blob.isContinuous());
    int h = blob.size[2], w = blob.size[3];
    // Scratch kept by each thread: a forward allocates nothing once warm.
    thread_local std::vector<float> x, padded, y;
    x.assign(blob.ptr<float>(), blob.ptr<float>() + blob.total());
    for (const cnn::ConvLayer& step : steps_) step.apply(x, h, w, padded, y);
    const int shape[] = {1, steps_.back().out, h, w};
    cv::Mat out(4, shape, CV_32F);
    std::copy(x.begin(), x.end(), out.ptr<float>());
    return out;
}

}  // namespace alprsim::recognition
