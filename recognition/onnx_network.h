#pragma once
// One ONNX network (read with OpenCV's dnn) that any number of threads may run at once.
// cv::dnn::Net::forward is not const: each thread running at a time takes a copy of its own
// from a pool, all made from the same file bytes, and gives it back.
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace alprsim::recognition {

class OnnxNetwork {
public:
    // Reads the file and builds one network from it. Throws InputError naming the file if it
    // cannot be read, std::runtime_error naming it and `what` if it is not such a network.
    OnnxNetwork(const std::filesystem::path& path, const std::string& what);
    // The network's first output for this input blob (a copy the caller owns). Thread-safe.
    cv::Mat forward(const cv::Mat& blob) const;

private:
    std::unique_ptr<cv::dnn::Net> take() const;
    void give(std::unique_ptr<cv::dnn::Net> net) const;
    std::vector<uchar> onnx_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<cv::dnn::Net>> idle_;
};

}  // namespace alprsim::recognition
