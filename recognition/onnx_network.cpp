#include "recognition/onnx_network.h"

#include <stdexcept>

#include "core/files.h"

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

cv::Mat OnnxNetwork::forward(const cv::Mat& blob) const {
    auto net = take();
    net->setInput(blob);
    cv::Mat out = net->forward().clone();
    give(std::move(net));
    return out;
}

}  // namespace alprsim::recognition
