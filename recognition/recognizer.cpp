#include "recognition/recognizer.h"

#include <stdexcept>

#include "recognition/parallel_reads.h"
#include "recognition/error_model.h"
#include "recognition/renderer.h"

namespace alprsim::recognition {

std::string_view toString(RecognitionMode mode) {
    switch (mode) {
        case RecognitionMode::Full:
            return "full";
        case RecognitionMode::Calibrated:
            return "calibrated";
        case RecognitionMode::Perfect:
            return "perfect";
    }
    return "?";
}

RecognitionMode parseRecognitionMode(std::string_view text) {
    if (text == "full") return RecognitionMode::Full;
    if (text == "calibrated") return RecognitionMode::Calibrated;
    if (text == "perfect") return RecognitionMode::Perfect;
    throw std::invalid_argument("recognition mode must be full, calibrated or perfect, not '" + std::string(text) + "'");
}

Recognizer Recognizer::create(RecognitionMode mode, const RecognizerPaths& paths) {
    Recognizer r;
    r.mode_ = mode;
    if (mode == RecognitionMode::Full) {
        PlateReaderOptions options;
        options.modelPath = paths.characterModel;
        options.syntax = SyntaxRule::Massachusetts;  // the simulated fleet is registered in Massachusetts
        r.reader_ = std::make_shared<const PlateReader>(options);
    } else if (mode == RecognitionMode::Calibrated) {
        r.errorModel_ = std::make_shared<const ErrorModel>(
            ErrorModel::load(paths.errorModel.empty() ? defaultErrorModelPath() : paths.errorModel));
    }
    return r;
}

PlateRead Recognizer::recognize(const std::string& truePlate, const CaptureConditions& conditions, uint64_t seed) const {
    switch (mode_) {
        case RecognitionMode::Full: {
            const RenderedCapture capture = renderCapture(truePlate, massachusettsStyle(), conditions, seed);
            return reader_->read(capture.image);
        }
        case RecognitionMode::Calibrated: {
            Rng rng = Rng::stream(seed, "calibrated-read");
            return errorModel_->apply(truePlate, conditions, rng);
        }
        case RecognitionMode::Perfect:
            break;
    }
    PlateRead exact;
    exact.text = truePlate;
    exact.confidence = 1.0;
    exact.noRead = false;
    exact.charConfidence.assign(truePlate.size(), 1.0);
    return exact;
}

std::vector<PlateRead> Recognizer::recognizeAll(const std::vector<RecognitionRequest>& requests, unsigned threads) const {
    std::vector<PlateRead> reads(requests.size());
    // Only full mode is worth the threads: the others cost less than starting them.
    const unsigned workers = mode_ == RecognitionMode::Full ? threads : 1;
    forEachRead(requests.size(), workers,
                [&](size_t i) { reads[i] = recognize(requests[i].truePlate, requests[i].conditions, requests[i].seed); });
    return reads;
}

}  // namespace alprsim::recognition
