#pragma once
// The one call the simulation makes per capture: what the ALPR system reads for a vehicle's
// true plate under the capture's conditions.
//   full        render the photograph and read it with the recognition pipeline
//   calibrated  draw the read from the error model fitted on the full pipeline (fast)
//   perfect     the true plate, always (an upper bound for the privacy analysis)
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/plate.h"
#include "recognition/capture.h"
#include "recognition/plate_reader.h"
#include "recognition/renderer.h"

namespace alprsim::recognition {

class ErrorModel;

enum class RecognitionMode { Full, Calibrated, Perfect };
std::string_view toString(RecognitionMode mode);
// "full", "calibrated" or "perfect"; throws std::invalid_argument otherwise.
RecognitionMode parseRecognitionMode(std::string_view text);

struct RecognizerPaths {
    std::filesystem::path characterModel;  // empty: defaultCharacterModelPath()
    std::filesystem::path errorModel;      // empty: defaultErrorModelPath()
};

// How full mode reads the simulation's captures (Recognizer); the error model is fitted on
// reads made the same way (tools/train_recognizer --fit-error-model).
PlateReaderOptions captureReaderOptions();

// One capture to read: the vehicle's true plate, the photograph's conditions, the capture's seed.
struct RecognitionRequest {
    std::string truePlate;
    CaptureConditions conditions;
    uint64_t seed = 0;
    std::string plateDesign{kStandardDesign};  // core/plate.h: how the plate is drawn (full mode)
};

class Recognizer {
public:
    static Recognizer create(RecognitionMode mode, const RecognizerPaths& paths = {});

    // Thread-safe; deterministic in (truePlate, conditions, seed, plateDesign).
    PlateRead recognize(const std::string& truePlate, const CaptureConditions& conditions, uint64_t seed,
                        std::string_view plateDesign = kStandardDesign) const;
    // recognize() of each request, in the requests' order, spread over `threads` threads (0: one
    // per core) when the mode renders and reads (full): the same reads as one by one.
    // With ALPRSIM_CAPTURE_LOG=FILE in the environment, each request is also appended to FILE
    // (writeCaptureLog's columns) for bench_recognition --captures-from: a run's own captures.
    std::vector<PlateRead> recognizeAll(const std::vector<RecognitionRequest>& requests, unsigned threads) const;
    RecognitionMode mode() const { return mode_; }

private:
    RecognitionMode mode_ = RecognitionMode::Perfect;
    std::shared_ptr<const PlateReader> reader_;
    std::shared_ptr<VehiclePlates> plates_;  // full mode: each vehicle's plate drawn once
    std::shared_ptr<const ErrorModel> errorModel_;
};

// Requests as CSV (plate, seed and every CaptureConditions field, doubles exact), a header
// first when `header`; readCaptureLog reads them back (InputError naming the file and row).
void writeCaptureLog(std::ostream& out, const std::vector<RecognitionRequest>& requests, bool header);
std::vector<RecognitionRequest> readCaptureLog(const std::filesystem::path& file);

}  // namespace alprsim::recognition
