#include "recognition/onnx_network.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "core/files.h"
#include "recognition/conv_chain.h"

namespace alprsim::recognition {

OnnxNetwork::OnnxNetwork(const std::filesystem::path& path, const std::string& what) {
    const std::string bytes = readTextFile(path);  // an InputError naming the file if missing
    onnx_.assign(bytes.begin(), bytes.end());
    try {
        give(take());
    } catch (const cv::Exception& e) {
        throw std::runtime_error(path.string() + ": not a " + what + " network: " + e.what());
    }
}

namespace {

// The largest difference between two outputs, in units of the first's largest magnitude.
double relativeDifference(const cv::Mat& reference, const cv::Mat& other) {
    if (reference.total() != other.total() || reference.type() != other.type()) return 1e300;
    const double scale = std::max(1e-6, cv::norm(reference, cv::NORM_INF));
    return cv::norm(reference.reshape(1, 1), other.reshape(1, 1), cv::NORM_INF) / scale;
}

}  // namespace

OnnxNetwork::OnnxNetwork(const std::filesystem::path& path, const std::string& what, const std::vector<int>& chainInputShape)
    : OnnxNetwork(path, what) {
    auto net = take();
    std::optional<ConvChain> chain = ConvChain::of(*net);
    give(std::move(net));
    if (!chain || chainInputShape.size() != 4 || chainInputShape[0] != 1) return;
    // A fixed input in the range the readers feed (pixels / 255 - 0.5): smooth gradients and
    // a stripe pattern, so that every filter sees edges.
    cv::Mat probe(4, chainInputShape.data(), CV_32F);
    float* p = probe.ptr<float>();
    for (size_t i = 0; i < probe.total(); ++i) p[i] = static_cast<float>(0.5 * std::sin(0.37 * i) * std::cos(0.011 * i));
    try {
        if (relativeDifference(forwardDnn(probe), chain->forward(probe)) <= 1e-4)
            chain_ = std::make_unique<const ConvChain>(std::move(*chain));
    } catch (const std::exception&) {  // cv::Exception, or the chain's own std::invalid_argument
        // An input shape the network does not take: cv::dnn's forward is what will say so.
    }
}

OnnxNetwork::~OnnxNetwork() = default;

std::unique_ptr<cv::dnn::Net> OnnxNetwork::take() const {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto net = std::move(idle_.back());
            idle_.pop_back();
            return net;
        }
    }
    auto net = std::make_unique<cv::dnn::Net>(cv::dnn::readNetFromONNX(onnx_));
    net->setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    return net;
}

void OnnxNetwork::give(std::unique_ptr<cv::dnn::Net> net) const {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(net));
}

cv::Mat OnnxNetwork::forward(const cv::Mat& blob) const { return chain_ ? chain_->forward(blob) : forwardDnn(blob); }

cv::Mat OnnxNetwork::forwardDnn(const cv::Mat& blob) const {
    auto net = take();
    net->setInput(blob);
    cv::Mat out = net->forward().clone();
    give(std::move(net));
    return out;
}

}  // namespace alprsim::recognition
