#pragma once
// How a state's plate looks: colours, header and slogan, typeface and character proportions.
// Massachusetts is drawn as issued (red characters on white, "Massachusetts" in blue above,
// "The Spirit of America" below); the other styles stand for the range of other states' plates
// a Massachusetts camera also sees, and give the character recogniser variety to learn from.
#include <opencv2/core.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "recognition/glyphs.h"

namespace alprsim::recognition {

struct PlateStyle {
    std::string name;            // "MA", "NY", ...
    cv::Scalar background;       // BGR
    cv::Scalar backgroundLower;  // BGR at the bottom edge (a vertical gradient); = background if flat
    cv::Scalar characters;
    cv::Scalar headerColor;
    cv::Scalar sloganColor;
    std::string header;
    std::string slogan;
    bool headerSerifItalic = false;
    bool sloganSerifItalic = false;
    Typeface typeface = Typeface::PlateGothic;
    double charHeight = 0.46;  // of the plate height (2.75" of 6" on Massachusetts plates)
    double charWidth = 0.47;   // of the character height
    double gap = 0.12;         // space between characters, of the character height
    double stroke = 0.0;       // extra stroke weight, in mask pixels (negative thins)
    bool sideGraphic = false;  // a logo or emblem beside the characters (many states have one)
    bool banner = false;       // a coloured band behind the header (as in Pennsylvania or Alabama)
    cv::Scalar bannerColor;
    // What real plates carry around and between their characters (all off by default; the
    // cluttered development set turns them on, bench_recognition --dev-clutter):
    int frameTop = 0, frameBottom = 0, frameSide = 0;  // a plate frame's bands, canvas pixels
    cv::Scalar frameColor;
    bool frameText = false;  // dealer text on the frame's bottom band
    bool bolts = false;      // screw heads in the four mounting holes
    // What the matched set (matched_set.h) adds, all off by default (a default style renders as
    // before, draw for draw):
    int boltInset = 24;           // bolts' distance from the top and bottom edges, canvas px (24: the
                                  // standard holes; about 55 puts them on the characters' ends)
    double scenery = 0.0;         // 0-1: a picture behind the characters (sky, hills, waves, a sun),
                                  // its contrast against the background this share of the characters'
    bool emboss = false;          // raised characters: a shadow below right, a highlight above left
    bool cornerStickers = false;  // registration stickers at the row's corners, over its first or
                                  // last character's edge (as many states place them)
    double stackedHeight = 0.42;  // each of two stacked small letters ('^'), of the character height
    double emblemScale = 1.0;     // width of an emblem's cell ('*' in the text), in character cells
    double cover = 0.0;           // 0-1: a tinted plastic cover over the plate (contrast lost, a
                                  // bright streak across it)
};
// In the text given to renderPlate, '*' draws an emblem in a character cell (a state outline,
// heart, flag, sticker), '^' two small letters stacked in a half-width cell and '-' a dash in a
// half-width cell; none is a character of the plate (characterBoxes skip them).

const PlateStyle& massachusettsStyle();
// Other states' styles, in a fixed order (`alprsim render --style NAME`; randomTrainingStyle takes
// their layout and colours, never their face). California and Pennsylvania in the embossing
// dies' gothic drawn from strokes (glyphs.h), the others in the nearest packaged font.
const std::vector<PlateStyle>& otherStateStyles();

// How a simulated vehicle's plate is drawn, by its design (core/plate.h): "MA" as issued, the
// Massachusetts specialty designs the fleet carries, and the out-of-state cars' states
// (otherStateStyles, and Maine, New Jersey and Florida). Approximations from general
// descriptions of the issued plates (colours, header and slogan, a picture or emblem), not
// traced from them. Throws std::invalid_argument for a design it does not draw.
const PlateStyle& fleetPlateStyle(std::string_view design);

// A colour with each channel drawn uniformly from lo..hi (BGR).
cv::Scalar randomColor(Rng& rng, double lo, double hi);

// A randomised style for training: random colours (dark on light or light on dark), any
// typeface, proportions and stroke weight varied around the plate norms.
PlateStyle randomTrainingStyle(Rng& rng);

// A randomised style as randomTrainingStyle, in one of the held-out devTypefaces(), named by
// the typeface's index ("dev0", ...): the development set's plates.
PlateStyle randomDevStyle(Rng& rng);

}  // namespace alprsim::recognition
