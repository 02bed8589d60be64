#pragma once
// The geometric half of reading a plate: where its characters are (plates in a frame are found
// by plate_finder.h). Shared by the reader and by training (which labels what segmentation finds),
// so the recogniser learns from exactly the glyph crops it will be shown.
#include <opencv2/core.hpp>

#include <vector>

namespace alprsim::recognition {

// Size of a normalised glyph: the window the character features are computed on.
constexpr int kGlyphWidth = 24;
constexpr int kGlyphHeight = 36;

struct CharacterRow {
    std::vector<cv::Rect> boxes;         // left to right, in the coordinates of the region given
    std::vector<cv::Mat> glyphs;         // kGlyphWidth x kGlyphHeight, CV_8U, dark ink on light ground
    std::vector<cv::Rect> workingBoxes;  // the boxes in the PreparedRegion's pixels
    bool lightOnDark = false;            // polarity the characters were found in
    double medianHeight = 0.0;
};

// A grey region brought to the working height and contrast-stretched, ready for
// findCharacterRow; scale is working pixels per region pixel.
struct PreparedRegion {
    cv::Mat grey;
    double scale = 1.0;
};
PreparedRegion prepareRegion(const cv::Mat& greyRegion);

// The thresholdings tried, most likely first: dark on light with a coarse then a fine block,
// and light on dark the same (attempts 0-3); then the same four cut to the character band
// (attempts 4-7: the rows where ink changes most often across, so that characters merged with
// a frame, header or slogan come apart), with blobs of touching characters kept and cut at
// their thinnest columns. The reader tries the band-cut ones only as a last resort
// (plate_reader.cpp).
constexpr int kRowAttempts = 8;
constexpr int kPlainRowAttempts = 4;
// Whether an attempt looks for light characters on a dark ground (attempts 2, 3, 6 and 7).
constexpr bool lightOnDarkAttempt(int attempt) { return attempt % kPlainRowAttempts >= 2; }

// The best row of character-like blobs for one attempt (0 .. kRowAttempts-1); false if none.
// Without glyphs, row.glyphs stays empty (normaliseGlyph(region.grey, workingBox, lightOnDark)
// makes them).
bool findCharacterRow(const PreparedRegion& region, int attempt, CharacterRow& row, bool withGlyphs = true);

// Rows of character-like blobs in a grey region (a plate or an area around one), for dark
// characters on a light ground and for light on dark; best row of each plain attempt
// (0 .. kPlainRowAttempts-1), if any: what training harvests glyphs from (the committed CNN
// was trained on these) and the Tesseract backend crops to.
std::vector<CharacterRow> findCharacterRows(const cv::Mat& greyRegion);

// Ink in a grey image: where a pixel is at least kInkContrast grey levels darker than the mean of
// the block x block square around it (dark characters), or more than kInkContrast lighter
// (lightOnDark). The pixels of cv::adaptiveThreshold(grey, ..., 255, ADAPTIVE_THRESH_MEAN_C,
// THRESH_BINARY_INV or THRESH_BINARY, block, 12 or -12), whose comparison, a table look-up a
// pixel in OpenCV 4.6, took a third of its time on the simulation's captures; this one compares
// a vector of pixels at a time.
constexpr int kInkContrast = 12;
cv::Mat meanThreshold(const cv::Mat& grey, int block, bool lightOnDark);

// The boxes of the connected components of ink (8-connected) in a prepared region, as the plain
// attempts with the coarse block find them (meanThreshold, a block a quarter of the region's
// height), in the region's working pixels, left to right. Every component, however small or
// large: what measures the height of the ink under a character the line reader read
// (plate_reader.cpp).
std::vector<cv::Rect> inkComponents(const PreparedRegion& region, bool lightOnDark);

// The character inside box of grey as a normalised glyph (aspect kept, contrast stretched).
cv::Mat normaliseGlyph(const cv::Mat& grey, const cv::Rect& box, bool lightOnDark);

}  // namespace alprsim::recognition
