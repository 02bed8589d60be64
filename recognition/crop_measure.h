#pragma once
// Measuring a real plate crop's photographic conditions, so that a rendered plate can be made
// under the same ones (the matched synthetic set, matched_set.h). Every figure comes from the
// pixels by the estimators below; only the character count comes from the truth text.
//
// The character row: the crop in grey, thresholded four ways (Otsu and an adaptive threshold,
// dark-on-light and light-on-dark); in each, the connected components 0.25-0.95 of the crop's
// height and at most 1.4 heights wide, chained with blobs of like height (within 30%) whose
// centres lie on the same line; the chain whose length is nearest the character count wins
// (ties: the taller chain). From its blobs:
//   characterHeightPx  median blob height
//   characterBox       bounding box of the chain
//   rowAngleDeg        tilt: slope of the least-squares line through the blobs' bottom centres
//   shearDeg           skew: the slant (-25..25 degrees, 1-degree steps) that makes the vertical
//                      projection of the row's ink most peaked (largest sum of squared column counts)
//   groupGapAfter      the character after which the widest gap between blobs falls, if it is
//                      at least 1.6 times the median gap (a space, dash or emblem between groups)
//   smallMarks         blobs 0.2-0.6 of the character height and under 0.9 of it wide, their
//                      centres in the row's band, beside the chain (not over one of its blobs):
//                      small letters, stacked or not, county names, dots (smallMarkAt: the
//                      character index they stand before, the first one's)
//   extraAt            when the chain has one blob more than the text has characters: the index of
//                      the blob whose width is furthest from the chain's median (an emblem or a
//                      stacked pair the size of a character), else -1
//   mergedPairs        blobs of the chain at least 1.6 times the median width: touching characters
// Inside the row's band (its box, padded by a tenth of the height):
//   inkBgr / backgroundBgr   median colour of the chain's ink pixels and of the other pixels
//   contrast           |grey(background) - grey(ink)| / 255
//   backgroundClutter  standard deviation of the background pixels' grey, over the contrast
//                      (a plain plate is near 0; a picture behind the characters 0.2 and more)
//   edgeWidthPx        blur: the step height (the contrast in grey levels) over the 90th
//                      percentile of the gradient magnitude on the row's edge pixels; a sharp
//                      step gives about 1, a Gaussian blur of sigma s about 2.5 s
//   laplacianVariance  blur, second figure: variance of the Laplacian of the grey band divided by
//                      the contrast squared (high for a sharp crop), reported, not used to render
// Over the whole crop:
//   noiseSigma         Immerkaer's estimator (1996): the mean absolute response to the 3x3
//                      Laplacian-difference mask, sqrt(pi/2)/6 of it, over pixels that are not
//                      edges (gradient under its 80th percentile)
//   saturation         mean HSV saturation (0-1): near 0 for a grey (infrared) photograph
#include <opencv2/core.hpp>

#include <string>

namespace alprsim::recognition {

struct CropMeasure {
    cv::Size cropSize;
    int characterCount = 0;  // from the truth text
    bool rowFound = false;   // false: no chain of characters found; the figures below are guesses
    int blobsFound = 0;      // length of the chain found
    double characterHeightPx = 0;
    cv::Rect2d characterBox;
    double rowAngleDeg = 0;
    double shearDeg = 0;
    int groupGapAfter = -1;  // index of the character before the widest gap, or -1
    int smallMarks = 0;
    int smallMarkAt = -1;
    double smallMarkHeight = 0;  // the first small mark's height, of the character height
    int extraAt = -1;
    int mergedPairs = 0;
    cv::Scalar inkBgr, backgroundBgr;
    bool darkOnLight = true;
    double contrast = 0;
    double backgroundClutter = 0;
    double edgeWidthPx = 0;
    double laplacianVariance = 0;
    double noiseSigma = 0;
    double saturation = 0;
};

// Measures a BGR (or grey) crop; characterCount is the truth text's length (at least 1).
// Throws std::invalid_argument for an empty image or a count under 1.
CropMeasure measureCrop(const cv::Mat& image, int characterCount);

// The blur figure alone (edgeWidthPx), for a grey image and a character box in it: used to
// check a render against the crop it is matched to.
double edgeWidth(const cv::Mat& grey, const cv::Rect& band, double contrastGrey);

// Immerkaer's noise estimate of a grey image, grey levels.
double noiseSigma(const cv::Mat& grey);

// One line of CSV (header from cropMeasureCsvHeader) with the figures, for the record.
std::string cropMeasureCsvHeader();
std::string cropMeasureCsvRow(const CropMeasure& m);

}  // namespace alprsim::recognition
