#pragma once
// Character shapes for rendering plates: each typeface gives a white-on-black mask per
// character (0-9, A-Z, and a few punctuation marks), cropped to the ink, at a fixed height.
// Masks are drawn once per process and shared (read-only) by all threads.
#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace alprsim::recognition {

// The typefaces the renderer knows. Hershey faces are OpenCV's built-in stroke fonts (uniform
// stroke like embossed plate characters); the others are freely licensed TrueType and OpenType
// fonts from Debian packages (fonts-dejavu-core, fonts-roboto-unhinted which SUMO depends on;
// fonts-opendin, fonts-bebas-neue, fonts-b612, fonts-routed-gothic, fonts-liberation,
// fonts-urw-base35, fonts-freefont-ttf, which tools/install-deps.sh installs). A face's glyphs are drawn the first time one of them is asked for, so a process
// needs only the font files of the faces it uses.
enum class Typeface {
    PlateGothic,  // Roboto Condensed, narrowed: closest here to the Massachusetts plate face
    RobotoCondensedBold,
    DejaVuCondensedBold,
    DejaVuSansBold,
    DejaVuMonoBold,
    HersheySimplex,  // stroke font, thick strokes
    HersheyDuplex,
    // Lighter weights: many states' plate faces have thin strokes.
    DejaVuSans,
    DejaVuCondensed,
    Roboto,
    RobotoCondensedLight,
    // More weights and designs for training variety (real plate faces are many).
    RobotoMedium,
    RobotoBold,
    RobotoCondensedMedium,
    DejaVuMono,
    HersheyPlain,  // thin single-stroke face, drawn thick
    DrawnGothic,   // plate gothic drawn in code (glyphs.cpp), after the highway-sign faces
    DrawnGothicBold,
    // Condensed uniform-stroke faces of the kind most plates use: OSP-DIN (after DIN 1451, the
    // German road-sign and plate alphabet) and Bebas Neue in two weights; B612 Bold (made for
    // cockpit screens: 0/O, 1/I, 8/B drawn apart).
    OspDin,
    BebasNeueBold,
    BebasNeue,
    B612Bold,
    // Line-reader training faces only (lineTrainingTypefaces; since 6 Dec 2026): narrow grotesques
    // with a flagged 1 (Liberation Sans Narrow Bold, Nimbus Sans Narrow Bold:
    // fonts-liberation, fonts-urw-base35), FreeSans Bold (fonts-freefont-ttf), and the drawn
    // gothic with the shapes many state faces have and ours lacked: a 1 with a flag and a base
    // serif, a closed 4, a narrow 0, a W with a low middle apex.
    LiberationSansNarrowBold,
    NimbusSansNarrowBold,
    FreeSansBold,
    DrawnGothicSerif,
    // Held out of training: the development set's typefaces (bench_recognition --dev), so that
    // it measures how the recogniser does on faces it never saw, as on real plates.
    RobotoBlack,
    RobotoLight,
    DejaVuSansOblique,
    RoutedGothicNarrow,  // a narrow drafting and signage face, uniform stroke: plate-like
    // The US highway-sign alphabets (FHWA Series B, C, D, E, as Roadgeek 2014 draws them,
    // fonts-roadgeek): the faces most US plates are cut in. Never trained on: the matched set's
    // (matched_set.h), with the held-out faces above.
    RoadgeekSeriesB,
    RoadgeekSeriesC,
    RoadgeekSeriesD,
    RoadgeekSeriesE,
    // The states' own plate faces, drawn from strokes in glyphs.cpp (since 7 Dec 2026; issue #26
    // item 3): approximations of the narrow monospaced gothics the embossing dies of many states
    // stamp (Pennsylvania's, California's "Penitentiary Gothic" kind), with their look-alikes: a
    // Z-like 2, a narrow W with a low middle apex, a 1 with a flag and a foot serif, a narrow 0.
    // The matched set draws them for the states that use such faces; the realistic training
    // crops (training.h) train on the first two through the states' designs.
    PlateDieGothic,
    PlateDieGothicBold,
    // After the extra-condensed face of flat, digitally printed plates (3M's default, adapted
    // from Zurich Extra Condensed): narrower and heavier, a W whose middle apex reaches the top.
    // Held out of every training set (heldOutStateTypefaces): the matched set's unseen state face.
    FlatPlateCondensed,  // (keep this one last: glyphs.cpp sizes its per-face table by it)
};
// Typefaces plates are rendered in for training (all but the held-out ones).
const std::vector<Typeface>& allTypefaces();
// The held-out typefaces of the development set.
const std::vector<Typeface>& devTypefaces();
// Faces the line reader's training crops are also drawn in (training.h, harvestPlateLines),
// besides allTypefaces(); never in the development sets.
const std::vector<Typeface>& lineTrainingTypefaces();

// The matched set's faces: the highway-sign series and the states' faces drawn from strokes.
const std::vector<Typeface>& matchedTypefaces();
// The states' faces never trained on (FlatPlateCondensed): no training crop is drawn in them.
const std::vector<Typeface>& heldOutStateTypefaces();

// Height of every cached mask, in pixels.
constexpr int kGlyphMaskHeight = 96;

// White-on-black mask of c, cropped to its ink, kGlyphMaskHeight tall (width varies).
// Throws std::runtime_error if the typeface's font file is missing.
const cv::Mat& glyphMask(Typeface face, char c);

// A line of text (headers, slogans) drawn in a TrueType face into a fresh mask of the given
// pixel height; serif/italic chooses DejaVu Serif Bold Italic, else DejaVu Sans Bold.
cv::Mat textLineMask(const std::string& text, int heightPx, bool serifItalic);

}  // namespace alprsim::recognition
