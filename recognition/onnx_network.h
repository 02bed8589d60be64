#pragma once
// One ONNX network (read with OpenCV's dnn) that any number of threads may run at once.
// cv::dnn::Net::forward is not const: each thread running at a time takes a copy of its own
// from a pool, all made from the same file bytes, and gives it back. A network that is a plain
// chain of convolutions, ReLUs and max poolings may run by our own forward pass instead
// (conv_chain.h), where the caller asks for it.
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace alprsim::recognition {

class ConvChain;

class OnnxNetwork {
public:
    // Reads the file and builds one network from it. Throws InputError naming the file if it
    // cannot be read, std::runtime_error naming it and `what` if it is not such a network.
    OnnxNetwork(const std::filesystem::path& path, const std::string& what);
    // The same; where the network is a chain ConvChain runs and, on a fixed input of
    // chainInputShape (N x C x H x W, N = 1), gives cv::dnn's output (each value within 1e-4 of
    // the output's largest magnitude), forward runs the chain: the same outputs but for the
    // last bits of a float, in a fraction of the time. Else cv::dnn, as the constructor above.
    OnnxNetwork(const std::filesystem::path& path, const std::string& what, const std::vector<int>& chainInputShape);
    ~OnnxNetwork();
    // Whether forward runs our own pass (ConvChain), not cv::dnn's.
    bool runsOwnForward() const { return chain_ != nullptr; }
    // The network's first output for this input blob (a copy the caller owns). Thread-safe.
    cv::Mat forward(const cv::Mat& blob) const;

private:
    // cv::dnn's forward on a net from the pool.
    cv::Mat forwardDnn(const cv::Mat& blob) const;
    std::unique_ptr<cv::dnn::Net> take() const;
    void give(std::unique_ptr<cv::dnn::Net> net) const;
    std::vector<uchar> onnx_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<cv::dnn::Net>> idle_;
    std::unique_ptr<const ConvChain> chain_;  // set where it stands in for cv::dnn
};

}  // namespace alprsim::recognition
