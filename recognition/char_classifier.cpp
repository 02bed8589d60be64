#include "recognition/char_classifier.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
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

int featureLength() { return static_cast<int>(hog().getDescriptorSize()) + 1; }

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
    c.cacheWeights();
    return c;
}

CharClassifier CharClassifier::train(const cv::Mat& features, const std::vector<int>& labels, int hiddenUnits, int iterations) {
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
    c.cacheWeights();
    return c;
}

void CharClassifier::save(const std::filesystem::path& path) const { mlp_->save(path.string()); }

void CharClassifier::cacheWeights() {
    const cv::Mat sizes = mlp_->getLayerSizes();
    const int layers = static_cast<int>(sizes.total());
    // OpenCV stores: weights[0] = input (scale, shift) pairs; weights[1..layers-1] = one
    // (inputs + 1) x outputs matrix per layer, the last row the bias; weights[layers] = output
    // (scale, shift) pairs. The activation is beta * (1 - e^(-alpha x)) / (1 + e^(-alpha x)).
    auto pairs = [](const cv::Mat& w, cv::Mat& scale, cv::Mat& shift) {
        cv::Mat w64;
        w.convertTo(w64, CV_64F);
        const int n = static_cast<int>(w64.total() / 2);
        scale.create(1, n, CV_32F);
        shift.create(1, n, CV_32F);
        for (int j = 0; j < n; ++j) {
            scale.at<float>(j) = static_cast<float>(w64.at<double>(2 * j));
            shift.at<float>(j) = static_cast<float>(w64.at<double>(2 * j + 1));
        }
    };
    pairs(mlp_->getWeights(0), inScale_, inShift_);
    pairs(mlp_->getWeights(layers), outScale_, outShift_);
    layerWeights_.clear();
    layerBiases_.clear();
    for (int l = 1; l < layers; ++l) {
        cv::Mat w;
        mlp_->getWeights(l).convertTo(w, CV_32F);
        layerWeights_.push_back(w.rowRange(0, w.rows - 1).clone());
        layerBiases_.push_back(w.row(w.rows - 1).clone());
    }
    // The activation keeps OpenCV's default parameters (alpha 2/3, beta 1.7159): training sets
    // none, and there is no getter; a test checks these outputs against OpenCV's predict.
}

cv::Mat CharClassifier::rawOutputsOpenCV(const cv::Mat& features) const {
    cv::Mat outputs;
    mlp_->predict(features, outputs);
    return outputs;
}

cv::Mat CharClassifier::rawOutputs(const cv::Mat& features) const {
    cv::Mat x(features.size(), CV_32F);
    for (int r = 0; r < features.rows; ++r) {
        const float* f = features.ptr<float>(r);
        float* o = x.ptr<float>(r);
        const float* a = inScale_.ptr<float>();
        const float* b = inShift_.ptr<float>();
        for (int j = 0; j < features.cols; ++j) o[j] = f[j] * a[j] + b[j];
    }
    const float alpha = static_cast<float>(activationAlpha_), beta = static_cast<float>(activationBeta_);
    for (size_t l = 0; l < layerWeights_.size(); ++l) {
        // y = x W, row by row: each output row depends on its input row alone (the reader
        // reuses a glyph's outputs across rows), and the inner loop runs along W's rows.
        const cv::Mat& W = layerWeights_[l];
        cv::Mat y(x.rows, W.cols, CV_32F, cv::Scalar(0));
        for (int r = 0; r < x.rows; ++r) {
            const float* in = x.ptr<float>(r);
            float* out = y.ptr<float>(r);
            for (int i = 0; i < W.rows; ++i) {
                const float a = in[i];
                const float* w = W.ptr<float>(i);
                for (int j = 0; j < W.cols; ++j) out[j] += a * w[j];
            }
        }
        for (int r = 0; r < y.rows; ++r) {
            float* v = y.ptr<float>(r);
            const float* bias = layerBiases_[l].ptr<float>();
            for (int j = 0; j < y.cols; ++j) {
                const float e = std::exp(-alpha * (v[j] + bias[j]));
                v[j] = beta * (1.0f - e) / (1.0f + e);
            }
        }
        x = y;
    }
    for (int r = 0; r < x.rows; ++r) {
        float* v = x.ptr<float>(r);
        for (int j = 0; j < x.cols; ++j) v[j] = v[j] * outScale_.at<float>(j) + outShift_.at<float>(j);
    }
    return x;
}

cv::Mat CharClassifier::probabilities(const cv::Mat& features) const {
    const cv::Mat outputs = rawOutputs(features);
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
