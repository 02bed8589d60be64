#include "recognition/line_reader.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "recognition/area_resize.h"
#include "recognition/char_classifier.h"
#include "recognition/onnx_network.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

cv::Mat normalisePlateLine(const cv::Mat& grey) {
    cv::Mat line;
    if (grey.cols > kLineWidth)
        areaResize(grey, line, {kLineWidth, kLineHeight});  // cv::resize's INTER_AREA, faster
    else
        cv::resize(grey, line, {kLineWidth, kLineHeight}, 0, 0, cv::INTER_LINEAR);
    cv::normalize(line, line, 0, 255, cv::NORM_MINMAX);
    return line;
}

std::vector<std::filesystem::path> defaultLineModelPaths() {
    const std::filesystem::path dir = recognitionDataDir();
    return {dir / "line_cnn.onnx", dir / "line_cnn_2.onnx", dir / "line_cnn_3.onnx"};
}

namespace {

// Softmax over the classes at each output step (class kJunkClass is CTC's blank): one row a step.
cv::Mat stepProbabilities(const cv::Mat& out) {
    if (out.dims != 4 || out.size[1] != kClassCount) throw std::runtime_error("line reader network: unexpected output shape");
    const int steps = out.size[3];
    cv::Mat probs(steps, kClassCount, CV_64F);
    const float* o = out.ptr<float>();
    for (int t = 0; t < steps; ++t) {
        double top = -1e30;
        for (int k = 0; k < kClassCount; ++k) top = std::max(top, double(o[k * steps + t]));
        double sum = 0;
        for (int k = 0; k < kClassCount; ++k) sum += probs.at<double>(t, k) = std::exp(o[k * steps + t] - top);
        probs.row(t) /= sum;
    }
    return probs;
}

// One network's read: its characters (rows of probabilities) and the step where each peaked.
struct StepRead {
    cv::Mat characters;
    std::vector<double> columns;
};

// Greedy decoding: runs of one class, blanks between characters; each character's row is its
// run's most confident step.
StepRead decodeCharacters(const cv::Mat& probs) {
    const int steps = probs.rows;
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
    StepRead read{cv::Mat(static_cast<int>(rows.size()), kClassCount, CV_64F), {}};
    for (size_t i = 0; i < rows.size(); ++i) {
        probs.row(rows[i]).copyTo(read.characters.row(static_cast<int>(i)));
        read.columns.push_back(rows[i]);
    }
    return read;
}

// How many of the reads have this many characters.
int readsOfLength(const std::vector<StepRead>& reads, int length) {
    return static_cast<int>(
        std::count_if(reads.begin(), reads.end(), [&](const StepRead& r) { return r.characters.rows == length; }));
}

// The least sure character's best class among the 36 (not junk); 0 for a read of no characters.
// Every character is sure where it is at least kSureRead.
double weakestCharacter(const cv::Mat& characters) {
    double weakest = characters.rows > 0 ? 1.0 : 0.0;
    for (int i = 0; i < characters.rows; ++i) {
        double top = 0;
        cv::minMaxLoc(characters.row(i).colRange(0, kJunkClass), nullptr, &top);
        weakest = std::min(weakest, top);
    }
    return weakest;
}

// More than half of the networks have read the length of the latest read.
bool hasMajorityLength(const std::vector<StepRead>& reads, size_t networks) {
    return 2 * static_cast<size_t>(readsOfLength(reads, reads.back().characters.rows)) > networks;
}

// The reads of the length most networks agree on (ties: the earliest read's), averaged: their
// characters row by row and the steps where they peaked.
StepRead combineReads(const std::vector<StepRead>& reads) {
    int length = reads.front().characters.rows, mostVotes = 0;
    for (const StepRead& read : reads) {
        const int votes = readsOfLength(reads, read.characters.rows);
        if (votes > mostVotes) {
            mostVotes = votes;
            length = read.characters.rows;
        }
    }
    if (length == 0) return reads.front();
    StepRead sum{cv::Mat::zeros(length, kClassCount, CV_64F), std::vector<double>(static_cast<size_t>(length), 0.0)};
    for (const StepRead& read : reads) {
        if (read.characters.rows != length) continue;
        sum.characters += read.characters;
        for (size_t i = 0; i < sum.columns.size(); ++i) sum.columns[i] += read.columns[i];
    }
    sum.characters /= mostVotes;
    for (double& c : sum.columns) c /= mostVotes;
    return sum;
}

}  // namespace

LineReader::LineReader(const std::vector<std::filesystem::path>& onnxPaths) {
    if (onnxPaths.empty()) throw std::invalid_argument("line reader: no network given");
    // Our own forward pass where it gives cv::dnn's outputs (onnx_network.h, conv_chain.h): half
    // the time a forward; on brookline-baseline's 13,080 captures the same read texts
    // (bench_recognition --captures-from: the same text hash), confidences moved in the last digits.
    for (const std::filesystem::path& path : onnxPaths)
        networks_.push_back(std::make_unique<OnnxNetwork>(path, "line reader", std::vector<int>{1, 1, kLineHeight, kLineWidth}));
}

LineReader::~LineReader() = default;

cv::Mat LineReader::characterProbabilities(const cv::Mat& grey) const { return read(grey).characters; }

LineRead LineReader::read(const cv::Mat& grey, double othersFrom) const {
    const cv::Mat line = normalisePlateLine(grey);
    const cv::Mat blob = cv::dnn::blobFromImage(line, 1.0 / 255.0, {}, cv::Scalar(127.5 / 255.0));
    const cv::Mat steps = stepProbabilities(networks_.front()->forward(blob));
    std::vector<StepRead> reads{decodeCharacters(steps)};
    const double weakest = weakestCharacter(reads.front().characters);
    if (networks_.size() > 1 && weakest < kSureRead && weakest >= othersFrom) {
        // Once most of the networks agree on a length, the others cannot change the vote.
        for (size_t i = 1; i < networks_.size() && !hasMajorityLength(reads, networks_.size()); ++i) {
            reads.push_back(decodeCharacters(stepProbabilities(networks_[i]->forward(blob))));
        }
    }
    StepRead combined = reads.size() == 1 ? std::move(reads.front()) : combineReads(reads);
    return {combined.characters, std::move(combined.columns), steps};
}

}  // namespace alprsim::recognition
