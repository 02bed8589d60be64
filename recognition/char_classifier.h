#pragma once
// The character recogniser: HOG features of a normalised glyph into a small multilayer
// perceptron (OpenCV ml), trained on rendered plates only (tools/train_recognizer.cpp).
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <opencv2/objdetect.hpp>

#include <filesystem>
#include <string_view>
#include <vector>

namespace alprsim::recognition {

// Classes: the 36 characters, then kJunkClass for blobs that are not characters.
constexpr std::string_view kCharacterClasses = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr int kJunkClass = static_cast<int>(kCharacterClasses.size());
constexpr int kClassCount = kJunkClass + 1;
int classOf(char c);  // -1 if not a plate character

// Feature vector of a normalised glyph (segmentation.h), CV_32F, one row.
cv::Mat glyphFeatures(const cv::Mat& glyph);
int featureLength();

class CharClassifier {
public:
    // Loads a trained model; throws std::runtime_error naming the file if it cannot.
    static CharClassifier load(const std::filesystem::path& path);
    // Trains on features (rows) with class labels (kClassCount classes); deterministic.
    static CharClassifier train(const cv::Mat& features, const std::vector<int>& labels, int hiddenUnits, int iterations);
    void save(const std::filesystem::path& path) const;

    // Probabilities over the kClassCount classes, one row per feature row.
    cv::Mat probabilities(const cv::Mat& features) const;
    // The raw network outputs, one row per feature row (CV_32F): computed here in single
    // precision from the model's weights; rawOutputsOpenCV gives OpenCV's own (double) pass,
    // which tests compare against.
    cv::Mat rawOutputs(const cv::Mat& features) const;
    cv::Mat rawOutputsOpenCV(const cv::Mat& features) const;

private:
    void cacheWeights();
    cv::Ptr<cv::ml::ANN_MLP> mlp_;
    // The network as float matrices: input scale and shift, per layer weights (inputs x
    // outputs) and biases, output scale and shift. OpenCV's predict works in double precision
    // through general matrix products, a tenth of the reader's time.
    cv::Mat inScale_, inShift_, outScale_, outShift_;
    std::vector<cv::Mat> layerWeights_, layerBiases_;
    double activationAlpha_ = 2.0 / 3.0, activationBeta_ = 1.7159;
};

}  // namespace alprsim::recognition
