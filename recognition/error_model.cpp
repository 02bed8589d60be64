#include "recognition/error_model.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "core/plate.h"
#include "recognition/renderer.h"
#include "recognition/char_classifier.h"

namespace alprsim::recognition {
namespace {

// A bin must hold this many observations to be used; else the next coarser one is.
constexpr double kMinBinCount = 25;

int widthBin(double px) {
    static constexpr std::array<double, 5> edges = {30, 45, 60, 90, 140};
    int b = 0;
    while (b < static_cast<int>(edges.size()) && px >= edges[static_cast<size_t>(b)]) ++b;
    return b;
}
int blurBin(const CaptureConditions& c) {
    const double blur = c.motionBlurPx + 2 * c.defocusSigma;
    return blur < 1.5 ? 0 : (blur < 4 ? 1 : 2);
}
int angleBin(const CaptureConditions& c) {
    const double a = std::max(std::abs(c.yawDeg), std::abs(c.pitchDeg));
    return a < 20 ? 0 : (a < 35 ? 1 : 2);
}

std::vector<std::string> binKeys(const CaptureConditions& c) {
    const std::string w = "w" + std::to_string(widthBin(c.plateWidthPx));
    const std::string l = w + "/l" + std::to_string(static_cast<int>(c.light));
    const std::string b = l + "/b" + std::to_string(blurBin(c));
    return {b + "/a" + std::to_string(angleBin(c)), b, l, w, ""};
}

}  // namespace

std::filesystem::path defaultErrorModelPath() {
    return recognitionDataDir() / "error_model.json";
}

CaptureConditions randomSimulationConditions(Rng& rng) {
    CaptureConditions c;
    c.plateWidthPx = std::exp(rng.uniform(std::log(25.0), std::log(200.0)));
    c.yawDeg = rng.uniform(-45, 45);
    c.pitchDeg = rng.uniform(0, 30);
    c.rollDeg = rng.uniform(-5, 5);
    c.motionBlurPx = rng.uniform() < 0.5 ? 0.0 : rng.uniform(0, 6);
    c.defocusSigma = rng.uniform() < 0.7 ? 0.0 : rng.uniform(0, 1.5);
    c.noiseSigma = rng.uniform(1, 6);
    const double light = rng.uniform();
    c.light = light < 0.6 ? Light::Day : (light < 0.75 ? Light::Dusk : Light::NightIR);
    c.rain = rng.uniform() < 0.85 ? 0.0 : rng.uniform(0, 0.7);
    c.glare = rng.uniform() < 0.85 ? 0.0 : rng.uniform(0, 0.6);
    c.dirt = rng.uniform() < 0.8 ? 0.0 : rng.uniform(0, 0.5);
    c.occlusion = rng.uniform() < 0.95 ? 0.0 : rng.uniform(0, 0.2);
    c.jpegQuality = static_cast<int>(rng.uniform(50, 95));
    return c;
}

std::vector<ObservedRead> observeFullPipeline(const PlateReader& reader, int count, uint64_t seed) {
    std::vector<ObservedRead> observed;
    PlateGenerator plates(Rng::stream(seed, "error-model-plates"));
    for (int i = 0; i < count; ++i) {
        Rng rng = Rng::stream(seed, "error-model-capture", static_cast<uint64_t>(i));
        ObservedRead o;
        o.truePlate = plates.next();
        o.conditions = randomSimulationConditions(rng);
        o.read = reader.read(renderCapture(o.truePlate, massachusettsStyle(), o.conditions, rng.next()).image);
        observed.push_back(std::move(o));
    }
    return observed;
}

ErrorModel ErrorModel::fit(const std::vector<ObservedRead>& observations) {
    ErrorModel m;
    double misreads = 0, lengthErrors = 0;
    std::array<double, 3> wrong{0, 0, 0};
    for (const ObservedRead& o : observations) {
        for (const std::string& key : binKeys(o.conditions)) {
            BinStats& s = m.bins_[key];
            if (o.read.noRead) {
                s.noRead += 1;
            } else if (o.read.text == o.truePlate) {
                s.exact += 1;
                s.exactConfidence += o.read.confidence;
            } else {
                s.misread += 1;
                s.misreadConfidence += o.read.confidence;
            }
        }
        if (o.read.noRead || o.read.text == o.truePlate) continue;
        misreads += 1;
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
    if (misreads > 0) {
        m.lengthErrorShare_ = lengthErrors / misreads;
        const double equalLength = wrong[0] + wrong[1] + wrong[2];
        if (equalLength > 0) {
            for (size_t k = 0; k < 3; ++k) m.wrongCharacters_[k] = wrong[k] / equalLength;
        }
    }
    return m;
}

const ErrorModel::BinStats& ErrorModel::statsFor(const CaptureConditions& conditions) const {
    static const BinStats empty;
    for (const std::string& key : binKeys(conditions)) {
        auto it = bins_.find(key);
        if (it != bins_.end() && it->second.total() >= kMinBinCount) return it->second;
    }
    auto all = bins_.find("");
    return all == bins_.end() ? empty : all->second;
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
            const std::string_view pool = std::isdigit(static_cast<unsigned char>(truth)) ? "0123456789" : "ABCDEFGHJKLMNPRSTUVWXYZ";
            char c = truth;
            while (c == truth) c = pool[rng.below(pool.size())];
            read[pos] = c;
        }
    }
    if (read == truePlate) read[0] = read[0] == 'X' ? 'K' : 'X';  // drew only "correct" swaps
    return read;
}

PlateRead ErrorModel::apply(const std::string& truePlate, const CaptureConditions& conditions, Rng& rng) const {
    const BinStats& s = statsFor(conditions);
    PlateRead out;
    const double total = std::max(1.0, s.total());
    const double u = rng.uniform();
    if (s.total() == 0 || u < s.noRead / total) return out;
    out.noRead = false;
    if (u < (s.noRead + s.misread) / total) {
        out.text = substitute(truePlate, rng);
        out.confidence = s.misread > 0 ? s.misreadConfidence / s.misread : 0.5;
    } else {
        out.text = truePlate;
        out.confidence = s.exact > 0 ? s.exactConfidence / s.exact : 0.9;
    }
    out.charConfidence.assign(out.text.size(), out.confidence);
    return out;
}

void ErrorModel::save(const std::filesystem::path& path) const {
    nlohmann::json j;
    j["format"] = "alprsim-error-model-1";
    for (const auto& [key, s] : bins_) {
        j["bins"][key] = {{"exact", s.exact}, {"misread", s.misread}, {"noRead", s.noRead},
                          {"exactConfidence", s.exactConfidence}, {"misreadConfidence", s.misreadConfidence}};
    }
    for (const auto& [t, row] : confusion_) {
        for (const auto& [r, n] : row) j["confusion"][std::string(1, t)][std::string(1, r)] = n;
    }
    j["wrongCharacters"] = wrongCharacters_;
    j["lengthErrorShare"] = lengthErrorShare_;
    writeFileAtomically(path, j.dump(1) + "\n");
}

ErrorModel ErrorModel::load(const std::filesystem::path& path) {
    const std::string text = readTextFile(path);
    ErrorModel m;
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (j.value("format", "") != "alprsim-error-model-1") {
            throw InputError(path.string(), "/format", "\"alprsim-error-model-1\"");
        }
        for (const auto& [key, s] : j.at("bins").items()) {
            m.bins_[key] = {s.at("exact"), s.at("misread"), s.at("noRead"), s.at("exactConfidence"), s.at("misreadConfidence")};
        }
        if (j.contains("confusion")) {
            for (const auto& [t, row] : j.at("confusion").items()) {
                for (const auto& [r, n] : row.items()) m.confusion_[t.at(0)][r.at(0)] = n.get<double>();
            }
        }
        m.wrongCharacters_ = j.at("wrongCharacters").get<std::array<double, 3>>();
        m.lengthErrorShare_ = j.at("lengthErrorShare").get<double>();
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string(), "/", std::string("an alprsim error model (") + e.what() + ")");
    }
    return m;
}

}  // namespace alprsim::recognition
