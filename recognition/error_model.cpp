#include "recognition/error_model.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "core/error.h"
#include "core/files.h"
#include "recognition/parallel_reads.h"
#include "core/plate.h"
#include "recognition/renderer.h"
#include "recognition/char_classifier.h"

namespace alprsim::recognition {
namespace {

// L2 penalties of the two regressions: light on the no-read model (thousands of no-reads), heavy
// on the misread model (a few hundred misreads, which must not be fitted one by one).
constexpr double kNoReadPenalty = 0.01;
constexpr double kMisreadPenalty = 1.0;
constexpr int kNewtonSteps = 30;

// max(0, v - knot) for each knot: a piecewise-linear term, so that each effect may bend.
void addHinges(std::vector<double>& f, double v, std::initializer_list<double> knots) {
    f.push_back(v);
    for (double k : knots) f.push_back(std::max(0.0, v - k));
}

// A worse photograph than the cameras take: noisier than the light's own, JPEG under 80, rain,
// glare, dirt or a cover.
bool worsePhotograph(const CaptureConditions& c) {
    const bool compressed = c.jpegQuality > 0 && c.jpegQuality < 80;
    const bool noisy = c.noiseSigma > noiseFor(c.light) + 1.5;
    const bool soiled = c.rain >= 0.05 || c.glare >= 0.05 || c.dirt >= 0.05 || c.occlusion >= 0.01;
    return compressed || noisy || soiled;
}

double logistic(const std::vector<double>& w, const std::vector<double>& f) {
    double z = 0;
    for (size_t i = 0; i < w.size(); ++i) z += w[i] * f[i];
    return 1.0 / (1.0 + std::exp(-z));
}

// Logistic regression of y on the rows of x by Newton's method with an L2 penalty: the same
// weights for the same data, whatever the machine's threads (plain loops, one Cholesky solve).
std::vector<double> fitLogistic(const std::vector<std::vector<double>>& x, const std::vector<double>& y, double penalty) {
    const int k = static_cast<int>(kConditionFeatureNames.size());
    std::vector<double> w(static_cast<size_t>(k), 0.0);
    for (int step = 0; step < kNewtonSteps; ++step) {
        cv::Mat hessian = cv::Mat::eye(k, k, CV_64F) * penalty;
        cv::Mat gradient(k, 1, CV_64F);
        for (int i = 0; i < k; ++i) gradient.at<double>(i) = penalty * w[static_cast<size_t>(i)];
        for (size_t n = 0; n < x.size(); ++n) {
            const double p = logistic(w, x[n]);
            const double weight = p * (1 - p);
            for (int i = 0; i < k; ++i) {
                const double fi = x[n][static_cast<size_t>(i)];
                gradient.at<double>(i) += (p - y[n]) * fi;
                if (fi == 0) continue;
                for (int j = 0; j <= i; ++j) hessian.at<double>(i, j) += weight * fi * x[n][static_cast<size_t>(j)];
            }
        }
        cv::completeSymm(hessian, true);  // the lower triangle, summed above, mirrored
        cv::Mat delta;
        cv::solve(hessian, gradient, delta, cv::DECOMP_CHOLESKY);
        for (int i = 0; i < k; ++i) w[static_cast<size_t>(i)] -= delta.at<double>(i);
    }
    return w;
}

// The rows of x (and y) where keep is true.
std::pair<std::vector<std::vector<double>>, std::vector<double>> subset(const std::vector<std::vector<double>>& x,
                                                                        const std::vector<double>& y,
                                                                        const std::vector<bool>& keep) {
    std::pair<std::vector<std::vector<double>>, std::vector<double>> out;
    for (size_t i = 0; i < x.size(); ++i) {
        if (!keep[i]) continue;
        out.first.push_back(x[i]);
        out.second.push_back(y[i]);
    }
    return out;
}

}  // namespace

const std::vector<std::string> kConditionFeatureNames = {"1",
                                                         "log_width",
                                                         "log_width-25",
                                                         "log_width-32",
                                                         "log_width-40",
                                                         "log_width-50",
                                                         "log_width-63",
                                                         "log_width-80",
                                                         "log_width-100",
                                                         "log_width-130",
                                                         "blur",
                                                         "blur-1",
                                                         "blur-2",
                                                         "blur-3",
                                                         "blur-5",
                                                         "defocus",
                                                         "defocus-0.5",
                                                         "defocus-1",
                                                         "yaw",
                                                         "yaw-20",
                                                         "yaw-30",
                                                         "yaw-40",
                                                         "yaw-50",
                                                         "pitch",
                                                         "pitch-10",
                                                         "pitch-20",
                                                         "pitch-30",
                                                         "roll",
                                                         "roll-5",
                                                         "roll-10",
                                                         "roll-20",
                                                         "dusk",
                                                         "night",
                                                         "worse",
                                                         "noise",
                                                         "rain",
                                                         "glare",
                                                         "dirt",
                                                         "cover",
                                                         "jpeg_loss",
                                                         "small*blur",
                                                         "small*yaw",
                                                         "small*pitch",
                                                         "small*roll",
                                                         "small*defocus"};

std::vector<double> conditionFeatures(const CaptureConditions& c) {
    std::vector<double> f = {1.0};
    f.reserve(kConditionFeatureNames.size());
    const double logWidth = std::log(std::max(c.plateWidthPx, 5.0));
    addHinges(f, logWidth,
              {std::log(25.0), std::log(32.0), std::log(40.0), std::log(50.0), std::log(63.0), std::log(80.0), std::log(100.0),
               std::log(130.0)});
    addHinges(f, c.motionBlurPx, {1, 2, 3, 5});
    addHinges(f, c.defocusSigma, {0.5, 1});
    const double yaw = std::abs(c.yawDeg), pitch = std::abs(c.pitchDeg), roll = std::abs(c.rollDeg);
    addHinges(f, yaw, {20, 30, 40, 50});
    addHinges(f, pitch, {10, 20, 30});
    addHinges(f, roll, {5, 10, 20});
    f.push_back(c.light == Light::Dusk ? 1 : 0);
    f.push_back(c.light == Light::NightIR ? 1 : 0);
    f.push_back(worsePhotograph(c) ? 1 : 0);
    f.push_back(c.noiseSigma);
    f.push_back(c.rain);
    f.push_back(c.glare);
    f.push_back(c.dirt);
    f.push_back(c.occlusion);
    f.push_back(c.jpegQuality > 0 ? (90.0 - c.jpegQuality) / 10 : 0.0);
    // How far under 100 px the plate is: blur and angles cost a small plate more.
    const double small = std::max(0.0, std::log(100.0) - logWidth);
    f.push_back(small * c.motionBlurPx);
    f.push_back(small * yaw / 10);
    f.push_back(small * pitch / 10);
    f.push_back(small * roll / 5);
    f.push_back(small * c.defocusSigma);
    return f;
}

bool inCameraRange(const CaptureConditions& c) {
    return c.plateWidthPx <= 160 && std::abs(c.yawDeg) <= 40 && std::abs(c.pitchDeg) <= 20 && c.motionBlurPx <= 4.5 &&
           c.defocusSigma <= 0.7 && !worsePhotograph(c);
}

std::filesystem::path defaultErrorModelPath() { return recognitionDataDir() / "error_model.json"; }

CaptureConditions randomSimulationConditions(Rng& rng) {
    // Four draws in five as the fixed cameras take them (sensors/camera_model.h): a 16 mm lens
    // on a 4 m pole sees a plate 40 px wide at its 35 m range and about 130 px at 11 m, where
    // the plate leaves the frame; it looks down 5-20 degrees on plates turned up to 40 degrees
    // and rolled a few; a 1 ms exposure smears a car at 25 m/s up to about 4.5 px; the lens is
    // focused at 18 m (defocus under 0.7 px); noise is the light's own (noiseFor), JPEG 90,
    // dry and clean. The fifth draw spans far wider conditions (patrol cars' closer, more
    // oblique views, any blur), half of them worse photographs (noisier, more compressed, rain,
    // glare, dirt, a cover), so that the model has seen what other scenarios may produce.
    CaptureConditions c;
    const double light = rng.uniform();
    c.light = light < 0.6 ? Light::Day : (light < 0.8 ? Light::Dusk : Light::NightIR);
    c.noiseSigma = noiseFor(c.light);
    c.jpegQuality = 90;
    if (rng.uniform() < 0.8) {
        c.plateWidthPx = std::exp(rng.uniform(std::log(15.0), std::log(160.0)));
        c.yawDeg = rng.uniform(-40, 40);
        c.pitchDeg = rng.uniform(0, 20);
        c.rollDeg = rng.uniform() < 0.9 ? rng.uniform(-8, 8) : rng.uniform(-30, 30);
        c.motionBlurPx = rng.uniform(0, 4.5);
        c.defocusSigma = rng.uniform(0, 0.7);
        return c;
    }
    c.plateWidthPx = std::exp(rng.uniform(std::log(15.0), std::log(320.0)));
    c.yawDeg = rng.uniform(-70, 70);
    c.pitchDeg = rng.uniform(0, 35);
    c.rollDeg = rng.uniform(-30, 30);
    c.motionBlurPx = rng.uniform(0, 8);
    c.defocusSigma = rng.uniform(0, 1.5);
    if (rng.uniform() < 0.5) {  // a worse photograph: one or more of these
        if (rng.uniform() < 0.4) c.noiseSigma += rng.uniform(0, 4);
        if (rng.uniform() < 0.4) c.jpegQuality = static_cast<int>(rng.uniform(40, 95));
        if (rng.uniform() < 0.4) c.rain = rng.uniform(0, 0.7);
        if (rng.uniform() < 0.3) c.glare = rng.uniform(0, 0.6);
        if (rng.uniform() < 0.3) c.dirt = rng.uniform(0, 0.5);
        if (rng.uniform() < 0.15) c.occlusion = rng.uniform(0, 0.2);
    }
    return c;
}

namespace {

// The plates of `count` captures of one kind, as the fleet carries them (core/plate.h).
std::vector<ObservedRead> platesOfKind(size_t count, uint64_t seed, PlateKind kind) {
    std::vector<ObservedRead> observed(count);
    if (kind == PlateKind::Standard) {  // the streams of the model fitted before the kinds came
        PlateGenerator plates(Rng::stream(seed, "error-model-plates"));
        for (ObservedRead& o : observed) o.truePlate = plates.next();
        return observed;
    }
    const std::string name = plateKindName(kind);
    PlateMix mix;
    double specialty = 0;
    for (const auto& [design, share] : mix.specialtyShares) specialty += share;
    for (auto& [design, share] : mix.specialtyShares) share = kind == PlateKind::Specialty ? share / specialty : 0;
    mix.vanityShare = kind == PlateKind::Vanity ? 1 : 0;
    PlateGenerator plates(Rng::stream(seed, "error-model-plates/" + name), mix);
    Rng draws = Rng::stream(seed, "error-model-designs/" + name);
    for (ObservedRead& o : observed) {
        IssuedPlate plate = kind == PlateKind::OutOfState ? randomOutOfStatePlate(draws) : plates.issue(draws);
        o.truePlate = std::move(plate.text);
        o.plateDesign = std::move(plate.design);
    }
    return observed;
}

}  // namespace

std::vector<ObservedRead> observeFullPipeline(const PlateReader& reader, int count, uint64_t seed, unsigned threads,
                                              PlateKind kind) {
    std::vector<ObservedRead> observed = platesOfKind(static_cast<size_t>(std::max(count, 0)), seed, kind);
    const std::string captures =
        kind == PlateKind::Standard ? "error-model-capture" : "error-model-capture/" + std::string(plateKindName(kind));
    // Each capture has its own stream, so the reads do not depend on the thread count.
    forEachRead(observed.size(), threads, [&](size_t i) {
        Rng rng = Rng::stream(seed, captures, static_cast<uint64_t>(i));
        ObservedRead& o = observed[i];
        o.conditions = randomSimulationConditions(rng);
        // As Recognizer renders (the plate as its vehicle carries it), each plate seen once.
        o.read =
            reader.read(renderCapture(vehiclePlate(o.truePlate, fleetPlateStyle(o.plateDesign)), o.conditions, rng.next()).image);
    });
    return observed;
}

ErrorModel ErrorModel::fit(const std::vector<ObservedRead>& observations) {
    ErrorModel m;
    std::vector<std::vector<double>> all, reads;
    std::vector<double> noRead, misread;
    std::vector<bool> inRange, readInRange;  // per observation, per read
    double exactConfidence = 0, exactCount = 0, misreadConfidence = 0, lengthErrors = 0;
    std::array<double, 3> wrong{0, 0, 0};
    for (const ObservedRead& o : observations) {
        all.push_back(conditionFeatures(o.conditions));
        noRead.push_back(o.read.noRead ? 1 : 0);
        inRange.push_back(inCameraRange(o.conditions));
        if (o.read.noRead) continue;
        reads.push_back(all.back());
        readInRange.push_back(inRange.back());
        const bool exact = o.read.text == o.truePlate;
        misread.push_back(exact ? 0 : 1);
        if (exact) {
            exactConfidence += o.read.confidence;
            exactCount += 1;
            continue;
        }
        misreadConfidence += o.read.confidence;
        if (o.read.text.size() != o.truePlate.size()) {
            lengthErrors += 1;
            continue;
        }
        int wrongCount = 0;
        for (size_t i = 0; i < o.truePlate.size(); ++i) {
            if (o.read.text[i] == o.truePlate[i]) continue;
            ++wrongCount;
            m.confusion_[o.truePlate[i]][o.read.text[i]] += 1;
        }
        wrong[static_cast<size_t>(std::min(wrongCount, 3) - 1)] += 1;
    }
    m.anyConditions_ = {fitLogistic(all, noRead, kNoReadPenalty), fitLogistic(reads, misread, kMisreadPenalty)};
    const auto [rangeAll, rangeNoRead] = subset(all, noRead, inRange);
    const auto [rangeReads, rangeMisread] = subset(reads, misread, readInRange);
    m.cameraRange_ = {fitLogistic(rangeAll, rangeNoRead, kNoReadPenalty), fitLogistic(rangeReads, rangeMisread, kMisreadPenalty)};
    const double misreads = static_cast<double>(reads.size()) - exactCount;
    if (exactCount > 0) m.exactConfidence_ = exactConfidence / exactCount;
    if (misreads > 0) {
        m.misreadConfidence_ = misreadConfidence / misreads;
        m.lengthErrorShare_ = lengthErrors / misreads;
        const double equalLength = wrong[0] + wrong[1] + wrong[2];
        if (equalLength > 0) {
            for (size_t k = 0; k < 3; ++k) m.wrongCharacters_[k] = wrong[k] / equalLength;
        }
    }
    return m;
}

ErrorModel::Rates ErrorModel::ratesFor(const CaptureConditions& conditions) const {
    const std::vector<double> f = conditionFeatures(conditions);
    const Regressions& model = inCameraRange(conditions) ? cameraRange_ : anyConditions_;
    Rates r;
    r.noRead = logistic(model.noRead, f);
    r.misread = (1 - r.noRead) * logistic(model.misread, f);
    return r;
}

std::string ErrorModel::substitute(const std::string& truePlate, Rng& rng) const {
    std::string read = truePlate;
    if (read.empty()) return read;
    if (rng.uniform() < lengthErrorShare_) {
        read.erase(rng.below(read.size()), 1);  // a character lost (merged or unseen)
        return read;
    }
    const double u = rng.uniform();
    const int wrong = u < wrongCharacters_[0] ? 1 : (u < wrongCharacters_[0] + wrongCharacters_[1] ? 2 : 3);
    for (int k = 0; k < wrong; ++k) {
        const size_t pos = rng.below(read.size());
        const char truth = truePlate[pos];
        auto row = confusion_.find(truth);
        double total = 0;
        if (row != confusion_.end()) {
            for (const auto& [c, n] : row->second) total += n;
        }
        if (total > 0) {
            double pick = rng.uniform() * total;
            for (const auto& [c, n] : row->second) {
                if ((pick -= n) < 0) {
                    read[pos] = c;
                    break;
                }
            }
        } else {
            // Never seen misread: any other character of the same kind.
            const std::string_view pool =
                std::isdigit(static_cast<unsigned char>(truth)) ? "0123456789" : "ABCDEFGHJKLMNPRSTUVWXYZ";
            char c = truth;
            while (c == truth) c = pool[rng.below(pool.size())];
            read[pos] = c;
        }
    }
    if (read == truePlate) read[0] = read[0] == 'X' ? 'K' : 'X';  // drew only "correct" swaps
    return read;
}

PlateRead ErrorModel::apply(const std::string& truePlate, const CaptureConditions& conditions, Rng& rng) const {
    const Rates rates = ratesFor(conditions);
    PlateRead out;
    const double u = rng.uniform();
    if (u < rates.noRead) return out;
    out.noRead = false;
    if (u < rates.noRead + rates.misread) {
        out.text = substitute(truePlate, rng);
        out.confidence = misreadConfidence_;
    } else {
        out.text = truePlate;
        out.confidence = exactConfidence_;
    }
    out.charConfidence.assign(out.text.size(), out.confidence);
    return out;
}

void ErrorModel::setKindModel(PlateKind kind, ErrorModel model) {
    if (kind == PlateKind::Standard) throw std::invalid_argument("the standard plates' model is the error model itself");
    model.kinds_.clear();
    model.kindModels_.clear();
    for (size_t i = 0; i < kinds_.size(); ++i)
        if (kinds_[i] == kind) {
            kindModels_[i] = std::move(model);
            return;
        }
    kinds_.push_back(kind);
    kindModels_.push_back(std::move(model));
}

const ErrorModel& ErrorModel::forKind(PlateKind kind) const {
    for (size_t i = 0; i < kinds_.size(); ++i)
        if (kinds_[i] == kind) return kindModels_[i];
    return *this;
}

nlohmann::json ErrorModel::toJson() const {
    nlohmann::json j;
    j["cameraRange"] = {{"noReadWeights", cameraRange_.noRead}, {"misreadWeights", cameraRange_.misread}};
    j["anyConditions"] = {{"noReadWeights", anyConditions_.noRead}, {"misreadWeights", anyConditions_.misread}};
    j["exactConfidence"] = exactConfidence_;
    j["misreadConfidence"] = misreadConfidence_;
    for (const auto& [t, row] : confusion_) {
        for (const auto& [r, n] : row) j["confusion"][std::string(1, t)][std::string(1, r)] = n;
    }
    j["wrongCharacters"] = wrongCharacters_;
    j["lengthErrorShare"] = lengthErrorShare_;
    for (size_t i = 0; i < kinds_.size(); ++i) j["plateKinds"][plateKindName(kinds_[i])] = kindModels_[i].toJson();
    return j;
}

void ErrorModel::save(const std::filesystem::path& path) const {
    nlohmann::json j = toJson();
    j["format"] = "alprsim-error-model-2";
    j["features"] = kConditionFeatureNames;
    writeFileAtomically(path, j.dump(1) + "\n");
}

ErrorModel ErrorModel::fromJson(const nlohmann::json& j, const std::string& file, const std::string& at) {
    ErrorModel m;
    const auto readRegressions = [&](const std::string& key) {
        Regressions r{j.at(key).at("noReadWeights").get<std::vector<double>>(),
                      j.at(key).at("misreadWeights").get<std::vector<double>>()};
        if (r.noRead.size() != kConditionFeatureNames.size() || r.misread.size() != kConditionFeatureNames.size())
            throw InputError(file, at + "/" + key, "one weight a feature in noReadWeights and misreadWeights");
        return r;
    };
    m.cameraRange_ = readRegressions("cameraRange");
    m.anyConditions_ = readRegressions("anyConditions");
    m.exactConfidence_ = j.at("exactConfidence").get<double>();
    m.misreadConfidence_ = j.at("misreadConfidence").get<double>();
    if (j.contains("confusion")) {
        for (const auto& [t, row] : j.at("confusion").items()) {
            for (const auto& [r, n] : row.items()) m.confusion_[t.at(0)][r.at(0)] = n.get<double>();
        }
    }
    m.wrongCharacters_ = j.at("wrongCharacters").get<std::array<double, 3>>();
    m.lengthErrorShare_ = j.at("lengthErrorShare").get<double>();
    if (at.empty() && j.contains("plateKinds")) {
        for (const auto& [name, kindJson] : j.at("plateKinds").items()) {
            const std::string where = "/plateKinds/" + name;
            std::optional<PlateKind> kind;
            for (PlateKind k : {PlateKind::Vanity, PlateKind::Specialty, PlateKind::OutOfState})
                if (name == plateKindName(k)) kind = k;
            if (!kind) throw InputError(file, where, "a plate kind: vanity, specialty or out-of-state");
            m.setKindModel(*kind, fromJson(kindJson, file, where));
        }
    }
    return m;
}

ErrorModel ErrorModel::load(const std::filesystem::path& path) {
    const std::string text = readTextFile(path);
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (j.value("format", "") != "alprsim-error-model-2") {
            throw InputError(path.string(), "/format",
                             "\"alprsim-error-model-2\" (refit with train_recognizer --fit-error-model)");
        }
        if (j.at("features").get<std::vector<std::string>>() != kConditionFeatureNames) {
            throw InputError(path.string(), "/features",
                             "the features this build computes (refit with train_recognizer --fit-error-model)");
        }
        return fromJson(j, path.string(), "");
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string(), "/", std::string("an alprsim error model (") + e.what() + ")");
    }
}

}  // namespace alprsim::recognition
