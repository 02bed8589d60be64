#pragma once
// Calibrated mode: a statistical stand-in for the full pipeline, for long sweeps. Fitted from
// full-pipeline reads of rendered captures, it gives for any capture conditions the chances of
// a no-read and of a misread (logistic regressions on the conditions: plate width, blur,
// defocus, the angles, light, and how clean the photograph is), and keeps a character
// confusion table that shapes what a misread looks like.
#include <array>
#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/plate.h"
#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

// One full-pipeline read of a rendered capture: what the error model is fitted on.
struct ObservedRead {
    std::string truePlate;
    std::string plateDesign{kStandardDesign};
    CaptureConditions conditions;
    PlateRead read;
};

class ErrorModel {
public:
    // What a capture's read will be, as probabilities: no read, a misread, else the exact plate.
    struct Rates {
        double noRead = 0, misread = 0;
    };

    // Two logistic regressions on conditionFeatures: the chance of no read, and the chance of a
    // misread among reads; each fitted by Newton's method (L2-regularised, deterministic). Two
    // such pairs: one fitted on the observations inside the fixed cameras' range of conditions
    // (inCameraRange), used there, and one on all of them, used elsewhere; a single pair
    // fitted on all bends towards the wider draws and overstates no-reads where the cameras are.
    static ErrorModel fit(const std::vector<ObservedRead>& observations);
    // Throws InputError naming the file if it is missing or malformed.
    static ErrorModel load(const std::filesystem::path& path);
    void save(const std::filesystem::path& path) const;

    // A read of truePlate as the full pipeline would give it under these conditions, drawn at
    // random with the fitted rates (of the plate's kind: forKind).
    PlateRead apply(const std::string& truePlate, const CaptureConditions& conditions, Rng& rng) const;
    PlateRead apply(const std::string& truePlate, PlateKind kind, const CaptureConditions& conditions, Rng& rng) const {
        return forKind(kind).apply(truePlate, conditions, rng);
    }

    // The fitted rates for these conditions (of this model's plates: forKind for another kind's).
    Rates ratesFor(const CaptureConditions& conditions) const;

    // Vanity texts, specialty designs and other states' plates are read worse or otherwise than
    // standard ones (a reader held to the Massachusetts formats does not read a vanity text):
    // each kind may have a model of its own, fitted on captures of that kind; a kind without
    // one is read as this model's plates are.
    void setKindModel(PlateKind kind, ErrorModel model);
    const ErrorModel& forKind(PlateKind kind) const;

private:
    std::string substitute(const std::string& truePlate, Rng& rng) const;

    struct Regressions {
        std::vector<double> noRead, misread;  // weights over conditionFeatures
    };
    Regressions cameraRange_, anyConditions_;
    double exactConfidence_ = 0.9, misreadConfidence_ = 0.5;  // mean confidences of the fitted reads
    // confusion_[t][r]: how often true character t was read as r in misreads of equal length.
    std::map<char, std::map<char, double>> confusion_;
    std::array<double, 3> wrongCharacters_{1, 0, 0};  // misreads with 1, 2, 3+ wrong characters
    double lengthErrorShare_ = 0;                     // misreads with a character lost or gained
    std::vector<PlateKind> kinds_;                    // the kinds with a model of their own ...
    std::vector<ErrorModel> kindModels_;              // ... and their models, in the same order

    nlohmann::json toJson() const;
    static ErrorModel fromJson(const nlohmann::json& j, const std::string& file, const std::string& at);
};

// The model's inputs for one capture (the constant 1 first): log plate width with hinges at
// 25-130 px, motion blur, defocus, |yaw|, pitch and |roll| each with hinges, dusk and night,
// a worse-photograph flag, noise, rain, glare, dirt, cover and JPEG loss, and how blur and
// angles weigh more on small plates. kConditionFeatureNames names them, in order.
std::vector<double> conditionFeatures(const CaptureConditions& conditions);
extern const std::vector<std::string> kConditionFeatureNames;

// Conditions as the fixed cameras take them (randomSimulationConditions' main draw): at most
// 160 px wide, |yaw| 40 and pitch 20 degrees, 4.5 px of motion blur and 0.7 of defocus, and a
// clean photograph (the light's own noise, JPEG 80 or better, no rain, glare, dirt or cover).
bool inCameraRange(const CaptureConditions& conditions);

// error_model.json beside the character model.
std::filesystem::path defaultErrorModelPath();

// Full-pipeline reads of count rendered Massachusetts captures (distinct plates) under
// randomSimulationConditions, on `threads` threads (0: one per core); deterministic in seed,
// whatever the thread count.
// Captures of another plate kind (core/plate.h) draw that kind's plates as the fleet does
// (vanity texts; the specialty designs in proportion to their shares; the out-of-state states
// evenly), each kind from streams of its own.
std::vector<ObservedRead> observeFullPipeline(const PlateReader& reader, int count, uint64_t seed, unsigned threads = 0,
                                              PlateKind kind = PlateKind::Standard);

// Conditions spread over what the simulated cameras produce; used to fit and test the model.
CaptureConditions randomSimulationConditions(Rng& rng);

}  // namespace alprsim::recognition
