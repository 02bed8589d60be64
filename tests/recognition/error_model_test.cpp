// Calibrated mode stands in for the full pipeline: its rates must match the full pipeline's
// on captures it was not fitted on.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "recognition/error_model.h"
#include "recognition/recognizer.h"

using namespace alprsim::recognition;

TEST_CASE("calibrated no-read and misread rates are within 2 points of the full pipeline's on a held-out set",
          "[recognition][calibrated]") {
    // The committed model was fitted with seed 1 (tools/train_recognizer --fit-error-model);
    // this set uses another seed, so none of its captures were seen in fitting.
    const ErrorModel model = ErrorModel::load(defaultErrorModelPath());
    PlateReaderOptions options;
    options.syntax = SyntaxRule::Massachusetts;
    const auto observed = observeFullPipeline(PlateReader(options), 1500, 777);

    double fullNoRead = 0, fullMisread = 0, calNoRead = 0, calMisread = 0;
    constexpr int kDrawsPerCapture = 10;  // averages out the calibrated mode's own sampling noise
    alprsim::Rng rng(99);
    for (const auto& o : observed) {
        fullNoRead += o.read.noRead;
        fullMisread += !o.read.noRead && o.read.text != o.truePlate;
        for (int k = 0; k < kDrawsPerCapture; ++k) {
            const PlateRead r = model.apply(o.truePlate, o.conditions, rng);
            calNoRead += r.noRead;
            calMisread += !r.noRead && r.text != o.truePlate;
        }
    }
    const double n = static_cast<double>(observed.size());
    fullNoRead /= n;
    fullMisread /= n;
    calNoRead /= n * kDrawsPerCapture;
    calMisread /= n * kDrawsPerCapture;
    std::printf("no-read: full %.4f calibrated %.4f; misread: full %.4f calibrated %.4f\n", fullNoRead, calNoRead,
                fullMisread, calMisread);
    CHECK(std::abs(fullNoRead - calNoRead) <= 0.02);
    CHECK(std::abs(fullMisread - calMisread) <= 0.02);
}

TEST_CASE("calibrated reads follow the fitted rates of their condition bin, perfect mode is exact",
          "[recognition][calibrated]") {
    const ErrorModel model = ErrorModel::load(defaultErrorModelPath());
    const auto calibrated = Recognizer::create(RecognitionMode::Calibrated);
    CaptureConditions hard = goodConditions(30);
    hard.light = Light::NightIR;
    hard.motionBlurPx = 5;
    const ErrorModel::BinStats& stats = model.statsFor(hard);
    REQUIRE(stats.total() > 0);
    constexpr int kDraws = 4000;
    int noReads = 0, misreads = 0;
    for (uint64_t seed = 0; seed < kDraws; ++seed) {
        const PlateRead r = calibrated.recognize("123AB4", hard, seed);
        noReads += r.noRead;
        misreads += !r.noRead && r.text != "123AB4";
        if (seed < 50) CHECK(r.text == calibrated.recognize("123AB4", hard, seed).text);  // deterministic
    }
    // Binomial sampling error of 4,000 draws is at most 0.8 points; allow 2.5.
    CHECK(double(noReads) / kDraws == Approx(stats.noRead / stats.total()).margin(0.025));
    CHECK(double(misreads) / kDraws == Approx(stats.misread / stats.total()).margin(0.025));

    const auto perfect = Recognizer::create(RecognitionMode::Perfect);
    CHECK(perfect.recognize("123AB4", hard, 1).text == "123AB4");
    CHECK_FALSE(perfect.recognize("123AB4", hard, 1).noRead);
}

TEST_CASE("a missing or malformed error model is an input error naming the file", "[recognition][calibrated]") {
    CHECK_THROWS_AS(ErrorModel::load("/nonexistent/error_model.json"), alprsim::InputError);
    const auto bad = std::filesystem::temp_directory_path() / "alprsim_bad_error_model.json";
    alprsim::writeFileAtomically(bad, "{\"format\": \"something else\"}");
    CHECK_THROWS_AS(ErrorModel::load(bad), alprsim::InputError);
    std::filesystem::remove(bad);
}
