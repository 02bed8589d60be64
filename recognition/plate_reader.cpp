#include "recognition/plate_reader.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "core/median.h"
#include "core/plate.h"
#include "recognition/segmentation.h"

#ifndef ALPRSIM_RECOGNITION_DATA_DIR
#define ALPRSIM_RECOGNITION_DATA_DIR "data/recognition"
#endif

namespace alprsim::recognition {
namespace {

constexpr std::string_view kDigits = "0123456789";
// Issued Massachusetts plates do not use I, O or Q (core/plate.h).
constexpr std::string_view kMassachusettsLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";

struct Choice {
    char c;
    double p;
};

Choice bestOf(const double* probs, std::string_view allowed) {
    Choice best{allowed[0], -1.0};
    for (char c : allowed) {
        const double p = probs[classOf(c)];
        if (p > best.p) best = {c, p};
    }
    return best;
}

// The best digit where digits stand: an I or O the recogniser is sure of reads 1 or 0 at a fixed
// share of its probability (plate_syntax.h, digitSettledProbability), so that a 1 taken for an I
// among digits reads 1.
Choice bestDigitOf(const double* probs) {
    Choice best{'0', -1.0};
    for (char c : kDigits) {
        const double p = digitSettledProbability(probs, c);
        if (p > best.p) best = {c, p};
    }
    return best;
}

// A read that stands without trying anything else: plate-length, every character sure.
bool isSure(const PlateRead& read) { return !read.noRead && read.confidence >= kSureRead && read.text.size() >= 5; }

struct Candidate {
    PlateRead read;
    double logScore = -1e300;
};

Candidate readAs(const cv::Mat& probs, const std::vector<int>& rows, std::string_view format) {
    Candidate out;
    out.logScore = 0;
    out.read.confidence = 1.0;
    for (size_t i = 0; i < rows.size(); ++i) {
        const double* p = probs.ptr<double>(rows[i]);
        const Choice ch =
            format.empty() ? bestOf(p, kCharacterClasses) : bestOf(p, format[i] == '#' ? kDigits : kMassachusettsLetters);
        // Confidence in a character given that it is one: junk mass does not count against it.
        const double conf = ch.p / std::max(1e-9, 1.0 - p[kJunkClass]);
        out.read.text += ch.c;
        out.read.charConfidence.push_back(std::min(1.0, conf));
        out.read.confidence = std::min(out.read.confidence, std::min(1.0, conf));
        out.logScore += std::log(std::max(1e-12, ch.p));
    }
    out.read.noRead = false;
    return out;
}

// Any plate of the US: the likeliest string, where each change between a letter and a digit
// costs kSwitchCost of log-likelihood. Plates run letters and digits in groups (ABC 1234,
// 1ABC234, 123 ABC); a lone letter among digits is more often a misread digit (2 as Z, 5 as S).
constexpr double kSwitchCost = 1.1;  // log 3: chosen on the synthetic development set

Candidate readGrouped(const cv::Mat& probs, const std::vector<int>& rows) {
    const size_t n = rows.size();
    const double cost = kSwitchCost;
    // Viterbi over the kind of each character: 0 digit, 1 letter.
    std::vector<std::array<Choice, 2>> choice(n);
    std::vector<std::array<double, 2>> score(n);
    std::vector<std::array<int, 2>> from(n);
    for (size_t i = 0; i < n; ++i) {
        const double* p = probs.ptr<double>(rows[i]);
        choice[i] = {bestDigitOf(p), bestOf(p, kCharacterClasses.substr(10))};
        for (int t = 0; t < 2; ++t) {
            const double here = std::log(std::max(1e-12, choice[i][t].p));
            if (i == 0) {
                score[i][t] = here;
                from[i][t] = t;
                continue;
            }
            const double stay = score[i - 1][t], change = score[i - 1][1 - t] - cost;
            from[i][t] = stay >= change ? t : 1 - t;
            score[i][t] = here + std::max(stay, change);
        }
    }
    std::string kinds(n, ' ');
    int t = score[n - 1][0] >= score[n - 1][1] ? 0 : 1;
    for (size_t i = n; i-- > 0;) {
        kinds[i] = t == 0 ? '#' : '@';
        t = from[i][t];
    }
    Candidate out;
    out.logScore = 0;
    out.read.confidence = 1.0;
    for (size_t i = 0; i < n; ++i) {
        const double* p = probs.ptr<double>(rows[i]);
        const Choice ch = choice[i][kinds[i] == '#' ? 0 : 1];
        // Where the neighbours settle the kind (a character between digits), the confidence is
        // the choice's share among characters of that kind; where the kind stands alone, its
        // share among all characters.
        double kindMass = 0;
        for (char k : kinds[i] == '#' ? kDigits : kCharacterClasses.substr(10)) kindMass += p[classOf(k)];
        const bool settled = (i > 0 && kinds[i - 1] == kinds[i]) || (i + 1 < n && kinds[i + 1] == kinds[i]);
        const double conf = std::min(1.0, ch.p / std::max(1e-9, settled ? kindMass : 1.0 - p[kJunkClass]));
        out.read.text += ch.c;
        out.read.charConfidence.push_back(conf);
        out.read.confidence = std::min(out.read.confidence, conf);
        out.logScore += std::log(std::max(1e-12, ch.p));
    }
    out.read.noRead = false;
    return out;
}

Candidate bestMassachusetts(const cv::Mat& probs, const std::vector<int>& rows) {
    Candidate best;
    for (const std::string& format : massachusettsPlateFormats()) {
        if (format.size() != rows.size()) continue;
        Candidate c = readAs(probs, rows, format);
        if (c.logScore > best.logScore) best = c;
    }
    return best;
}

bool fitsFormats(const PlateRead& read, const Syntax& syntax) {
    return !read.noRead && syntax.formats &&
           std::any_of(syntax.formats->begin(), syntax.formats->end(),
                       [&](const PlateFormat& f) { return f.matches(read.text); });
}

PlateRead plateReadOf(const FormatReading& fit) {
    PlateRead read;
    read.text = fit.text;
    read.charConfidence = fit.charConfidence;
    read.confidence =
        read.charConfidence.empty() ? 0.0 : *std::min_element(read.charConfidence.begin(), read.charConfidence.end());
    read.noRead = false;
    return read;
}

// The line reader's read replaces segmentation's (which was not sure, or it would not have been
// asked) when its weakest character is more confident than this. Chosen on the development sets
// (recognition/README.md) against the larger sum of confidences and the more confident read.
constexpr double kLineTrusted = 0.5;

// The line reader's trusted read holds segmentation's whole read and more characters: segmentation
// lost a character at an end of the row (one touching the crop's edge, a frame or a bolt, and
// dropped with it), which the line reader, reading the crop at once, kept. Segmentation's read is
// sure, but of a part of the row. With LineReading::First, where the line reader's read of the
// whole region is there to compare: decided on the development sets (recognition/README.md,
// "Reads of the wrong length").
bool extendsSegmented(const PlateRead& line, const PlateRead& segmented) {
    return !line.noRead && !segmented.noRead && line.confidence > kLineTrusted && line.text.size() > segmented.text.size() &&
           line.text.find(segmented.text) != std::string::npos;
}

// What the line reader is shown: a crop as it is, or, in a region where segmentation's row of
// characters is a small part (a region of interest around a plate), the row with margins like
// those of the crops it was trained on.
cv::Rect plateAround(const cv::Rect& row, const cv::Size& region) {
    const cv::Rect whole({0, 0}, region);
    if (row.empty() || row.height >= 0.28 * region.height) return whole;
    const int dx = static_cast<int>(0.3 * row.height), dy = static_cast<int>(0.45 * row.height);
    return cv::Rect(row.x - dx, row.y - dy, row.width + 2 * dx, row.height + 2 * dy) & whole;
}

// The check of the line reader's characters against the heights of the ink under them
// (PlateReaderOptions::characterHeights; recognition/README.md, "Characters' heights"). The line
// network sees the crop at 32 px high, where two stacked small letters, a bolt or an end mark
// look like one more character (KGE^656 read KGEY656 at 0.99); the crop's own pixels say how
// tall the ink there is. Settings chosen on the development sets.
namespace heights {

// Where a character's output step points in the input: the networks peak about a step after the
// character's centre (on the matched set's exact reads, the nearest character's centre lay a
// median 0.93 steps left of the step's own centre).
constexpr double kStepLag = 0.9;
// A character under this share of the row's median height is short: stacked letters, bolts and
// marks measured 0.2-0.5 of it; characters the row's height 0.8-1.25.
constexpr double kShortShare = 0.5;

// A component that could be a character or a mark beside one: not the whole region's height (a
// frame, the plate's edge), not a speck, not much wider than tall (touching characters, bands).
bool characterLike(const cv::Rect& b, int regionHeight) {
    return b.height <= 0.92 * regionHeight && b.height >= 0.08 * regionHeight && b.width <= 1.3 * b.height + 4;
}

double centreX(const cv::Rect& b) { return b.x + b.width / 2.0; }

// The component of `boxes` whose centre is nearest x; nullptr if none.
const cv::Rect* nearest(const std::vector<cv::Rect>& boxes, double x) {
    const cv::Rect* best = nullptr;
    for (const cv::Rect& b : boxes) {
        if (!best || std::abs(centreX(b) - x) < std::abs(centreX(*best) - x)) best = &b;
    }
    return best;
}

// What one polarity's ink says about the characters read.
struct InkUnder {
    std::vector<double> heights;  // per character: the height of the ink under it (0: none found)
    std::vector<cv::Rect> under;  // per character: that ink's box (empty: none found)
    double rowHeight = 0;         // the median of the tallest ink under each character
    int consistent = 0;           // characters whose ink is the row's height (0.8-1.25 of it)
    std::vector<cv::Rect> components;
};

// xs: each character's column in the region's working pixels; pitch: one output step there.
InkUnder inkUnder(const PreparedRegion& region, bool lightOnDark, const std::vector<double>& xs, double pitch) {
    InkUnder out;
    out.components = inkComponents(region, lightOnDark);
    out.heights.assign(xs.size(), 0.0);
    out.under.assign(xs.size(), cv::Rect());
    const int H = region.grey.rows;
    std::vector<cv::Rect> characters;
    for (const cv::Rect& b : out.components)
        if (characterLike(b, H)) characters.push_back(b);
    // The row's height: the tallest character-like ink within half a step of each character.
    std::vector<double> tallest;
    for (const double x : xs) {
        int top = 0;
        for (const cv::Rect& b : characters)
            if (b.x <= x + 0.5 * pitch && b.br().x >= x - 0.5 * pitch) top = std::max(top, b.height);
        if (top > 0) tallest.push_back(top);
    }
    if (tallest.empty()) return out;
    out.rowHeight = median(tallest);
    std::vector<cv::Rect> row;  // the row's characters
    for (const cv::Rect& b : characters)
        if (b.height >= 0.75 * out.rowHeight) row.push_back(b);
    if (row.empty()) return out;
    // This crop's lag: the median offset of the row's characters from the columns read.
    std::vector<double> offsets, tops, bottoms;
    for (const double x : xs) {
        const cv::Rect* b = nearest(row, x);
        if (std::abs(centreX(*b) - x) < pitch) offsets.push_back(centreX(*b) - x);
    }
    const double shift = median(offsets);
    for (const cv::Rect& b : row) {
        tops.push_back(b.y);
        bottoms.push_back(b.br().y);
    }
    // Ink within the row's band (stacked letters, bolts on it), not a header or slogan above or below.
    const double top = median(tops) - 0.15 * out.rowHeight, bottom = median(bottoms) + 0.15 * out.rowHeight;
    std::vector<cv::Rect> band;
    for (const cv::Rect& b : characters)
        if (b.y >= top && b.br().y <= bottom) band.push_back(b);
    for (size_t i = 0; i < xs.size(); ++i) {
        const cv::Rect* b = nearest(band, xs[i] + shift);
        if (b && std::abs(centreX(*b) - xs[i] - shift) < 0.8 * pitch) {
            out.heights[i] = b->height;
            out.under[i] = *b;
        }
        const double h = out.heights[i];
        out.consistent += h >= 0.8 * out.rowHeight && h <= 1.25 * out.rowHeight;
    }
    return out;
}

// The one character to drop, or -1: exactly one character short, every other one the row's
// height, its ink not cut by the crop's edge nor a piece of a broken character, no ink of the
// row's height (up to three heights wide: a character joined to a bolt or its neighbour) within
// 0.4 of a step of it, and fewer characters of the row's height in the crop than characters read.
int shortCharacter(const InkUnder& ink, const std::vector<double>& xs, double pitch, int regionWidth, int regionHeight) {
    if (ink.rowHeight <= 0) return -1;
    int found = -1;
    for (size_t i = 0; i < ink.heights.size(); ++i) {
        if (ink.heights[i] <= 0 || ink.heights[i] >= kShortShare * ink.rowHeight) continue;
        if (found >= 0) return -1;
        found = static_cast<int>(i);
    }
    if (found < 0 || ink.consistent != static_cast<int>(ink.heights.size()) - 1) return -1;
    const double x = xs[static_cast<size_t>(found)], reach = 0.4 * pitch;
    const cv::Rect mark = ink.under[static_cast<size_t>(found)];
    // Ink cut by the crop's edge is a character cut, not a mark.
    if (mark.x == 0 || mark.br().x >= regionWidth) return -1;
    int rowCharacters = 0;  // character-like ink of the row's height along the read
    std::vector<double> widths;
    cv::Rect column = mark;  // the mark and the ink above and below it
    for (const cv::Rect& b : ink.components) {
        const bool tall = b.height >= 0.75 * ink.rowHeight;
        if (tall && b.width <= 3 * ink.rowHeight && b.x <= x + reach && b.br().x >= x - reach) return -1;
        const bool rowCharacter = tall && b.height <= 1.25 * ink.rowHeight && characterLike(b, regionHeight) &&
                                  b.br().x >= xs.front() - 1.5 * pitch && b.x <= xs.back() + 1.5 * pitch;
        rowCharacters += rowCharacter;
        if (rowCharacter) widths.push_back(b.width);
        const int overlap = std::min(b.br().x, mark.br().x) - std::max(b.x, mark.x);
        if (!tall && characterLike(b, regionHeight) && overlap >= 0.5 * std::min(b.width, mark.width)) column |= b;
    }
    // A character the thresholding broke into pieces above one another (a thin stroke lost): as
    // tall as the row and as wide as its characters; stacked small letters share a narrow cell.
    if (column.height >= 0.75 * ink.rowHeight && column.width >= 0.65 * median(widths)) return -1;
    // As many characters of the row's height as characters read: none of them is extra (the short
    // ink is a mark beside a character the read placed badly: the steps lag by up to a step).
    return rowCharacters >= static_cast<int>(xs.size()) ? -1 : found;
}

}  // namespace heights

}  // namespace

LineRead withoutShortCharacter(LineRead line, const cv::Mat& grey) {
    const int n = line.characters.rows;
    if (n < 3 || static_cast<int>(line.columns.size()) != n) return line;
    const PreparedRegion region = prepareRegion(grey);
    const double pitch = double(region.grey.cols) / kLineSteps;
    std::vector<double> xs;
    for (const double column : line.columns) xs.push_back((column + 0.5 - heights::kStepLag) * pitch);
    // The polarity whose ink stands under more of the characters at the row's height (ties: the
    // taller row). Where every character stands on dark ink of the row's height (most crops), no
    // character is short in either polarity: the light one is not looked at.
    const heights::InkUnder dark = heights::inkUnder(region, false, xs, pitch);
    if (dark.consistent == n) return line;
    const heights::InkUnder light = heights::inkUnder(region, true, xs, pitch);
    const bool useLight =
        light.consistent > dark.consistent || (light.consistent == dark.consistent && light.rowHeight > dark.rowHeight);
    const int drop = heights::shortCharacter(useLight ? light : dark, xs, pitch, region.grey.cols, region.grey.rows);
    if (drop < 0) return line;
    cv::Mat kept;
    for (int i = 0; i < n; ++i)
        if (i != drop) kept.push_back(line.characters.row(i));
    line.characters = kept;
    line.columns.erase(line.columns.begin() + drop);
    return line;
}

std::optional<LineReading> lineReadingNamed(std::string_view name) {
    if (name == "off") return LineReading::Off;
    if (name == "fallback") return LineReading::Fallback;
    if (name == "first") return LineReading::First;
    if (name == "only") return LineReading::Only;
    return std::nullopt;
}

std::filesystem::path recognitionDataDir() {
    if (const char* env = std::getenv("ALPRSIM_RECOGNITION_DATA")) return env;
    return ALPRSIM_RECOGNITION_DATA_DIR;
}

std::filesystem::path defaultCharacterModelPath() { return recognitionDataDir() / "char_cnn.yml.gz"; }

std::filesystem::path defaultMlpModelPath() { return recognitionDataDir() / "char_mlp.yml.gz"; }

PlateRead applySyntax(const cv::Mat& probabilities, SyntaxRule rule) { return applySyntax(probabilities, Syntax{rule, nullptr}); }

PlateRead applySyntax(const cv::Mat& probabilities, const Syntax& syntax) {
    const SyntaxRule rule = syntax.rule;
    // Blobs at the ends of the row that the recogniser takes for junk (logos, bolts, sticker
    // and frame edges) go. Inside the row a blob is a character: a thin 1 looks like junk.
    int first = 0, last = probabilities.rows - 1;
    while (first <= last && probabilities.at<double>(first, kJunkClass) >= 0.5) ++first;
    while (last >= first && probabilities.at<double>(last, kJunkClass) >= 0.5) --last;
    std::vector<int> rows;
    for (int r = first; r <= last; ++r) rows.push_back(r);
    if (rows.size() < 2 || rows.size() > 9) return {};
    const Candidate any = readGrouped(probabilities, rows);
    if (rule == SyntaxRule::Any || (rule == SyntaxRule::Region && !syntax.formats)) return any.read;
    if (rule == SyntaxRule::Region) {
        // The region's likeliest fitting reading, unless it costs too much likelihood (a vanity
        // plate, or a plate of another region).
        const FormatReading fit = bestRowReading(probabilities, rows, *syntax.formats);
        if (fit.found() && fit.logScore >= any.logScore - kFormatPreferenceRows) return plateReadOf(fit);
        return any.read;
    }

    // The likelihood a Massachusetts reading may cost against the likeliest reading of any form
    // before another state's or a vanity plate is read instead.
    const double kMaxLogCost = std::log(20.0);
    Candidate ma = bestMassachusetts(probabilities, rows);
    const bool strict = rule == SyntaxRule::Massachusetts || rule == SyntaxRule::MassachusettsOrSure;
    if (strict && ma.read.noRead && rows.size() == 7) {
        // One blob too many: a bolt or sticker at an end of the row.
        for (const auto& trimmed :
             {std::vector<int>(rows.begin() + 1, rows.end()), std::vector<int>(rows.begin(), rows.end() - 1)}) {
            Candidate c = bestMassachusetts(probabilities, trimmed);
            if (c.logScore > ma.logScore) ma = c;
        }
    }
    if (rule == SyntaxRule::MassachusettsOrSure && !any.read.noRead && any.read.confidence >= kSureRead &&
        ((isVanityText(any.read.text) && any.read.text.size() == 6) || any.read.text.size() == 7) &&
        (ma.read.noRead || ma.logScore < any.logScore - kMaxLogCost))
        return any.read;
    if (strict) return ma.read;
    // PreferMassachusetts: take the format-conforming reading unless it costs too much
    // likelihood (a plate of another state, or a vanity plate).
    if (!ma.read.noRead && ma.logScore >= any.logScore - kMaxLogCost) return ma.read;
    return any.read;
}

PlateRead applyLineSyntax(const LineRead& line, const Syntax& syntax) {
    PlateRead read = applySyntax(line.characters, syntax);
    if (syntax.rule != SyntaxRule::Region || !syntax.formats || fitsFormats(read, syntax)) return read;
    // The characters read fit no format (often one too many or too few): the best path that does.
    if (!syntax.lengthFromFormats || line.steps.empty()) return read;
    const FormatReading path = bestPathReading(line.steps, *syntax.formats);
    if (path.found() && path.logScore >= bestPathLogScore(line.steps) - kFormatPreferencePath) return plateReadOf(path);
    return read;
}

PlateReader::PlateReader(PlateReaderOptions options) : options_(std::move(options)) {
    std::filesystem::path path = options_.modelPath;
    bool cnn = options_.model == CharacterModel::Cnn;
    if (path.empty()) {
        path = cnn ? defaultCharacterModelPath() : defaultMlpModelPath();
    } else if (std::filesystem::exists(path)) {
        // A model named by path is whichever kind the file holds: the CNN's has conv_layers.
        const cv::FileStorage fs(path.string(), cv::FileStorage::READ);
        cnn = fs.isOpened() && !fs["conv_layers"].empty();
    }
    if (cnn)
        cnn_ = std::make_shared<const CharCnn>(CharCnn::load(path));
    else
        mlp_ = std::make_shared<const CharClassifier>(CharClassifier::load(path));
    if (options_.line != LineReading::Off) {
        line_ = std::make_shared<const LineReader>(options_.lineModelPaths.empty() ? defaultLineModelPaths()
                                                                                   : options_.lineModelPaths);
    }
    syntax_.rule = options_.syntax;
    syntax_.lengthFromFormats = options_.lengthFromFormats;
    if (options_.syntax == SyntaxRule::Region) {
        syntax_.formats = PlateFormats::standard().of(options_.region);
        if (!syntax_.formats)
            throw std::invalid_argument("plate reader: no plate formats known for region '" + options_.region + "'");
    }
    PlateFinderOptions finder;
    finder.modelPath = options_.finderModelPath;
    finder.maxPlates = options_.maxCandidates;
    finder_ = std::make_shared<const PlateFinder>(finder);
}

cv::Mat PlateReader::classify(const std::vector<cv::Mat>& glyphs) const {
    if (cnn_) return cnn_->probabilities(glyphs);
    cv::Mat features(static_cast<int>(glyphs.size()), featureLength(), CV_32F);
    for (size_t i = 0; i < glyphs.size(); ++i) glyphFeatures(glyphs[i]).copyTo(features.row(static_cast<int>(i)));
    return mlp_->probabilities(features);
}

LineRead PlateReader::readLine(const cv::Mat& grey) const {
    LineRead read = line_->read(grey, options_.lineOthersFrom);
    return options_.characterHeights ? withoutShortCharacter(std::move(read), grey) : read;
}

PlateRead PlateReader::readRegion(const cv::Mat& grey, const Syntax& syntax) const {
    if (options_.line == LineReading::Only) return applyLineSyntax(readLine(grey), syntax);
    std::optional<PlateRead> whole;  // the line reader's read of the whole region
    if (options_.line == LineReading::First) {
        whole = applyLineSyntax(readLine(grey), syntax);
        if (isSure(*whole)) return *whole;
    }
    cv::Rect row;
    PlateRead best = readSegmented(grey, syntax, row);
    if (options_.line == LineReading::Off) return best;
    if (isSure(best)) return whole && extendsSegmented(*whole, best) ? *whole : best;
    // Where segmentation's row is a small part of the region (a region of interest), the line
    // reader reads the plate cut around it, as the crops it was trained on, not the region as
    // well: on 2,500 simulated captures the whole region's read was never the one kept, and it
    // took as long as the rest of the reading (bench_recognition --captures). It was kept on 3
    // of the 751 real crops and 6 of the matched set (bench_recognition --matched: 457 -> 454 and
    // 470 -> 464 exact). Reading the region as well where the cut's read is not trusted saved
    // far less: 1,649 network runs on 1,500 brookline-baseline captures against 947 (1,947
    // before).
    const cv::Rect plate = plateAround(row, grey.size());
    PlateRead line = whole ? *whole : applyLineSyntax(readLine(grey(plate)), syntax);
    if (whole && plate.size() != grey.size()) {  // First read the whole region: the cut too, the surer read
        PlateRead cut = applyLineSyntax(readLine(grey(plate)), syntax);
        if (!cut.noRead && (line.noRead || cut.confidence > line.confidence)) line = cut;
    }
    if (!line.noRead && line.confidence > kLineTrusted) return line;
    return best;
}

PlateRead PlateReader::readSegmented(const cv::Mat& grey, const Syntax& syntax, cv::Rect& rowBox) const {
    PlateRead best;
    rowBox = {};
    double bestScore = 0;
    const PreparedRegion region = prepareRegion(grey);
    // The thresholdings often find the same blobs: each blob is classified once.
    struct Seen {
        bool lightOnDark;
        cv::Rect box;
        cv::Mat probabilities;  // one row
    };
    std::vector<Seen> seen;
    for (int attempt = 0; attempt < kRowAttempts; ++attempt) {
        // The band-cut thresholdings (segmentation.h) only as a last resort (bandCutFallback):
        // tried on every crop without a sure read, they lost 5 of the development set's crops
        // and 4 of the cluttered set's; as a last resort, 8 of the cluttered set gained, none lost.
        if (attempt == kPlainRowAttempts &&
            (!options_.bandCutFallback || (!best.noRead && best.confidence >= 0.5 && best.text.size() >= 5))) {
            break;
        }
        if (options_.darkCharactersOnly && lightOnDarkAttempt(attempt)) continue;
        CharacterRow row;
        if (!findCharacterRow(region, attempt, row, false)) continue;
        const int n = static_cast<int>(row.workingBoxes.size());
        std::vector<int> known(static_cast<size_t>(n), -1), fresh;
        for (int i = 0; i < n; ++i) {
            for (size_t k = 0; k < seen.size(); ++k) {
                if (seen[k].lightOnDark == row.lightOnDark && seen[k].box == row.workingBoxes[static_cast<size_t>(i)]) {
                    known[static_cast<size_t>(i)] = static_cast<int>(k);
                    break;
                }
            }
            if (known[static_cast<size_t>(i)] < 0) fresh.push_back(i);
        }
        if (!fresh.empty()) {
            std::vector<cv::Mat> glyphs;
            for (int f : fresh)
                glyphs.push_back(normaliseGlyph(region.grey, row.workingBoxes[static_cast<size_t>(f)], row.lightOnDark));
            const cv::Mat probs = classify(glyphs);
            for (size_t f = 0; f < fresh.size(); ++f) {
                known[static_cast<size_t>(fresh[f])] = static_cast<int>(seen.size());
                seen.push_back(
                    {row.lightOnDark, row.workingBoxes[static_cast<size_t>(fresh[f])], probs.row(static_cast<int>(f))});
            }
        }
        cv::Mat probabilities(n, kClassCount, CV_64F);
        for (int i = 0; i < n; ++i)
            seen[static_cast<size_t>(known[static_cast<size_t>(i)])].probabilities.copyTo(probabilities.row(i));
        PlateRead read = applySyntax(probabilities, syntax);
        double score = 0;
        for (double c : read.charConfidence) score += c;
        const bool better = !read.noRead && score > bestScore;
        if (better || rowBox.empty()) {  // the best read's row, or the first row found
            cv::Rect box = row.workingBoxes.front();
            for (const cv::Rect& b : row.workingBoxes) box |= b;
            rowBox = cv::Rect(cv::Point(static_cast<int>(box.x / region.scale), static_cast<int>(box.y / region.scale)),
                              cv::Point(static_cast<int>(std::ceil(box.br().x / region.scale)),
                                        static_cast<int>(std::ceil(box.br().y / region.scale))));
        }
        if (better) {
            bestScore = score;
            best = read;
        }
        // A sure read of a plate-length row needs no other thresholding.
        if (isSure(best)) break;
    }
    return best;
}

namespace {

cv::Mat greyOf(const cv::Mat& image) {
    cv::Mat grey;
    if (image.channels() == 3)
        cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    else if (image.channels() == 4)
        cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
    else
        grey = image;
    if (grey.depth() != CV_8U) grey.convertTo(grey, CV_8U);
    return grey;
}

double confidenceSum(const PlateRead& read) {
    double sum = 0;
    for (double c : read.charConfidence) sum += c;
    return sum;
}

}  // namespace

PlateRead PlateReader::withMinConfidence(PlateRead read) const {
    if (!read.noRead && read.confidence >= options_.minConfidence) return read;
    PlateRead none;
    none.confidence = read.confidence;
    return none;
}

std::vector<FrameRead> PlateReader::readFrame(const cv::Mat& frame) const { return readFrameWith(frame, syntax_); }

std::vector<FrameRead> PlateReader::readFrameWith(const cv::Mat& frame, const Syntax& syntax) const {
    const cv::Mat grey = greyOf(frame);
    std::vector<FrameRead> reads;
    for (const FoundPlate& plate : finder_->find(grey)) {
        reads.push_back({plate, withMinConfidence(readRegion(rectifyPlate(grey, plate.corners), syntax))});
    }
    return reads;
}

PlateRead PlateReader::read(const cv::Mat& image) const { return readWith(image, syntax_); }

Syntax PlateReader::syntaxFor(std::string_view region) const {
    const std::vector<PlateFormat>* formats = region.empty() ? nullptr : PlateFormats::standard().of(region);
    return formats ? Syntax{SyntaxRule::Region, formats, options_.lengthFromFormats} : syntax_;
}

PlateRead PlateReader::read(const cv::Mat& image, std::string_view region) const { return readWith(image, syntaxFor(region)); }

std::vector<FrameRead> PlateReader::readFrame(const cv::Mat& frame, std::string_view region) const {
    return readFrameWith(frame, syntaxFor(region));
}

PlateRead PlateReader::readWith(const cv::Mat& image, const Syntax& syntax) const {
    // A crop or a region of interest is read whole; a large frame is searched for plates.
    if (image.cols <= 720 && image.rows <= 480) return withMinConfidence(readRegion(greyOf(image), syntax));
    PlateRead best;
    for (const FrameRead& found : readFrameWith(image, syntax)) {
        if (!found.read.noRead && (best.noRead || confidenceSum(found.read) > confidenceSum(best))) best = found.read;
    }
    return best;
}

}  // namespace alprsim::recognition
