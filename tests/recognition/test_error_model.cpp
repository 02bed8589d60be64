// Calibrated mode stands in for the full pipeline: its rates must match the full pipeline's
// on captures it was not fitted on.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "recognition/error_model.h"
#include "recognition/recognizer.h"

using namespace alprsim::recognition;

namespace {
// The binomial standard error of a share p of n.
double standardError(double p, double n) { return std::sqrt(p * (1 - p) / n); }
}  // namespace

TEST_CASE("calibrated no-read and misread rates follow the full pipeline's on a held-out set, within a share of each rate",
          "[recognition][calibrated]") {
    // The committed model was fitted with seed 1 (tools/train_recognizer --fit-error-model);
    // this set uses another seed, so none of its captures were seen in fitting.
    const ErrorModel model = ErrorModel::load(defaultErrorModelPath());
    PlateReaderOptions options;
    options.syntax = SyntaxRule::Massachusetts;
    const auto observed = observeFullPipeline(PlateReader(options), 2000, 777);

    // The calibrated side as the model's expected rates (no sampling noise of its own).
    double fullNoRead = 0, fullMisread = 0, calNoRead = 0, calMisread = 0;
    for (const auto& o : observed) {
        fullNoRead += o.read.noRead;
        fullMisread += !o.read.noRead && o.read.text != o.truePlate;
        const ErrorModel::Rates rates = model.ratesFor(o.conditions);
        calNoRead += rates.noRead;
        calMisread += rates.misread;
    }
    const double n = static_cast<double>(observed.size());
    fullNoRead /= n;
    fullMisread /= n;
    calNoRead /= n;
    calMisread /= n;
    std::printf("no-read: full %.4f calibrated %.4f; misread: full %.4f calibrated %.4f\n", fullNoRead, calNoRead, fullMisread,
                calMisread);
    // Tolerances relative to the rates (a tenth of the no-read rate, a third of the misread
    // rate), widened by the two binomial standard errors of the held-out set's own sampling:
    // a model that never misreads, or reads everything, fails.
    REQUIRE(fullMisread * n >= 10);  // enough misreads in the held-out set to tell
    CHECK(std::abs(fullNoRead - calNoRead) <= 0.1 * fullNoRead + 2 * standardError(fullNoRead, n));
    CHECK(std::abs(fullMisread - calMisread) <= fullMisread / 3 + 2 * standardError(fullMisread, n));
}

TEST_CASE("calibrated reads follow the fitted rates of their conditions, perfect mode is exact", "[recognition][calibrated]") {
    const ErrorModel model = ErrorModel::load(defaultErrorModelPath());
    const auto calibrated = Recognizer::create(RecognitionMode::Calibrated);
    // A small, blurred plate at dusk: the full pipeline both fails to read and misreads there.
    CaptureConditions hard = goodConditions(45);
    hard.light = Light::Dusk;
    hard.noiseSigma = noiseFor(hard.light);
    hard.motionBlurPx = 2;
    hard.yawDeg = 25;
    const ErrorModel::Rates rates = model.ratesFor(hard);
    REQUIRE(rates.noRead > 0.05);
    REQUIRE(rates.misread > 0.005);
    // Fewer reads on a smaller, more blurred plate, and more on a larger, sharper one.
    CaptureConditions worse = hard, better = hard;
    worse.plateWidthPx = 30;
    worse.motionBlurPx = 4;
    better.plateWidthPx = 110;
    better.motionBlurPx = 0.5;
    CHECK(model.ratesFor(worse).noRead > rates.noRead);
    CHECK(model.ratesFor(better).noRead < rates.noRead);

    constexpr int kDraws = 4000;
    int noReads = 0, misreads = 0;
    for (uint64_t seed = 0; seed < kDraws; ++seed) {
        const PlateRead r = calibrated.recognize("123AB4", hard, seed);
        noReads += r.noRead;
        misreads += !r.noRead && r.text != "123AB4";
        if (seed < 50) CHECK(r.text == calibrated.recognize("123AB4", hard, seed).text);  // deterministic
    }
    // Within three binomial standard errors of 4,000 draws of each fitted rate.
    CHECK(std::abs(double(noReads) / kDraws - rates.noRead) <= 3 * standardError(rates.noRead, kDraws));
    CHECK(std::abs(double(misreads) / kDraws - rates.misread) <= 3 * standardError(rates.misread, kDraws));

    const auto perfect = Recognizer::create(RecognitionMode::Perfect);
    CHECK(perfect.recognize("123AB4", hard, 1).text == "123AB4");
    CHECK_FALSE(perfect.recognize("123AB4", hard, 1).noRead);
}

TEST_CASE("a missing or malformed error model is an input error naming the file", "[recognition][calibrated]") {
    CHECK_THROWS_AS(ErrorModel::load("/nonexistent/error_model.json"), alprsim::InputError);
    const auto bad = std::filesystem::temp_directory_path() / "alprsim_bad_error_model.json";
    alprsim::writeFileAtomically(bad, "{\"format\": \"something else\"}");
    CHECK_THROWS_AS(ErrorModel::load(bad), alprsim::InputError);
    // A model fitted on other features than this build computes (an older build's) is refused.
    alprsim::writeFileAtomically(bad, "{\"format\": \"alprsim-error-model-2\", \"features\": [\"1\", \"log_width\"]}");
    CHECK_THROWS_AS(ErrorModel::load(bad), alprsim::InputError);
    std::filesystem::remove(bad);
}
