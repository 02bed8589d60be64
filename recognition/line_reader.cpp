#include "recognition/line_reader.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/files.h"
#include "recognition/char_classifier.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

cv::Mat normalisePlateLine(const cv::Mat& grey) {
    cv::Mat line;
    const int interpolation = grey.cols > kLineWidth ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(grey, line, {kLineWidth, kLineHeight}, 0, 0, interpolation);
    cv::normalize(line, line, 0, 255, cv::NORM_MINMAX);
    return line;
}

std::filesystem::path defaultLineModelPath() { return recognitionDataDir() / "line_cnn.onnx"; }

// cv::dnn::Net::forward is not const: each thread reading at a time takes a network of its own
// from this pool (all read from the same file bytes).
struct LineReader::Nets {
    std::vector<uchar> onnx;
    std::mutex mutex;
    std::vector<std::unique_ptr<cv::dnn::Net>> idle;

    std::unique_ptr<cv::dnn::Net> take() {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                auto net = std::move(idle.back());
                idle.pop_back();
                return net;
            }
        }
        auto net = std::make_unique<cv::dnn::Net>(cv::dnn::readNetFromONNX(onnx));
        net->setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        return net;
    }
    void give(std::unique_ptr<cv::dnn::Net> net) {
        std::lock_guard lock(mutex);
        idle.push_back(std::move(net));
    }
};

LineReader::LineReader(const std::filesystem::path& onnxPath) : nets_(std::make_unique<Nets>()) {
    const std::string bytes = readTextFile(onnxPath);  // an InputError naming the file if missing
    nets_->onnx.assign(bytes.begin(), bytes.end());
    try {
        nets_->give(nets_->take());
    } catch (const cv::Exception& e) {
        throw std::runtime_error(onnxPath.string() + ": not a line reader network: " + e.what());
    }
}

LineReader::~LineReader() = default;

cv::Mat LineReader::characterProbabilities(const cv::Mat& grey) const {
    const cv::Mat line = normalisePlateLine(grey);
    const cv::Mat blob = cv::dnn::blobFromImage(line, 1.0 / 255.0, {}, cv::Scalar(127.5 / 255.0));
    auto net = nets_->take();
    net->setInput(blob);
    const cv::Mat out = net->forward().clone();  // 1 x kClassCount x 1 x T
    nets_->give(std::move(net));
    if (out.dims != 4 || out.size[1] != kClassCount) throw std::runtime_error("line reader network: unexpected output shape");
    const int steps = out.size[3];
    // Softmax over the classes at each step; class kJunkClass is CTC's blank.
    cv::Mat probs(steps, kClassCount, CV_64F);
    const float* o = out.ptr<float>();
    for (int t = 0; t < steps; ++t) {
        double top = -1e30;
        for (int k = 0; k < kClassCount; ++k) top = std::max(top, double(o[k * steps + t]));
        double sum = 0;
        for (int k = 0; k < kClassCount; ++k) sum += probs.at<double>(t, k) = std::exp(o[k * steps + t] - top);
        probs.row(t) /= sum;
    }
    // Greedy decoding: runs of one class, blanks between characters; each character's row is
    // its run's most confident step.
    std::vector<int> rows;
    int previous = kJunkClass;
    for (int t = 0; t < steps; ++t) {
        cv::Point best;
        cv::minMaxLoc(probs.row(t), nullptr, nullptr, nullptr, &best);
        if (best.x != kJunkClass && best.x == previous) {
            if (probs.at<double>(t, best.x) > probs.at<double>(rows.back(), best.x)) rows.back() = t;
        } else if (best.x != kJunkClass) {
            rows.push_back(t);
        }
        previous = best.x;
    }
    cv::Mat characters(static_cast<int>(rows.size()), kClassCount, CV_64F);
    for (size_t i = 0; i < rows.size(); ++i) probs.row(rows[i]).copyTo(characters.row(static_cast<int>(i)));
    return characters;
}

}  // namespace alprsim::recognition
