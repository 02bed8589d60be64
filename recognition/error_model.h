#pragma once
// Calibrated mode: a statistical stand-in for the full pipeline, for long sweeps. Fitted from
// full-pipeline reads of rendered captures, it keeps per condition bin (plate width, light,
// blur, angle) the rates of exact reads, misreads and no-reads, and a character confusion
// table that shapes what a misread looks like.
#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

// One full-pipeline read of a rendered capture: what the error model is fitted on.
struct ObservedRead {
    std::string truePlate;
    CaptureConditions conditions;
    PlateRead read;
};

class ErrorModel {
public:
    struct BinStats {
        double exact = 0, misread = 0, noRead = 0;  // counts
        double exactConfidence = 0, misreadConfidence = 0;  // sums, for means
        double total() const { return exact + misread + noRead; }
    };

    static ErrorModel fit(const std::vector<ObservedRead>& observations);
    // Throws InputError naming the file if it is missing or malformed.
    static ErrorModel load(const std::filesystem::path& path);
    void save(const std::filesystem::path& path) const;

    // A read of truePlate as the full pipeline would give it under these conditions, drawn at
    // random with the fitted rates.
    PlateRead apply(const std::string& truePlate, const CaptureConditions& conditions, Rng& rng) const;

    // The fitted rates for these conditions (after falling back to coarser bins if sparse).
    const BinStats& statsFor(const CaptureConditions& conditions) const;

private:
    std::string substitute(const std::string& truePlate, Rng& rng) const;

    // Bin keys at decreasing detail: "w2/l0/b1/a0", "w2/l0/b1", "w2/l0", "w2", "".
    std::map<std::string, BinStats> bins_;
    // confusion_[t][r]: how often true character t was read as r in misreads of equal length.
    std::map<char, std::map<char, double>> confusion_;
    std::array<double, 3> wrongCharacters_{1, 0, 0};  // misreads with 1, 2, 3+ wrong characters
    double lengthErrorShare_ = 0;                      // misreads with a character lost or gained
};

// error_model.json beside the character model.
std::filesystem::path defaultErrorModelPath();

// Full-pipeline reads of count rendered Massachusetts captures (distinct plates) under
// randomSimulationConditions; deterministic in seed.
std::vector<ObservedRead> observeFullPipeline(const PlateReader& reader, int count, uint64_t seed);

// Conditions spread over what the simulated cameras meet; used to fit and test the model.
CaptureConditions randomSimulationConditions(Rng& rng);

}  // namespace alprsim::recognition
