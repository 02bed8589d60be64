#include "recognition/char_classifier.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

#include "recognition/segmentation.h"

namespace alprsim::recognition {
namespace {

const cv::HOGDescriptor& hog() {
    // 12x12 blocks of 6x6 cells on the 24x36 glyph, 9 orientation bins: 3 x 5 blocks x 36.
    static const cv::HOGDescriptor descriptor({kGlyphWidth, kGlyphHeight}, {12, 12}, {6, 6}, {6, 6}, 9);
    return descriptor;
}

// The output activations of the MLP are not probabilities; a softmax with a gain fitted by
// eye on held-out rendered glyphs makes them usable as per-character confidences.
constexpr double kSoftmaxGain = 6.0;

}  // namespace

int classOf(char c) {
    const auto pos = kCharacterClasses.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

int featureLength() {
    return static_cast<int>(hog().getDescriptorSize()) + 1;
}

cv::Mat glyphFeatures(const cv::Mat& glyph) {
    std::vector<float> values;
    hog().compute(glyph, values);
    // How much of the window the ink spans across: tells a narrow '1' from a wide 'M'.
    cv::Mat ink = glyph < 128;
    const cv::Rect span = cv::boundingRect(ink);
    values.push_back(static_cast<float>(span.width) / kGlyphWidth);
    return cv::Mat(values, true).reshape(1, 1);
}

CharClassifier CharClassifier::load(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error("character model not found: " + path.string());
    }
    CharClassifier c;
    c.mlp_ = cv::ml::ANN_MLP::load(path.string());
    if (!c.mlp_ || !c.mlp_->isTrained()) throw std::runtime_error("not a trained character model: " + path.string());
    return c;
}

CharClassifier CharClassifier::train(const cv::Mat& features, const std::vector<int>& labels, int hiddenUnits,
                                     int iterations) {
    cv::theRNG().state = 20261128;  // the MLP's initial weights come from OpenCV's RNG
    cv::Mat targets(static_cast<int>(labels.size()), kClassCount, CV_32F, cv::Scalar(-1.0f));
    for (size_t i = 0; i < labels.size(); ++i) targets.at<float>(static_cast<int>(i), labels[i]) = 1.0f;
    CharClassifier c;
    c.mlp_ = cv::ml::ANN_MLP::create();
    c.mlp_->setLayerSizes(std::vector<int>{features.cols, hiddenUnits, kClassCount});
    c.mlp_->setActivationFunction(cv::ml::ANN_MLP::SIGMOID_SYM);
    c.mlp_->setTrainMethod(cv::ml::ANN_MLP::RPROP, 0.01);  // a small first step: the default 0.1 stalls
    c.mlp_->setTermCriteria({cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, iterations, 1e-6});
    c.mlp_->train(cv::ml::TrainData::create(features, cv::ml::ROW_SAMPLE, targets));
    return c;
}

void CharClassifier::save(const std::filesystem::path& path) const {
    mlp_->save(path.string());
}

cv::Mat CharClassifier::probabilities(const cv::Mat& features) const {
    cv::Mat outputs;
    mlp_->predict(features, outputs);
    cv::Mat probs(outputs.size(), CV_64F);
    for (int r = 0; r < outputs.rows; ++r) {
        const float* o = outputs.ptr<float>(r);
        double* p = probs.ptr<double>(r);
        double maxOut = o[0];
        for (int k = 1; k < outputs.cols; ++k) maxOut = std::max(maxOut, double(o[k]));
        double sum = 0;
        for (int k = 0; k < outputs.cols; ++k) sum += p[k] = std::exp(kSoftmaxGain * (o[k] - maxOut));
        for (int k = 0; k < outputs.cols; ++k) p[k] /= sum;
    }
    return probs;
}

}  // namespace alprsim::recognition
