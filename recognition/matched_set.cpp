#include "recognition/matched_set.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "recognition/image_file.h"
#include "recognition/renderer.h"

namespace alprsim::recognition {
namespace {

// What we draw of a state's plate: its header and slogan, what stands between its groups of
// characters, and its face: the highway-sign series it is nearest (B narrowest .. E widest), or
// one of the states' plate faces drawn from strokes (glyphs.h): G the embossing dies' gothic
// (regular or bold, half each), F the flat plates' extra-condensed face (never trained on).
// Approximations from the issued designs, not traced from them. G: states that stamp
// embossed plates in the traditional dies' gothic (Pennsylvania, California, Illinois, New
// Jersey, Virginia, North Carolina, Maryland, Washington, Oregon, Michigan, Colorado,
// Minnesota), and Tennessee, Alabama, South Dakota and Arizona, whose flat plates use 3M's
// newer face modelled on Minnesota's embossed one (leewardpro.com, "License Plate Fonts of the
// Western World"); F: states whose flat, digitally printed plates of the crops' years use 3M's
// default face or another extra-condensed one (Montana, Ohio, Georgia, Kentucky, Indiana,
// Kansas, Utah, South Carolina, Mississippi, Iowa, Nebraska, Texas), as far as we know.
struct StateDesign {
    const char* header;
    const char* slogan;
    char separator;  // '-' dash, '*' emblem (a state outline, flower, tree), ' ' a space
    char face;       // 'B', 'C', 'D', 'E', 'G' or 'F'
};

const std::map<std::string, StateDesign>& stateDesigns() {
    static const std::map<std::string, StateDesign> designs = {
        {"ak", {"ALASKA", "THE LAST FRONTIER", ' ', 'C'}},
        {"al", {"ALABAMA", "Stars fell on Alabama", ' ', 'G'}},
        {"ar", {"Arkansas", "The Natural State", ' ', 'C'}},
        {"az", {"ARIZONA", "GRAND CANYON STATE", ' ', 'G'}},
        {"ca", {"California", "dmv.ca.gov", ' ', 'G'}},
        {"co", {"COLORADO", "", '-', 'G'}},
        {"ct", {"Connecticut", "Constitution State", '-', 'C'}},
        {"dc", {"DISTRICT OF COLUMBIA", "Taxation Without Representation", '-', 'D'}},
        {"de", {"DELAWARE", "THE FIRST STATE", ' ', 'C'}},
        {"fl", {"MYFLORIDA.COM", "SUNSHINE STATE", '*', 'C'}},
        {"ga", {"GEORGIA", "", ' ', 'F'}},
        {"hi", {"HAWAII", "ALOHA STATE", ' ', 'C'}},
        {"ia", {"IOWA", "", ' ', 'F'}},
        {"id", {"Scenic IDAHO", "FAMOUS POTATOES", ' ', 'C'}},
        {"il", {"Illinois", "Land of Lincoln", ' ', 'G'}},
        {"in", {"INDIANA", "", ' ', 'F'}},
        {"ks", {"KANSAS", "", ' ', 'F'}},
        {"ky", {"Kentucky", "Unbridled Spirit", ' ', 'F'}},
        {"la", {"Louisiana", "SPORTSMAN'S PARADISE", '-', 'D'}},
        {"ma", {"Massachusetts", "The Spirit of America", ' ', 'C'}},
        {"md", {"Maryland", "", ' ', 'G'}},
        {"me", {"MAINE", "VACATIONLAND", ' ', 'C'}},
        {"mi", {"MICHIGAN", "Pure Michigan", ' ', 'G'}},
        {"mn", {"MINNESOTA", "10,000 lakes", '-', 'G'}},
        {"mo", {"MISSOURI", "SHOW-ME STATE", '-', 'D'}},
        {"ms", {"MISSISSIPPI", "", '*', 'F'}},
        {"mt", {"MONTANA", "", '-', 'F'}},
        {"nc", {"NORTH CAROLINA", "First in Flight", '-', 'G'}},
        {"nd", {"NORTH DAKOTA", "Legendary", ' ', 'C'}},
        {"ne", {"NEBRASKA", "", ' ', 'F'}},
        {"nh", {"NEW HAMPSHIRE", "LIVE FREE OR DIE", ' ', 'C'}},
        {"nj", {"NEW JERSEY", "Garden State", '-', 'G'}},
        {"nm", {"NEW MEXICO", "LAND OF ENCHANTMENT", '*', 'C'}},
        {"nv", {"NEVADA", "THE SILVER STATE", ' ', 'C'}},
        {"ny", {"NEW YORK", "EXCELSIOR", '-', 'B'}},
        {"oh", {"OHIO", "", ' ', 'F'}},
        {"ok", {"OKLAHOMA", "NATIVE AMERICA", ' ', 'D'}},
        {"or", {"Oregon", "", '*', 'G'}},
        {"pa", {"PENNSYLVANIA", "visitPA.com", '-', 'G'}},
        {"ri", {"Rhode Island", "Ocean State", '-', 'C'}},
        {"sc", {"SOUTH CAROLINA", "", ' ', 'F'}},
        {"sd", {"South Dakota", "GREAT FACES. GREAT PLACES.", ' ', 'G'}},
        {"tn", {"TENNESSEE", "", ' ', 'G'}},
        {"tx", {"TEXAS", "THE LONE STAR STATE", '*', 'F'}},
        {"ut", {"UTAH", "LIFE ELEVATED", ' ', 'F'}},
        {"va", {"VIRGINIA", "", '-', 'G'}},
        {"vt", {"VERMONT", "GREEN MOUNTAIN STATE", ' ', 'C'}},
        {"wa", {"Washington", "", ' ', 'G'}},
        {"wi", {"WISCONSIN", "AMERICA'S DAIRYLAND", '-', 'C'}},
        {"wv", {"West Virginia", "Wild, Wonderful", ' ', 'C'}},
        {"wy", {"WYOMING", "", '*', 'C'}},
    };
    return designs;
}

Typeface faceFor(char series) {
    switch (series) {
        case 'B':
            return Typeface::RoadgeekSeriesB;
        case 'D':
            return Typeface::RoadgeekSeriesD;
        case 'E':
            return Typeface::RoadgeekSeriesE;
        case 'G':
            return Typeface::PlateDieGothic;
        case 'F':
            return Typeface::FlatPlateCondensed;
        default:
            return Typeface::RoadgeekSeriesC;
    }
}

bool mixedCase(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::islower(c); });
}

// The plate drawn with its characters `charHeight` of its height and `charWidth` of that wide,
// so that the measured row's width needs little stretching: cell width from the row's measured
// width, less the gaps, per character.
void fitProportions(PlateStyle& style, const CropMeasure& m) {
    // The crops are cut to the plate: the characters' share of the crop's height is their share
    // of the plate's, so the plate drawn fills the crop as the real one does.
    style.charHeight = std::clamp(m.characterHeightPx / std::max(1, m.cropSize.height), 0.3, 0.62);
    const double h = std::max(1.0, m.characterHeightPx), n = std::max(1, m.characterCount);
    const double cell = (m.characterBox.width / h - (n - 1) * style.gap) / n;
    style.charWidth = std::clamp(cell, 0.3, 0.75);
}

// Frames over the characters' edges, bolts, stickers, covers: what the measuring crops show on a
// share of their plates; not measured per crop, so drawn with fixed shares.
void addClutter(PlateStyle& style, Rng& rng) {
    if (rng.uniform() < 0.35) {
        style.frameColor = rng.uniform() < 0.5 ? cv::Scalar::all(rng.uniform(20, 60)) : cv::Scalar::all(rng.uniform(150, 210));
        // Bands up to 12% of the characters' height over their top or bottom edge: the characters
        // start at 0.53 - charHeight / 2 of the plate's height (renderPlate).
        const double charTop = (0.53 - style.charHeight / 2) * kPlateCanvasHeight, charPx = style.charHeight * kPlateCanvasHeight;
        style.frameTop = static_cast<int>(rng.uniform(0, charTop + 0.12 * charPx));
        style.frameBottom = static_cast<int>(rng.uniform(10, kPlateCanvasHeight - charTop - charPx + 0.12 * charPx));
        style.frameSide = rng.uniform() < 0.4 ? static_cast<int>(rng.uniform(4, 30)) : 0;
        style.frameText = rng.uniform() < 0.5;
    }
    style.bolts = rng.uniform() < 0.45;
    style.boltInset = rng.uniform() < 0.35 ? static_cast<int>(rng.uniform(40, 66)) : 24;
    style.cornerStickers = rng.uniform() < 0.35;
    style.cover = rng.uniform() < 0.1 ? rng.uniform(0.2, 0.7) : 0.0;
    style.sideGraphic = rng.uniform() < 0.3;
}

// The text as drawn: the state's separator at the widest measured gap (when the crop's row was
// found whole), an emblem where the crop's row has a blob too many, stacked small letters where
// it has small marks beside its characters.
std::string shownText(const std::string& text, const CropMeasure& m, char separator) {
    const int n = static_cast<int>(text.size());
    std::vector<std::string> before(static_cast<size_t>(n) + 1);  // what is drawn before character k (k = n: after all)
    if (m.blobsFound == m.characterCount && m.groupGapAfter >= 0 && m.groupGapAfter + 1 < n)
        before[static_cast<size_t>(m.groupGapAfter + 1)] += separator;
    if (m.extraAt >= 0) before[static_cast<size_t>(std::clamp(m.extraAt, 0, n))] += '*';
    if (m.smallMarks > 0) before[static_cast<size_t>(std::clamp(m.smallMarkAt, 0, n))] += '^';
    std::string shown;
    for (int k = 0; k <= n; ++k) {
        shown += before[static_cast<size_t>(k)];
        if (k < n) shown += text[static_cast<size_t>(k)];
    }
    return shown;
}

CaptureConditions measuredConditions(const CropMeasure& m, Rng& rng) {
    CaptureConditions c;
    c.rollDeg = m.rowAngleDeg;
    c.yawDeg = rng.uniform(-12, 12);  // not measured: the crops are rectified to the plate
    c.pitchDeg = rng.uniform(-5, 10);
    c.noiseSigma = 0;
    c.light = m.saturation < 0.04 ? Light::NightIR : Light::Day;
    c.jpegQuality = 0;
    return c;
}

// Dirt, glare and JPEG: not measured per crop, drawn with fixed shares.
void addDegradations(CaptureConditions& c, Rng& rng) {
    c.dirt = rng.uniform() < 0.15 ? rng.uniform(0.05, 0.35) : 0.0;
    c.glare = rng.uniform() < 0.1 ? rng.uniform(0.1, 0.4) : 0.0;
    c.jpegQuality = rng.uniform() < 0.5 ? static_cast<int>(rng.uniform(55, 95)) : 0;
}

void stretchContrast(PlateStyle& style, double k) {
    const cv::Scalar mid = (style.characters + style.background) * 0.5;
    auto stretch = [&](const cv::Scalar& c) {
        cv::Scalar out;
        for (int i = 0; i < 3; ++i) out[i] = std::clamp(mid[i] + (c[i] - mid[i]) * k, 0.0, 255.0);
        return out;
    };
    const bool headerIsInk = style.headerColor == style.characters;
    style.characters = stretch(style.characters);
    style.background = style.backgroundLower = stretch(style.background);
    if (headerIsInk) style.headerColor = style.sloganColor = style.characters;
}

CropPlacement placementOf(const CropMeasure& m) { return {m.cropSize, m.characterBox, m.shearDeg}; }

// The render, with blur, noise and contrast matched in closed loop: a probe render without them
// is measured by the same estimators as the crop, and what it lacks is added. Sets
// out.conditions' defocus and noise and out.style's contrast; returns the image.
cv::Mat renderMatchedInClosedLoop(MatchedPlate& out, const CropMeasure& m, uint64_t seed) {
    const CropPlacement placement = placementOf(m);
    // Blur and noise matched in closed loop: the render's own edge width and noise, measured by
    // the same estimators without added blur or noise, are taken out of the crop's.
    CaptureConditions probe = out.conditions;
    probe.jpegQuality = 0;
    const RenderedCapture sharp = renderPlacedCrop(out.shown, out.style, probe, seed, placement);
    const CropMeasure base = measureCrop(sharp.image, m.characterCount);
    const double extraEdge = std::sqrt(std::max(0.0, m.edgeWidthPx * m.edgeWidthPx - base.edgeWidthPx * base.edgeWidthPx));
    out.conditions.defocusSigma = extraEdge / 2.5;  // a Gaussian blur of sigma s widens an edge by about 2.5 s
    // The renderer's noise is drawn per colour channel; the estimator (and an infrared camera's
    // grey image) sees it in grey, where the three channels' independent noise averages down to
    // 0.67 of it (0.114, 0.587, 0.299 weights).
    const double extraNoise = std::sqrt(std::max(0.0, m.noiseSigma * m.noiseSigma - base.noiseSigma * base.noiseSigma));
    out.conditions.noiseSigma = extraNoise / 0.67;
    // Contrast: ink and background pushed apart (or together) about their mean by what the
    // probe render lost or gained against the crop (light, emboss, cover, blur).
    if (base.contrast > 0.02) stretchContrast(out.style, std::clamp(m.contrast / base.contrast, 0.6, 1.6));
    return renderPlanned(out, m, seed);
}

}  // namespace

MatchedOptions matchedOptionsWithout(const std::string& parts) {
    MatchedOptions options;
    std::stringstream names(parts);
    for (std::string name; std::getline(names, name, ',');) {
        if (name == "designs")
            options.stateDesigns = false;
        else if (name == "clutter")
            options.clutter = false;
        else if (name == "embossing")
            options.embossing = false;
        else if (name == "degradations")
            options.degradations = false;
        else if (!name.empty())
            throw std::invalid_argument("'" + name + "' is not one of designs, clutter, embossing, degradations");
    }
    return options;
}

std::string randomTextLike(const std::string& truth, Rng& rng) {
    std::string out = truth;
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>('A' + rng.below(26));
        else if (c >= '0' && c <= '9')
            c = static_cast<char>('0' + rng.below(10));
    }
    return out;
}

PlateStyle matchedStateStyle(const std::string& state, const CropMeasure& m, Rng& rng, const MatchedOptions& options) {
    PlateStyle style;
    style.name = "matched-" + state;
    const auto& designs = stateDesigns();
    const auto it = designs.find(state);
    const StateDesign design = it != designs.end() ? it->second : StateDesign{"", "", ' ', 'C'};
    style.background = style.backgroundLower = m.backgroundBgr;
    style.characters = m.inkBgr;
    style.headerColor = style.sloganColor = m.inkBgr;
    style.typeface = faceFor(design.face);
    if (options.stateDesigns) {
        style.header = design.header;
        style.slogan = design.slogan;
        style.headerSerifItalic = mixedCase(design.header);
        style.sloganSerifItalic = mixedCase(design.slogan);
        style.scenery = std::clamp(2.0 * (m.backgroundClutter - 0.04), 0.0, 0.7);
        style.emblemScale = design.separator == '*' ? 1.6 : 1.0;  // a state's central emblem: the characters' height
    }
    if (m.smallMarks > 0) {
        style.stackedHeight = std::clamp(m.smallMarkHeight, 0.25, 0.5);
    }
    style.stroke = rng.uniform(-1.0, 2.0);
    fitProportions(style, m);
    if (m.mergedPairs > 0) {  // touching characters, as measured: no gap, heavier strokes
        style.gap = rng.uniform(-0.03, 0.02);
        style.stroke = rng.uniform(2.0, 4.0);
    }
    // The dies' gothic in its bold weight on half the plates (dies and paint differ); drawn last,
    // so that the other states' styles keep their draws.
    if (design.face == 'G' && rng.uniform() < 0.5) style.typeface = Typeface::PlateDieGothicBold;
    return style;
}

std::vector<MatchedSource> measureCropSet(const fs::path& truthCsv, const fs::path& cropsDir) {
    std::istringstream in(readTextFile(truthCsv, kTruthCsvInput));
    CsvReader csv(in, truthCsv.string(), {"file", "state", "plate"});  // openalpr's truth files have no header
    std::vector<MatchedSource> sources;
    while (csv.next()) {
        const std::vector<std::string>& fields = csv.row();
        const std::string where = "row " + std::to_string(csv.rowNumber());
        if (fields[0].empty()) throw InputError(truthCsv.string(), where, "file,state,PLATE");
        const std::string& plate = fields[2];
        const bool drawable = !plate.empty() && plate.size() <= 10 &&
                              plate.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
        if (!drawable) throw InputError(truthCsv.string(), where + " column PLATE", "1-10 capital letters and digits");
        const CheckedImage image = readImageChecked(cropsDir / fields[0]);
        if (image.image.empty())
            throw InputError((cropsDir / fields[0]).string(), where, "a readable PNG or JPEG crop: " + image.problem);
        sources.push_back({fields[0], fields[1], plate, measureCrop(image.image, static_cast<int>(plate.size()))});
    }
    if (sources.empty()) throw InputError(truthCsv.string(), "rows", "at least one file,state,PLATE row");
    return sources;
}

MatchedPlate planMatched(const std::string& state, const std::string& text, const CropMeasure& m, uint64_t setSeed,
                         uint64_t index, const MatchedOptions& options) {
    // One stream per part, so that leaving a part out (options) changes nothing else.
    const auto stream = [&](std::string_view part) { return Rng::stream(setSeed, part, index); };
    Rng styleRng = stream("matched-style"), clutterRng = stream("matched-clutter"), embossRng = stream("matched-emboss"),
        conditionRng = stream("matched-conditions"), degradationRng = stream("matched-degradations");
    MatchedPlate out;
    out.state = state;
    out.text = text;
    out.style = matchedStateStyle(state, m, styleRng, options);
    if (options.embossing) out.style.emboss = embossRng.uniform() < 0.5;
    if (options.clutter) addClutter(out.style, clutterRng);
    const auto designIt = stateDesigns().find(state);
    const char separator = options.stateDesigns && designIt != stateDesigns().end() ? designIt->second.separator : ' ';
    out.shown = shownText(out.text, m, separator);
    out.conditions = measuredConditions(m, conditionRng);
    if (options.degradations) addDegradations(out.conditions, degradationRng);
    return out;
}

cv::Mat renderPlanned(const MatchedPlate& plan, const CropMeasure& m, uint64_t seed) {
    cv::Mat image = renderPlacedCrop(plan.shown, plan.style, plan.conditions, seed, placementOf(m)).image;
    if (plan.conditions.light == Light::NightIR) {  // an infrared camera's sensor is monochrome: its noise too
        cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
        cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
    }
    return image;
}

std::vector<std::string> designedStates() {
    std::vector<std::string> states;
    for (const auto& [state, design] : stateDesigns()) states.push_back(state);
    return states;
}

MatchedPlate renderMatched(const MatchedSource& source, uint64_t setSeed, uint64_t index, const MatchedOptions& options) {
    Rng textRng = Rng::stream(setSeed, "matched-text", index);
    const CropMeasure& m = source.measure;
    MatchedPlate out = planMatched(source.state, randomTextLike(source.truth, textRng), m, setSeed, index, options);
    const uint64_t seed = Rng::stream(setSeed, "matched-render", index).next();
    out.image = renderMatchedInClosedLoop(out, m, seed);
    out.measured = measureCrop(out.image, m.characterCount);
    return out;
}

}  // namespace alprsim::recognition
