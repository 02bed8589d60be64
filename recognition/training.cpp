#include "recognition/training.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/plate.h"
#include "recognition/glyphs.h"
#include "recognition/char_classifier.h"
#include "recognition/line_reader.h"
#include "recognition/matched_set.h"
#include "recognition/renderer.h"
#include "recognition/segmentation.h"

namespace alprsim::recognition {

CaptureConditions randomTrainingConditions(Rng& rng) {
    CaptureConditions c;
    c.plateWidthPx = std::exp(rng.uniform(std::log(30.0), std::log(220.0)));
    c.yawDeg = rng.uniform(-40, 40);
    c.pitchDeg = rng.uniform(-10, 30);
    c.rollDeg = rng.uniform(-8, 8);
    c.motionBlurPx = rng.uniform() < 0.5 ? 0.0 : rng.uniform(0, 0.06 * c.plateWidthPx);
    c.defocusSigma = rng.uniform() < 0.5 ? 0.0 : rng.uniform(0, 0.012 * c.plateWidthPx);
    c.noiseSigma = rng.uniform(0, 8);
    const double light = rng.uniform();
    c.light = light < 0.6 ? Light::Day : (light < 0.8 ? Light::Dusk : Light::NightIR);
    c.rain = rng.uniform() < 0.8 ? 0.0 : rng.uniform(0, 0.8);
    c.glare = rng.uniform() < 0.8 ? 0.0 : rng.uniform(0, 0.6);
    c.dirt = rng.uniform() < 0.7 ? 0.0 : rng.uniform(0, 0.6);
    c.occlusion = rng.uniform() < 0.9 ? 0.0 : rng.uniform(0, 0.15);
    c.jpegQuality = rng.uniform() < 0.3 ? 0 : static_cast<int>(rng.uniform(30, 95));
    return c;
}

std::string randomTrainingText(Rng& rng) {
    if (rng.uniform() < 0.4) {
        const auto& formats = massachusettsPlateFormats();
        return randomPlate(formats[rng.below(formats.size())], rng);
    }
    const int length = 4 + static_cast<int>(rng.below(5));
    std::string text;
    for (int i = 0; i < length; ++i) text += kCharacterClasses[rng.below(kCharacterClasses.size())];
    return text;
}

std::string randomUSText(Rng& rng) {
    static const std::vector<std::string> formats = {"@@@####", "#@@@###", "@@@###",  "###@@@", "@@#####", "#@@####",
                                                     "##@@###", "###@###", "@@@@###", "######", "#####",   "@@@@##",
                                                     "###@@",   "@#####",  "##@####", "@@###@@"};
    const std::string& format = formats[rng.below(formats.size())];
    std::string text;
    for (char f : format) {
        text += f == '#' ? kCharacterClasses[rng.below(10)] : kCharacterClasses[10 + rng.below(26)];
    }
    return text;
}

ClutteredPlate randomClutteredPlate(Rng& rng, bool heldOut) {
    ClutteredPlate out;
    out.style = heldOut ? randomDevStyle(rng) : randomTrainingStyle(rng);
    if (out.style.name == "MA") out.style.name = "MA-like";  // no Massachusetts display gap: shown says where gaps go
    PlateStyle& s = out.style;
    out.truth = randomUSText(rng);
    // Where the kind changes (ABC|1234) is where plates put a gap, an emblem or stacked letters.
    size_t boundary = out.truth.size() / 2;
    for (size_t i = 1; i < out.truth.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(out.truth[i])) !=
            std::isdigit(static_cast<unsigned char>(out.truth[i - 1]))) {
            boundary = i;
            break;
        }
    }
    const double between = rng.uniform();
    const std::string mark = between < 0.3 ? "*" : between < 0.45 ? "^" : between < 0.6 ? " " : "";
    out.shown = out.truth.substr(0, boundary) + mark + out.truth.substr(boundary);
    if (rng.uniform() < 0.15) out.shown = (rng.uniform() < 0.5 ? "^" : "*") + out.shown;
    if (rng.uniform() < 0.5) {
        s.frameTop = static_cast<int>(rng.uniform(0, 45));
        s.frameBottom = static_cast<int>(rng.uniform(10, 60));
        s.frameSide = rng.uniform() < 0.5 ? 0 : static_cast<int>(rng.uniform(3, 20));
        s.frameColor = rng.uniform() < 0.7 ? cv::Scalar::all(rng.uniform(0, 60)) : cv::Scalar::all(rng.uniform(150, 220));
        s.frameText = rng.uniform() < 0.6;
    }
    s.bolts = rng.uniform() < 0.4;
    if (rng.uniform() < 0.25) {  // touching characters
        s.gap = rng.uniform(-0.03, 0.03);
        s.stroke = rng.uniform(0.5, 3.0);
    }
    if (rng.uniform() < 0.3) s.charHeight = rng.uniform(0.5, 0.62);  // up to the frame and the edges
    return out;
}

namespace {

// The character whose rendered box best overlaps the blob, or kJunkClass.
int labelOf(const cv::Rect& blob, const std::vector<cv::Rect2f>& truthBoxes, const std::string& glyphText) {
    int label = kJunkClass;
    double bestOverlap = 0.5;
    for (size_t i = 0; i < truthBoxes.size() && i < glyphText.size(); ++i) {
        const cv::Rect2f b(blob);
        const double inter = (b & truthBoxes[i]).area();
        const double iou = inter / (b.area() + truthBoxes[i].area() - inter);
        if (iou > bestOverlap) {
            bestOverlap = iou;
            label = classOf(glyphText[i]);
        }
    }
    return label;
}

// A distorted copy of a normalised glyph: other widths, slants, tilts and stroke weights than
// the fonts we have, standing in for the many plate typefaces we do not have.
cv::Mat augmentGlyph(const cv::Mat& glyph, Rng& rng) {
    const double sx = rng.uniform(0.75, 1.3), shear = rng.uniform(-0.15, 0.15);
    const double angle = rng.uniform(-4, 4) * CV_PI / 180;
    const double c = std::cos(angle), s = std::sin(angle);
    const cv::Point2d centre(glyph.cols / 2.0, glyph.rows / 2.0);
    // rotation * shear * x-scale, about the centre
    const cv::Matx22d M = cv::Matx22d(c, -s, s, c) * cv::Matx22d(1, shear, 0, 1) * cv::Matx22d(sx, 0, 0, 1);
    const cv::Point2d t = centre - cv::Point2d(M(0, 0) * centre.x + M(0, 1) * centre.y, M(1, 0) * centre.x + M(1, 1) * centre.y);
    const cv::Matx23d A(M(0, 0), M(0, 1), t.x, M(1, 0), M(1, 1), t.y);
    cv::Mat out;
    cv::warpAffine(glyph, out, A, glyph.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
    const double weight = rng.uniform();
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {2, 2});
    if (weight < 0.25)
        cv::erode(out, out, kernel);  // min filter: dark ink grows
    else if (weight < 0.5)
        cv::dilate(out, out, kernel);
    return out;
}

}  // namespace

GlyphImages harvestGlyphImages(int plateCount, uint64_t seed) {
    GlyphImages out;
    std::vector<cv::Mat> rows;
    for (int i = 0; i < plateCount; ++i) {
        Rng rng = Rng::stream(seed, "training-plate", static_cast<uint64_t>(i));
        const PlateStyle style = randomTrainingStyle(rng);
        const std::string text = randomTrainingText(rng);
        const CaptureConditions conditions = randomTrainingConditions(rng);
        const FrameKind kind = rng.uniform() < 0.5 ? FrameKind::PlateCrop : FrameKind::RegionOfInterest;
        const RenderedCapture capture = renderCapture(text, style, conditions, rng.next(), kind);
        cv::Mat grey;
        cv::cvtColor(capture.image, grey, cv::COLOR_BGR2GRAY);
        std::string glyphText = text;  // characterBoxes skip the display gap, so use the text
        for (const CharacterRow& row : findCharacterRows(grey)) {
            for (size_t k = 0; k < row.boxes.size(); ++k) {
                const int label = labelOf(row.boxes[k], capture.characterBoxes, glyphText);
                // Junk is common in light-on-dark rows of dark-on-light plates; keep a share.
                if (label == kJunkClass && rng.uniform() > 0.25) continue;
                rows.push_back(row.glyphs[k].clone().reshape(1, 1));
                out.labels.push_back(label);
                rows.push_back(augmentGlyph(row.glyphs[k], rng).reshape(1, 1));
                out.labels.push_back(label);
            }
        }
    }
    if (!rows.empty()) cv::vconcat(rows, out.pixels);
    return out;
}

GlyphSamples harvestGlyphs(int plateCount, uint64_t seed) {
    const GlyphImages images = harvestGlyphImages(plateCount, seed);
    GlyphSamples out;
    out.labels = images.labels;
    std::vector<cv::Mat> rows;
    for (int r = 0; r < images.pixels.rows; ++r) {
        rows.push_back(glyphFeatures(images.pixels.row(r).clone().reshape(1, kGlyphHeight)));
    }
    if (!rows.empty()) cv::vconcat(rows, out.features);
    return out;
}

cv::Mat cutTowardsCharacters(const cv::Mat& image, const std::vector<cv::Rect2f>& characterBoxes, double sideShare,
                             double verticalShare, Rng& rng) {
    cv::Rect2f ink = characterBoxes.front();
    for (const auto& b : characterBoxes) ink |= b;
    const auto cut = [&](double room, double share, int size) {
        return std::clamp(static_cast<int>(rng.uniform(0, std::max(0.0, std::min(room - 1.0, share * size)))), 0, size / 3);
    };
    const int left = cut(ink.x, sideShare, image.cols), right = cut(image.cols - ink.br().x, sideShare, image.cols);
    const int top = cut(ink.y, verticalShare, image.rows), bottom = cut(image.rows - ink.br().y, verticalShare, image.rows);
    return image(cv::Rect(left, top, image.cols - left - right, image.rows - top - bottom)).clone();
}

CropMeasure randomCropMeasure(int characterCount, Rng& rng, double edgeShare) {
    CropMeasure m;
    const int n = std::max(1, characterCount);
    m.characterCount = m.blobsFound = n;
    m.rowFound = true;
    const int width = static_cast<int>(std::exp(rng.uniform(std::log(70.0), std::log(420.0))));
    const int height = std::max(8, static_cast<int>(width * rng.uniform(0.4, 0.65)));
    m.cropSize = {width, height};
    m.characterHeightPx = height * rng.uniform(0.3, 0.62);
    // A character cell 0.38-0.72 of its height, 0.12 of it between cells; never wider than the crop.
    const double row = std::min(0.97 * width, m.characterHeightPx * (n * rng.uniform(0.38, 0.72) + (n - 1) * 0.12));
    double x = (width - row) * rng.uniform(0.1, 0.9);
    // A row up to the crop's edge or a little past it (an end character cut by up to an eighth
    // of its height), as tight crops have it. Drawn only when asked for, so that edgeShare 0
    // keeps the stream, and the crops, of before.
    if (edgeShare > 0 && rng.uniform() < edgeShare) {
        const double past = m.characterHeightPx * rng.uniform(-0.05, 0.12);
        x = rng.uniform() < 0.5 ? -past : width - row + past;
    }
    const double y = std::clamp(height * rng.uniform(0.42, 0.62) - m.characterHeightPx / 2, 0.0, height - m.characterHeightPx);
    m.characterBox = {x, y, row, m.characterHeightPx};
    m.rowAngleDeg = rng.uniform() < 0.5 ? rng.uniform(-1.5, 1.5) : rng.uniform(-6, 6);
    m.shearDeg = rng.uniform() < 0.7 ? 0.0 : rng.uniform(-12, 12);
    m.groupGapAfter = n >= 4 && rng.uniform() < 0.6 ? 1 + static_cast<int>(rng.below(static_cast<uint64_t>(n - 3))) : -1;
    if (rng.uniform() < 0.35) {  // stacked small letters (or a county name's) beside a character
        m.smallMarks = 1;
        m.smallMarkAt = static_cast<int>(rng.below(static_cast<uint64_t>(n + 1)));
        m.smallMarkHeight = rng.uniform(0.25, 0.5);
    }
    m.extraAt = rng.uniform() < 0.12 ? static_cast<int>(rng.below(static_cast<uint64_t>(n + 1))) : -1;
    m.mergedPairs = rng.uniform() < 0.1 ? 1 : 0;
    m.darkOnLight = rng.uniform() < 0.85;
    // Contrast from full down to faint (a washed-out or shaded plate).
    const double bright = rng.uniform(140, 255), dark = rng.uniform(0, 120),
                 faint = rng.uniform() < 0.2 ? rng.uniform(0.3, 0.7) : 1.0;
    const double mid = (bright + dark) / 2, half = (bright - dark) / 2 * faint;
    const cv::Scalar light = randomColor(rng, mid + half - 25, mid + half), ink = randomColor(rng, mid - half, mid - half + 60);
    m.backgroundBgr = m.darkOnLight ? light : ink;
    m.inkBgr = m.darkOnLight ? ink : light;
    m.contrast = 2 * half / 255;
    m.backgroundClutter = rng.uniform() < 0.4 ? rng.uniform(0.05, 0.4) : rng.uniform(0.0, 0.05);
    m.saturation = rng.uniform() < 0.12 ? 0.0 : 0.3;  // a grey (infrared) photograph on some
    return m;
}

RealisticCrop realisticTrainingCrop(Rng& rng, double edgeShare) {
    static const std::vector<std::string> states = designedStates();
    const std::string state = states[rng.below(states.size())];
    RealisticCrop out;
    out.text = rng.uniform() < 0.65 ? randomUSText(rng) : randomTrainingText(rng);
    const CropMeasure m = randomCropMeasure(static_cast<int>(out.text.size()), rng, edgeShare);
    MatchedPlate plan = planMatched(state, out.text, m, rng.next(), 0);
    // Faces: the state's face (a highway-sign series or a state face drawn from strokes), a
    // training face or a line-training face; the development set's held-out faces and the held-out
    // state faces (heldOutStateTypefaces) never.
    const double face = rng.uniform();
    const auto heldOut = [](Typeface f) {
        const auto& dev = devTypefaces();
        const auto& state = heldOutStateTypefaces();
        return std::find(dev.begin(), dev.end(), f) != dev.end() || std::find(state.begin(), state.end(), f) != state.end();
    };
    if (face >= 0.4 || heldOut(plan.style.typeface)) {
        const auto& faces = face < 0.75 ? allTypefaces() : lineTrainingTypefaces();
        plan.style.typeface = faces[rng.below(faces.size())];
    }
    out.typeface = plan.style.typeface;
    CaptureConditions& c = plan.conditions;
    c.defocusSigma = rng.uniform() < 0.3 ? 0.0 : rng.uniform(0.2, 0.012 * m.cropSize.width + 0.6);
    c.motionBlurPx = rng.uniform() < 0.8 ? 0.0 : rng.uniform(1, 0.03 * m.cropSize.width + 1);
    c.noiseSigma = rng.uniform(0, 9);
    cv::cvtColor(renderPlanned(plan, m, rng.next()), out.grey, cv::COLOR_BGR2GRAY);
    return out;
}

PlateLines harvestPlateLines(int count, uint64_t seed, double realisticShare, double edgeShare) {
    PlateLines out;
    out.pixels.create(count, kLineWidth * kLineHeight, CV_8U);
    for (int i = 0; i < count; ++i) {
        if (realisticShare > 0) {
            Rng realistic = Rng::stream(seed, "training-line-realistic", static_cast<uint64_t>(i));
            if (realistic.uniform() < realisticShare) {
                const RealisticCrop crop = realisticTrainingCrop(realistic, edgeShare);
                normalisePlateLine(crop.grey).reshape(1, 1).copyTo(out.pixels.row(i));
                out.texts.push_back(crop.text);
                continue;
            }
        }
        Rng rng = Rng::stream(seed, "training-line", static_cast<uint64_t>(i));
        ClutteredPlate plate;
        if (rng.uniform() < 0.5) {
            plate = randomClutteredPlate(rng, false);
        } else {
            plate.style = randomTrainingStyle(rng);
            plate.truth = rng.uniform() < 0.5 ? randomTrainingText(rng) : randomUSText(rng);
            plate.shown = plate.truth;
        }
        // The faces only the line reader trains on: shapes the state faces have that the others lack.
        if (rng.uniform() < 0.25) {
            const auto& faces = lineTrainingTypefaces();
            plate.style.typeface = faces[rng.below(faces.size())];
        }
        const CaptureConditions conditions = randomTrainingConditions(rng);
        const RenderedCapture capture = renderCapture(plate.shown, plate.style, conditions, rng.next(), FrameKind::PlateCrop);
        cv::Mat grey;
        cv::cvtColor(capture.image, grey, cv::COLOR_BGR2GRAY);
        const double side = rng.uniform(0, 0.12), vertical = rng.uniform(0, 0.18);
        const cv::Mat crop = cutTowardsCharacters(grey, capture.characterBoxes, side, vertical, rng);
        normalisePlateLine(crop).reshape(1, 1).copyTo(out.pixels.row(i));
        out.texts.push_back(plate.truth);
    }
    return out;
}

namespace {

// file -> PLATE of a two-column CSV (a header line starting "file," is skipped).
std::vector<std::pair<std::string, std::string>> readFilePlateList(const std::filesystem::path& list) {
    std::istringstream in(readTextFile(list));
    CsvReader csv =
        in.str().rfind("file,", 0) == 0 ? CsvReader(in, list.string()) : CsvReader(in, list.string(), {"file", "plate"});
    if (csv.header().size() != 2) throw InputError(list.string(), "row 1", "file,PLATE");
    std::vector<std::pair<std::string, std::string>> rows;
    while (csv.next()) rows.emplace_back(csv.row()[0], csv.row()[1]);
    return rows;
}

}  // namespace

std::vector<LabelledCrop> readLabelledCrops(const std::filesystem::path& list, const std::filesystem::path& moreLabels) {
    static const std::regex plateText("[0-9A-Z]{5,8}"), hasLetter(".*[A-Z].*"), hasDigit(".*[0-9].*");
    static const std::regex namedText("pl_([0-9A-Z]{5,8})\\.png");
    std::map<std::string, std::string> more;
    if (!moreLabels.empty()) {
        for (const auto& [file, plate] : readFilePlateList(moreLabels)) {
            if (!std::regex_match(plate, plateText))
                throw InputError(moreLabels.string(), file, "PLATE of 5-8 characters 0-9A-Z");
            more[file] = plate;
        }
    }
    std::vector<LabelledCrop> crops;
    for (const auto& [file, plate] : readFilePlateList(list)) {
        std::smatch m;
        std::string text;
        if (std::regex_match(plate, plateText) && std::regex_match(plate, hasLetter) && std::regex_match(plate, hasDigit)) {
            text = plate;
        } else if (std::regex_match(plate, m, namedText)) {
            text = m[1];
        } else if (auto it = more.find(file); it != more.end()) {
            text = it->second;
        }
        if (!text.empty()) crops.push_back({list.parent_path() / file, text});
    }
    return crops;
}

bool isDevelopmentCrop(const std::filesystem::path& file) { return fnv1a64(file.filename().string()) % 5 == 0; }

PlateLines realPlateLines(const std::vector<LabelledCrop>& crops) {
    PlateLines out;
    out.pixels.create(static_cast<int>(crops.size()), kLineWidth * kLineHeight, CV_8U);
    for (size_t i = 0; i < crops.size(); ++i) {
        const cv::Mat image = cv::imread(crops[i].file.string(), cv::IMREAD_COLOR);  // as the reader is given crops
        if (image.empty()) throw InputError(crops[i].file.string(), "image", "a plate crop (PNG or JPEG)");
        cv::Mat grey;
        cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
        normalisePlateLine(grey).reshape(1, 1).copyTo(out.pixels.row(static_cast<int>(i)));
        out.texts.push_back(crops[i].text);
    }
    return out;
}

void writePlateLines(const PlateLines& lines, const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    const int32_t header[3] = {lines.pixels.rows, kLineWidth, kLineHeight};
    out.write("ALPRLIN1", 8);
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    for (int r = 0; r < lines.pixels.rows; ++r) {
        const std::string& text = lines.texts[static_cast<size_t>(r)];
        out.put(static_cast<char>(text.size()));
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.write(reinterpret_cast<const char*>(lines.pixels.ptr(r)), lines.pixels.cols);
    }
    if (!out) throw std::runtime_error("error writing " + path.string());
}

void writeGlyphImages(const GlyphImages& images, const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    const int32_t header[4] = {images.pixels.rows, kGlyphWidth, kGlyphHeight, kClassCount};
    out.write("ALPRGLY1", 8);
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    for (int label : images.labels) out.put(static_cast<char>(label));
    for (int r = 0; r < images.pixels.rows; ++r) {
        out.write(reinterpret_cast<const char*>(images.pixels.ptr(r)), images.pixels.cols);
    }
    if (!out) throw std::runtime_error("error writing " + path.string());
}

}  // namespace alprsim::recognition
