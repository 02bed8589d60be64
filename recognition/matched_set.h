#pragma once
// The matched synthetic set: for each real crop of a measuring set (file,state,PLATE), a plate
// rendered with that crop's state, text layout and measured conditions (crop_measure.h), with
// a different random text of the same layout. Deterministic: the same crops and seed give the
// same images, byte for byte. Issue #27: the reader should read it as it reads the real crops,
// so that it can stand in for them as a US development set (decisions made on it, never on
// the real crops; nothing is trained on the real crops, only their statistics are measured).
#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/crop_measure.h"
#include "recognition/plate_style.h"

namespace alprsim::recognition {

struct MatchedSource {
    std::string file;   // the crop's file name
    std::string state;  // two-letter code, lower case as in the truth file
    std::string truth;  // the real text (its layout is kept, never its characters)
    CropMeasure measure;
};

// What the matched renders carry besides the measured conditions; all on by default. Each can
// be turned off to see what it costs the reader (`alprsim render --match ... --plain`).
struct MatchedOptions {
    bool stateDesigns = true;  // header, slogan, separator (dash, emblem) and picture of the state
    bool clutter = true;       // frames over the characters' edges, bolts, stickers, covers, stacked letters
    bool embossing = true;     // raised characters on a share of the plates
    bool degradations = true;  // dirt, glare and JPEG on a share of the plates
};

// Parts named in a comma-separated list ("designs,clutter,embossing,degradations") turned off.
// Throws std::invalid_argument naming an unknown part.
MatchedOptions matchedOptionsWithout(const std::string& parts);

// The matched set's seed unless another is given (issue #27).
constexpr uint64_t kMatchedSetSeed = 27;

// Reads truthCsv (file,state,PLATE per line, no header, as openalpr-us/groundtruth.csv) and
// measures each listed crop in cropsDir. Throws InputError naming the file and line for a
// malformed row or an unreadable image.
std::vector<MatchedSource> measureCropSet(const std::filesystem::path& truthCsv, const std::filesystem::path& cropsDir);

struct MatchedPlate {
    cv::Mat image;      // the same size as the crop matched
    std::string text;   // the rendered plate's characters (the truth to read)
    std::string shown;  // as drawn: separators ('-', ' ', '*') and stacked letters ('^') included
    std::string state;
    PlateStyle style;
    CaptureConditions conditions;
    CropMeasure measured;  // the same estimators on the render: how close the match came
};

// The render matched to source `index` of a set, under the set's seed.
MatchedPlate renderMatched(const MatchedSource& source, uint64_t setSeed, uint64_t index, const MatchedOptions& options = {});

// What renderMatched draws for a measure and a text, before the render: the state's style (design,
// clutter, emboss), the text as shown (separator, emblem, stacked letters) and the conditions
// (measured ones, degradations), with no blur or noise (renderMatched matches them to the crop in
// closed loop; the line reader's training draws them: training.h). Each part from its own stream
// of (setSeed, index), as renderMatched. No image; `measured` left empty.
MatchedPlate planMatched(const std::string& state, const std::string& text, const CropMeasure& m, uint64_t setSeed,
                         uint64_t index, const MatchedOptions& options = {});

// The image of a planned plate, laid out as the measure says (grey where the light is infrared).
cv::Mat renderPlanned(const MatchedPlate& plan, const CropMeasure& m, uint64_t seed);

// The states the matched set draws a design for (two-letter codes, lower case), in order.
std::vector<std::string> designedStates();

// A random text with truth's layout: each letter replaced by a random letter, each digit by a
// random digit, other characters kept.
std::string randomTextLike(const std::string& truth, Rng& rng);

// The state's plate design as far as we draw it (header, slogan, separator, face, picture), in
// the colours, proportions and stroke measured on the crop (no clutter or embossing: renderMatched
// adds those). Unknown states get a generic design.
PlateStyle matchedStateStyle(const std::string& state, const CropMeasure& measure, Rng& rng, const MatchedOptions& options);

}  // namespace alprsim::recognition
