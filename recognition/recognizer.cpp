#include "recognition/recognizer.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "core/csv.h"
#include "core/error.h"

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
        PlateReaderOptions options = captureReaderOptions();
        options.modelPath = paths.characterModel;
        r.reader_ = std::make_shared<const PlateReader>(options);
        r.plates_ = std::make_shared<VehiclePlates>();
    } else if (mode == RecognitionMode::Calibrated) {
        r.errorModel_ = std::make_shared<const ErrorModel>(
            ErrorModel::load(paths.errorModel.empty() ? defaultErrorModelPath() : paths.errorModel));
    }
    return r;
}

PlateReaderOptions captureReaderOptions() {
    PlateReaderOptions options;
    // The fleet is mostly Massachusetts standard plates, whose formats correct many a misread;
    // its vanity texts and other states' plates are read where every character is sure
    // (SyntaxRule::MassachusettsOrSure; recognition/README.md, "The fleet's plates").
    options.syntax = SyntaxRule::MassachusettsOrSure;
    // Regions of interest: the line reader first gave the same reads on 1,500 captures
    // (bench_recognition --captures 1500 --line first: the same read hash) at 5.3 ms a capture
    // against 3.1 ms, so the captures keep the line reader as fallback.
    options.line = LineReading::Fallback;
    // Light characters on a dark ground are looked for too (darkCharactersOnly off): the fleet's
    // Massachusetts 250 and Vermont plates print them.
    // The line reader's other networks only where the first one's read is not hopeless
    // (PlateReaderOptions::lineOthersFrom): a twentieth of a capture's cost, 7 of 13,080 reads.
    options.lineOthersFrom = 0.3;
    // The check of the line reader's characters against the ink's heights is for stacked letters
    // and marks the simulated Massachusetts plates do not carry: on 3,000 captures it read the same
    // (bench_recognition --captures 3000 --character-heights: the same hashes; a first version read
    // 39.10% -> 39.00% exact). Off: full mode reads as before without its cost.
    options.characterHeights = false;
    return options;
}

PlateRead Recognizer::recognize(const std::string& truePlate, const CaptureConditions& conditions, uint64_t seed,
                                std::string_view plateDesign) const {
    switch (mode_) {
        case RecognitionMode::Full: {
            const RenderedCapture capture =
                renderCapture(*plates_->of(truePlate, fleetPlateStyle(plateDesign)), conditions, seed);
            return reader_->read(capture.image);
        }
        case RecognitionMode::Calibrated: {
            Rng rng = Rng::stream(seed, "calibrated-read");
            return errorModel_->apply(truePlate, plateKind(truePlate, plateDesign), conditions, rng);
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

namespace {

const std::vector<std::string> kCaptureLogColumns = {
    "plate",       "seed",  "plate_width_px", "yaw_deg", "pitch_deg", "roll_deg",  "motion_blur_px", "defocus_sigma",
    "noise_sigma", "light", "rain",           "glare",   "dirt",      "occlusion", "jpeg_quality",   "plate_design"};

void logCaptures(const std::vector<RecognitionRequest>& requests) {
    static const char* path = std::getenv("ALPRSIM_CAPTURE_LOG");
    if (!path || !*path) return;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    const bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path) == 0;
    std::ofstream out(path, std::ios::app);
    writeCaptureLog(out, requests, fresh);
}

}  // namespace

void writeCaptureLog(std::ostream& out, const std::vector<RecognitionRequest>& requests, bool header) {
    if (header) out << csvRow(kCaptureLogColumns);
    for (const RecognitionRequest& r : requests) {
        const CaptureConditions& c = r.conditions;
        out << csvRow({r.truePlate, std::to_string(r.seed), csvNumber(c.plateWidthPx), csvNumber(c.yawDeg), csvNumber(c.pitchDeg),
                       csvNumber(c.rollDeg), csvNumber(c.motionBlurPx), csvNumber(c.defocusSigma), csvNumber(c.noiseSigma),
                       std::string(toString(c.light)), csvNumber(c.rain), csvNumber(c.glare), csvNumber(c.dirt),
                       csvNumber(c.occlusion), std::to_string(c.jpegQuality), r.plateDesign});
    }
}

std::vector<RecognitionRequest> readCaptureLog(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string(), "", "a capture log (cannot open it)");
    CsvReader csv(in, file.string());
    std::vector<size_t> at;
    for (size_t k = 0; k + 1 < kCaptureLogColumns.size(); ++k) at.push_back(csv.column(kCaptureLogColumns[k]));
    const std::optional<size_t> design = csv.optionalColumn(kCaptureLogColumns.back());  // logs before 8 Dec 2026: "MA"
    std::vector<RecognitionRequest> requests;
    while (csv.next()) {
        const auto number = [&](size_t k) {
            const auto v = csv.number(at[k]);
            if (!v)
                throw InputError(file.string(), "row " + std::to_string(csv.rowNumber()) + ", " + kCaptureLogColumns[k],
                                 "a number");
            return *v;
        };
        RecognitionRequest r;
        r.truePlate = csv.row()[at[0]];
        try {
            r.seed = std::stoull(csv.row()[at[1]]);
            r.conditions.light = parseLight(csv.row()[at[9]]);
        } catch (const std::exception& e) {
            throw InputError(file.string(), "row " + std::to_string(csv.rowNumber()) + ", seed or light",
                             std::string("a seed and day, dusk or night (") + e.what() + ")");
        }
        CaptureConditions& c = r.conditions;
        c.plateWidthPx = number(2);
        c.yawDeg = number(3);
        c.pitchDeg = number(4);
        c.rollDeg = number(5);
        c.motionBlurPx = number(6);
        c.defocusSigma = number(7);
        c.noiseSigma = number(8);
        c.rain = number(10);
        c.glare = number(11);
        c.dirt = number(12);
        c.occlusion = number(13);
        c.jpegQuality = static_cast<int>(number(14));
        if (design) {
            r.plateDesign = csv.row()[*design];
            try {
                fleetPlateStyle(r.plateDesign);
            } catch (const std::invalid_argument& e) {
                throw InputError(file.string(), "row " + std::to_string(csv.rowNumber()) + ", plate_design", e.what());
            }
        }
        requests.push_back(std::move(r));
    }
    return requests;
}

std::vector<PlateRead> Recognizer::recognizeAll(const std::vector<RecognitionRequest>& requests, unsigned threads) const {
    logCaptures(requests);
    std::vector<PlateRead> reads(requests.size());
    // Only full mode is worth the threads: the others cost less than starting them.
    const unsigned workers = mode_ == RecognitionMode::Full ? threads : 1;
    forEachRead(requests.size(), workers, [&](size_t i) {
        const RecognitionRequest& r = requests[i];
        reads[i] = recognize(r.truePlate, r.conditions, r.seed, r.plateDesign);
    });
    return reads;
}

}  // namespace alprsim::recognition
