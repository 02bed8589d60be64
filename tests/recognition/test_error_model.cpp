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
    // these sets use another seed, so none of their captures were seen in fitting. Each plate
    // kind against its own model: a vanity text or another state's plate is read otherwise.
    const ErrorModel model = ErrorModel::load(defaultErrorModelPath());
    const PlateReader reader(captureReaderOptions());
    using alprsim::PlateKind;
    for (const auto& [kind, count] : {std::pair{PlateKind::Standard, 2000}, std::pair{PlateKind::Vanity, 1000},
                                      std::pair{PlateKind::Specialty, 1000}, std::pair{PlateKind::OutOfState, 1000}}) {
        const auto observed = observeFullPipeline(reader, count, 777, 0, kind);
        // The calibrated side as the model's expected rates (no sampling noise of its own).
        double fullNoRead = 0, fullMisread = 0, calNoRead = 0, calMisread = 0;
        for (const auto& o : observed) {
            CHECK(alprsim::plateKind(o.truePlate, o.plateDesign) == kind);
            fullNoRead += o.read.noRead;
            fullMisread += !o.read.noRead && o.read.text != o.truePlate;
            const ErrorModel::Rates rates = model.forKind(kind).ratesFor(o.conditions);
            calNoRead += rates.noRead;
            calMisread += rates.misread;
        }
        const double n = static_cast<double>(observed.size());
        fullNoRead /= n;
        fullMisread /= n;
        calNoRead /= n;
        calMisread /= n;
        std::printf("%s: no-read: full %.4f calibrated %.4f; misread: full %.4f calibrated %.4f\n", alprsim::plateKindName(kind),
                    fullNoRead, calNoRead, fullMisread, calMisread);
        INFO(alprsim::plateKindName(kind));
        // Tolerances relative to the rates (a tenth of the no-read rate, a third of the misread
        // rate), widened by the two binomial standard errors of the held-out set's own sampling:
        // a model that never misreads, or reads everything, fails.
        // Enough misreads in the held-out set to tell; vanity texts are seldom read at all, and a
        // model that misread them often still fails the check below.
        if (kind != PlateKind::Vanity) REQUIRE(fullMisread * n >= 10);
        CHECK(std::abs(fullNoRead - calNoRead) <= 0.1 * fullNoRead + 2 * standardError(fullNoRead, n));
        CHECK(std::abs(fullMisread - calMisread) <= fullMisread / 3 + 2 * standardError(fullMisread, n));
    }
    // The kinds differ where it matters: under the same conditions a vanity text is read less
    // often than a standard serial (the formats that correct the serial's misreads do not fit it).
    const CaptureConditions clear = goodConditions(90);
    CHECK(model.forKind(PlateKind::Vanity).ratesFor(clear).noRead > model.ratesFor(clear).noRead);
    CHECK(&model.forKind(PlateKind::OutOfState) != &model);
}

TEST_CASE("an error model's plate kinds are saved and read back; an unknown kind is an input error",
          "[recognition][calibrated]") {
    using alprsim::PlateKind;
    const ErrorModel committed = ErrorModel::load(defaultErrorModelPath());
    const auto file = std::filesystem::temp_directory_path() / "alprsim_kinds_error_model.json";
    committed.save(file);
    const ErrorModel again = ErrorModel::load(file);
    CaptureConditions c = goodConditions(50);
    c.motionBlurPx = 2;
    for (PlateKind kind : {PlateKind::Standard, PlateKind::Vanity, PlateKind::Specialty, PlateKind::OutOfState}) {
        CHECK(again.forKind(kind).ratesFor(c).noRead == committed.forKind(kind).ratesFor(c).noRead);
        CHECK(again.forKind(kind).ratesFor(c).misread == committed.forKind(kind).ratesFor(c).misread);
    }
    std::string text = alprsim::readTextFile(file);
    const auto at = text.find("\"vanity\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 8, "\"vanitx\"");
    alprsim::writeFileAtomically(file, text);
    try {
        ErrorModel::load(file);
        FAIL("an unknown plate kind was accepted");
    } catch (const alprsim::InputError& e) {
        CHECK(std::string(e.what()).find("/plateKinds/vanitx") != std::string::npos);
    }
    std::filesystem::remove(file);
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
