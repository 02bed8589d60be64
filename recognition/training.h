#pragma once
// Training data for the character recogniser, from rendered plates only: each rendered plate
// is segmented exactly as the reader segments it, and every blob found is labelled with the
// character whose rendered box it covers, or as junk.
#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/crop_measure.h"
#include "recognition/plate_style.h"

namespace alprsim::recognition {

struct GlyphSamples {
    cv::Mat features;         // one row per glyph (char_classifier.h)
    std::vector<int> labels;  // class per row
};

// Conditions drawn over the range a reader meets: sizes 30-200 px, angles, blur, light, weather.
CaptureConditions randomTrainingConditions(Rng& rng);

// Plate text for training: Massachusetts formats or random strings of 4-8 characters.
std::string randomTrainingText(Rng& rng);

// Plate text in one of the common US layouts (ABC1234, 1ABC234, ABC123, 123ABC, AB12345, ...),
// any letters: the development set's plates.
std::string randomUSText(Rng& rng);

// A plate with what real plates carry around and between their characters: a plate frame
// (with dealer text), bolts, an emblem or two stacked small letters between the groups,
// characters that touch (no gap, heavy strokes), characters up to the frame. shown is the
// text for renderPlate (plate_style.h: '*' emblem, '^' stacked letters, ' ' a gap); truth the
// plate's characters. Faces: the held-out devTypefaces() if heldOut, else the training faces.
struct ClutteredPlate {
    PlateStyle style;
    std::string truth;
    std::string shown;
};
ClutteredPlate randomClutteredPlate(Rng& rng, bool heldOut);

// The normalised glyphs themselves (segmentation.h: kGlyphWidth x kGlyphHeight, dark ink on
// light ground), one row of pixels per glyph; the same glyphs harvestGlyphs describes.
struct GlyphImages {
    cv::Mat pixels;           // CV_8U, one row of kGlyphWidth * kGlyphHeight per glyph
    std::vector<int> labels;  // class per row
};
GlyphImages harvestGlyphImages(int plateCount, uint64_t seed);

// Writes glyphs for tools/train_char_cnn.py: "ALPRGLY1", int32 count, width, height, classes
// (little-endian), count label bytes, then count * width * height pixel bytes.
void writeGlyphImages(const GlyphImages& images, const std::filesystem::path& path);

// The rendered crop cut towards its characters (never into them), as plate data sets' crops
// often are: up to sideShare of the width off each side and verticalShare of the height off the
// top and bottom, each at most a third of the crop.
cv::Mat cutTowardsCharacters(const cv::Mat& image, const std::vector<cv::Rect2f>& characterBoxes, double sideShare,
                             double verticalShare, Rng& rng);

// A crop's measure (crop_measure.h) drawn over wide ranges rather than measured: crop size and
// shape, where and how tall the row of characters is, tilt, slant, a gap between groups, stacked
// small letters, an emblem, touching characters, colours, a picture behind the characters.
// edgeShare (since 7 Dec 2026): that share of the rows run up to the crop's left or right edge
// or a little past it (an end character cut by up to an eighth of its height; tight crops and the
// matched set's renders of them have such rows); 0 draws nothing more, the measures of before.
CropMeasure randomCropMeasure(int characterCount, Rng& rng, double edgeShare = 0.0);

// A plate crop drawn as the matched set draws its plates (matched_set.h: a state's design,
// header, slogan, separator, stacked small letters, frames, bolts, stickers, covers, emboss,
// dirt, glare, JPEG), for a random state, a random US text and randomCropMeasure, with blur
// (defocus, motion) and noise drawn over wide ranges. Faces: the state's face (a highway-sign
// series or a state face drawn from strokes) or the training faces; never devTypefaces() or
// heldOutStateTypefaces(). text: the plate's characters only (stacked
// letters, emblems and separators are not part of it). Grey.
struct RealisticCrop {
    cv::Mat grey;
    std::string text;
    Typeface typeface = Typeface::PlateGothic;  // the face the characters are drawn in
};
RealisticCrop realisticTrainingCrop(Rng& rng, double edgeShare = 0.0);

// Whole plate crops for the line reader (line_reader.h), as normalisePlateLine gives them,
// one row of kLineWidth * kLineHeight pixels each, with the plate's characters: half plain
// plates (randomTrainingStyle, randomTrainingText), half cluttered ones (randomClutteredPlate
// with the training faces); a quarter of each drawn in lineTrainingTypefaces() instead (glyphs.h,
// since 6 Dec 2026); crops cut up to the characters as data sets cut them. With realisticShare
// above 0 (since 7 Dec 2026), that share of the crops is realisticTrainingCrop's instead, chosen
// from a stream of its own (share 0 gives the crops of before, byte for byte); edgeShare goes to
// randomCropMeasure (0: the realistic crops of before, byte for byte).
struct PlateLines {
    cv::Mat pixels;                  // CV_8U, one row per crop
    std::vector<std::string> texts;  // the characters on each crop
};
PlateLines harvestPlateLines(int count, uint64_t seed, double realisticShare = 0.0, double edgeShare = 0.0);

// Real plate crops with their text, for the line reader's training (data the project may train
// on: ../shared/data/plates/openalpr-train-crops, never the measuring sets). The list is a CSV of
// file,PLATE (file relative to the list's folder). PLATE is taken as the text when it is 5-8
// plate characters with a letter and a digit; where it is a file name instead, only names of the
// form pl_TEXT.png give a text (br-plates.csv's other names carry none, or a wrong one); the
// rest are skipped, unless moreLabels (a CSV of file,PLATE in the list's terms, e.g.
// data/recognition/br-crop-labels.csv, read by eye) gives their text.
struct LabelledCrop {
    std::filesystem::path file;
    std::string text;
};
std::vector<LabelledCrop> readLabelledCrops(const std::filesystem::path& list, const std::filesystem::path& moreLabels = {});

// The fixed split of labelled crops: about one in five (by the FNV-1a hash of the file name)
// is for development (measuring the trained reader), the rest for training.
bool isDevelopmentCrop(const std::filesystem::path& file);

// The crops as the line reader sees them (normalisePlateLine), with their texts. Throws
// InputError naming a file that cannot be read as an image.
PlateLines realPlateLines(const std::vector<LabelledCrop>& crops);

// Writes crops for tools/train_line_cnn.py: "ALPRLIN1", int32 count, width, height
// (little-endian), then per crop a length byte, that many characters, and the pixels.
void writePlateLines(const PlateLines& lines, const std::filesystem::path& path);

// Glyphs from plateCount rendered plates (styles from randomTrainingStyle); deterministic.
GlyphSamples harvestGlyphs(int plateCount, uint64_t seed);

}  // namespace alprsim::recognition
