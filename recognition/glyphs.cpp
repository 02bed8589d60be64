#include "recognition/glyphs.h"

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace alprsim::recognition {
namespace {

constexpr std::string_view kGlyphChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

const char* fontFile(Typeface face) {
    switch (face) {
        case Typeface::PlateGothic:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Regular.ttf";
        case Typeface::RobotoCondensedBold:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf";
        case Typeface::DejaVuCondensedBold:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf";
        case Typeface::DejaVuSansBold:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        case Typeface::DejaVuMonoBold:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";
        case Typeface::DejaVuSans:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        case Typeface::DejaVuCondensed:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf";
        case Typeface::Roboto:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf";
        case Typeface::RobotoCondensedLight:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Light.ttf";
        case Typeface::RobotoMedium:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf";
        case Typeface::RobotoBold:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf";
        case Typeface::RobotoCondensedMedium:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Medium.ttf";
        case Typeface::DejaVuMono:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
        case Typeface::RobotoBlack:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Black.ttf";
        case Typeface::RobotoLight:
            return "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Light.ttf";
        case Typeface::DejaVuSansOblique:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Oblique.ttf";
        case Typeface::OspDin:
            return "/usr/share/fonts/truetype/opendin/OSP-DIN.ttf";
        case Typeface::BebasNeueBold:
            return "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf";
        case Typeface::BebasNeue:
            return "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf";
        case Typeface::B612Bold:
            return "/usr/share/fonts/opentype/b612/B612-Bold.otf";
        case Typeface::LiberationSansNarrowBold:
            return "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf";
        case Typeface::NimbusSansNarrowBold:
            return "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf";
        case Typeface::FreeSansBold:
            return "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf";
        case Typeface::RoutedGothicNarrow:
            return "/usr/share/fonts/truetype/routed-gothic/routed-gothic-narrow.ttf";
        case Typeface::RoadgeekSeriesB:
            return "/usr/share/fonts/truetype/roadgeek/RG2014B.ttf";
        case Typeface::RoadgeekSeriesC:
            return "/usr/share/fonts/truetype/roadgeek/RG2014C.ttf";
        case Typeface::RoadgeekSeriesD:
            return "/usr/share/fonts/truetype/roadgeek/RG2014D.ttf";
        case Typeface::RoadgeekSeriesE:
            return "/usr/share/fonts/truetype/roadgeek/RG2014E.ttf";
        default:
            return nullptr;
    }
}

cv::Ptr<cv::freetype::FreeType2> loadFont(const char* path) {
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error(std::string("font file missing: ") + path +
                                 " (tools/install-deps.sh installs the font packages: fonts-dejavu-core, "
                                 "fonts-roboto-unhinted, fonts-opendin, fonts-bebas-neue, fonts-b612, fonts-routed-gothic, "
                                 "fonts-liberation, fonts-urw-base35, fonts-freefont-ttf, fonts-roadgeek)");
    }
    auto ft = cv::freetype::createFreeType2();
    ft->loadFontData(path, 0);
    return ft;
}

cv::Mat cropToInk(const cv::Mat& canvas) {
    std::vector<cv::Point> ink;
    cv::findNonZero(canvas > 40, ink);
    if (ink.empty()) return cv::Mat(kGlyphMaskHeight, kGlyphMaskHeight / 2, CV_8U, cv::Scalar(0));
    return canvas(cv::boundingRect(ink)).clone();
}

// ---- Plate gothic drawn in code -------------------------------------------------------------
// Most US plates use narrow, uniform-stroke gothic faces derived from the highway sign alphabets
// (FHWA series): no font of that kind is packaged, so its shapes are drawn here as strokes on a
// 6 x 10 unit grid (y down): flat-bottomed 2 with a round head, open 4, straight-legged 7,
// single-storey shapes. Rendered with round caps at two weights.
using Stroke = std::vector<cv::Point2d>;

void arcTo(Stroke& s, cv::Point2d centre, double rx, double ry, double fromDeg, double toDeg) {
    const int steps = std::max(4, static_cast<int>(std::abs(toDeg - fromDeg) / 6));
    for (int i = 0; i <= steps; ++i) {
        const double a = (fromDeg + (toDeg - fromDeg) * i / steps) * CV_PI / 180;
        s.emplace_back(centre.x + rx * std::cos(a), centre.y + ry * std::sin(a));
    }
}

Stroke arc(cv::Point2d centre, double rx, double ry, double fromDeg, double toDeg) {
    Stroke s;
    arcTo(s, centre, rx, ry, fromDeg, toDeg);
    return s;
}

std::vector<Stroke> drawnStrokes(char c) {
    using P = cv::Point2d;
    switch (c) {
        case '0':
        case 'O': {
            const double r = c == 'O' ? 3.4 : 3.0;
            Stroke s = {{0, 7}, {0, 3}};
            arcTo(s, {r, 3}, r, 3, 180, 360);
            s.push_back({2 * r, 7});
            arcTo(s, {r, 7}, r, 3, 0, 180);
            return {s};
        }
        case '1':
            return {{{3, 0}, {3, 10}}, {{1.2, 1.8}, {3, 0}}};
        case '2': {
            Stroke s;
            arcTo(s, {3, 3}, 3, 3, 175, 395);
            s.push_back({0, 10});
            s.push_back({6, 10});
            return {s};
        }
        case '3':
            return {arc({3, 2.5}, 2.8, 2.5, 200, 450), arc({3, 7.3}, 3, 2.7, 270, 520)};
        case '4':
            return {{{4.5, 10}, {4.5, 0}, {0, 7}, {6, 7}}};
        case '5': {
            Stroke s = {{5.6, 0}, {0.6, 0}, {0.3, 4.6}};
            arcTo(s, {3, 6.9}, 3, 3.1, 230, 495);
            return {s};
        }
        case '6': {
            Stroke s;
            arcTo(s, {3, 3}, 3, 3, 320, 180);
            s.push_back({0, 7});
            return {s, arc({3, 7}, 3, 3, 0, 360)};
        }
        case '9': {
            Stroke s;
            arcTo(s, {3, 7}, 3, 3, 140, 0);
            s.push_back({6, 3});
            return {s, arc({3, 3}, 3, 3, 0, 360)};
        }
        case '7':
            return {{{0, 0}, {6, 0}, {2.2, 10}}};
        case '8':
            return {arc({3, 2.6}, 2.6, 2.6, 0, 360), arc({3, 7.3}, 3, 2.7, 0, 360)};
        case 'A':
            return {{{0, 10}, {3, 0}, {6, 10}}, {{1, 6.7}, {5, 6.7}}};
        case 'B': {
            Stroke s = {{0, 5}, {0, 0}, {3.4, 0}};
            arcTo(s, {3.4, 2.5}, 2.4, 2.5, 270, 450);
            s.push_back({0, 5});
            s.push_back({3.6, 5});
            arcTo(s, {3.6, 7.5}, 2.4, 2.5, 270, 450);
            s.push_back({0, 10});
            s.push_back({0, 5});
            return {s};
        }
        case 'C':
        case 'G': {
            Stroke s;
            arcTo(s, {3, 3}, 3, 3, 330, 180);
            s.push_back({0, 7});
            arcTo(s, {3, 7}, 3, 3, 180, c == 'G' ? 0 : 30);
            if (c == 'G') {
                s.push_back({6, 5.3});
                s.push_back({3.5, 5.3});
            }
            return {s};
        }
        case 'D': {
            Stroke s = {{0, 0}, {0, 10}, {3, 10}};
            arcTo(s, {3, 7}, 3, 3, 90, 0);
            s.push_back({6, 3});
            arcTo(s, {3, 3}, 3, 3, 0, -90);
            s.push_back({0, 0});
            return {s};
        }
        case 'E':
            return {{{6, 0}, {0, 0}, {0, 10}, {6, 10}}, {{0, 5}, {4.6, 5}}};
        case 'F':
            return {{{6, 0}, {0, 0}, {0, 10}}, {{0, 5}, {4.6, 5}}};
        case 'H':
            return {{{0, 0}, {0, 10}}, {{6, 0}, {6, 10}}, {{0, 5}, {6, 5}}};
        case 'I':
            return {{{3, 0}, {3, 10}}, {{1.2, 0}, {4.8, 0}}, {{1.2, 10}, {4.8, 10}}};
        case 'J': {
            Stroke s = {{6, 0}, {6, 7}};
            arcTo(s, {3, 7}, 3, 3, 0, 180);
            s.push_back({0, 6});
            return {s};
        }
        case 'K':
            return {{{0, 0}, {0, 10}}, {{6, 0}, {0, 6.5}}, {{2.1, 4.6}, {6, 10}}};
        case 'L':
            return {{{0, 0}, {0, 10}, {6, 10}}};
        case 'M':
            return {{{0, 10}, {0, 0}, {3.5, 7}, {7, 0}, {7, 10}}};
        case 'N':
            return {{{0, 10}, {0, 0}, {6, 10}, {6, 0}}};
        case 'P':
        case 'R': {
            Stroke s = {{0, 10}, {0, 0}, {3.4, 0}};
            arcTo(s, {3.4, 2.7}, 2.6, 2.7, 270, 450);
            s.push_back({0, 5.4});
            if (c == 'P') return {s};
            return {s, {{3, 5.4}, {6, 10}}};
        }
        case 'Q': {
            auto strokes = drawnStrokes('O');
            strokes.push_back({{4, 7.4}, {6.8, 10.4}});
            return strokes;
        }
        case 'S': {
            Stroke s;
            arcTo(s, {3, 2.6}, 2.9, 2.6, 340, 90);
            arcTo(s, {3, 7.4}, 3, 2.6, 270, 520);
            return {s};
        }
        case 'T':
            return {{{0, 0}, {6, 0}}, {{3, 0}, {3, 10}}};
        case 'U': {
            Stroke s = {{0, 0}, {0, 7}};
            arcTo(s, {3, 7}, 3, 3, 180, 0);
            s.push_back({6, 0});
            return {s};
        }
        case 'V':
            return {{{0, 0}, {3, 10}, {6, 0}}};
        case 'W':
            return {{{0, 0}, {2, 10}, {4, 2.5}, {6, 10}, {8, 0}}};
        case 'X':
            return {{{0, 0}, {6, 10}}, {{6, 0}, {0, 10}}};
        case 'Y':
            return {{{0, 0}, {3, 5}, {6, 0}}, {{3, 5}, {3, 10}}};
        case 'Z':
            return {{{0, 0}, {6, 0}, {0, 10}, {6, 10}}};
        default:
            return {};
    }
    (void)sizeof(P);
}

// The drawn gothic's variant shapes (Typeface::DrawnGothicSerif); the other characters as drawnStrokes.
std::vector<Stroke> variantStrokes(char c) {
    switch (c) {
        case '1':
            return {{{1.2, 1.8}, {3, 0}, {3, 10}}, {{1, 10}, {5, 10}}};
        case '4':
            return {{{4.5, 10}, {4.5, 0}, {0, 7}, {6, 7}}, {{0, 7}, {4.5, 0}}};
        case '0': {
            Stroke s = {{0.6, 7}, {0.6, 3}};
            arcTo(s, {3, 3}, 2.4, 3, 180, 360);
            s.push_back({5.4, 7});
            arcTo(s, {3, 7}, 2.4, 3, 0, 180);
            return {s};
        }
        case 'W':
            return {{{0, 0}, {2, 10}, {4, 5}, {6, 10}, {8, 0}}};
        default:
            return drawnStrokes(c);
    }
}

// ---- The states' plate faces drawn from strokes ------------------------------------------------
// Approximations, not traced from any plate or font: the shapes the embossing dies of many
// states share (Pennsylvania's face, as the "Keystone State" replica draws it; California's, as
// E-phemera's "Penitentiary Gothic" replicates it): narrow, monospaced, uniform stroke, oval
// bowls. Drawn because these are the look-alikes real plates have and the highway-sign faces
// lack: a 2 whose top is a small round head on a straight diagonal and a flat base (Z-like), a W
// in the same narrow cell as the other letters with vertical outer strokes and a middle apex
// that stops half-way down (an M upside down), a 1 with a flag and a foot serif against a
// serifed I (they differ only at the top), a narrow 0 against a rounder O, a closed 4, a D
// with a straight stem against the 0; 8/B and 5/S as the drawn gothic has them (B and 5 with
// square corners at the stem). Same 6 x 10 grid as drawnStrokes.
std::vector<Stroke> plateDieStrokes(char c) {
    switch (c) {
        case '0':
        case 'O': {
            const double r = c == 'O' ? 3.0 : 2.5, left = 3 - r;  // 0 narrower than O
            Stroke s = {{left, 7.2}, {left, 2.8}};
            arcTo(s, {3, 2.8}, r, 2.8, 180, 360);
            s.push_back({3 + r, 7.2});
            arcTo(s, {3, 7.2}, r, 2.8, 0, 180);
            return {s};
        }
        case '1':  // a short, nearly level flag: at a distance an I with half its top serif
            return {{{1.5, 0.7}, {3.2, 0}, {3.2, 10}}, {{1.3, 10}, {5.1, 10}}};
        case 'I':
            return {{{3, 0}, {3, 10}}, {{1.3, 0}, {4.7, 0}}, {{1.3, 10}, {4.7, 10}}};
        case '2': {  // the Z-like 2: a level top with rounded corners, a straight diagonal, a flat base
            Stroke s = {{0.2, 1.6}};
            arcTo(s, {1.4, 1.3}, 1.2, 1.3, 180, 270);
            arcTo(s, {4.4, 1.4}, 1.4, 1.4, 270, 360);
            s.push_back({5.8, 2.3});
            s.push_back({0.2, 10});
            s.push_back({6, 10});
            return {s};
        }
        case 'Z':
            return {{{0.2, 0}, {5.8, 0}, {0.2, 10}, {6, 10}}};
        case 'W':
            return {{{0, 0}, {1, 10}, {3, 4.4}, {5, 10}, {6, 0}}};
        case 'M':
            return {{{0, 10}, {0, 0}, {3, 6.4}, {6, 0}, {6, 10}}};
        case 'Q': {
            auto strokes = plateDieStrokes('O');
            strokes.push_back({{3.8, 7.6}, {6.2, 10.4}});
            return strokes;
        }
        case '4':
            return {{{4.5, 10}, {4.5, 0}, {0, 7}, {6, 7}}, {{0, 7}, {4.5, 0}}};
        default:
            return drawnStrokes(c);
    }
}

// The flat plates' extra-condensed face (3M's default, adapted from Zurich Extra Condensed, a
// Univers): drawn narrower (xScale below) and heavier; its 2 a rounder head running into the
// diagonal, its W with outer strokes slanting in and the middle apex reaching the top, its M the
// W upside down, its 1 with a short flag. The other characters as plateDieStrokes.
std::vector<Stroke> flatCondensedStrokes(char c) {
    switch (c) {
        case '1':
            return {{{1.9, 1.3}, {3.2, 0}, {3.2, 10}}, {{1.5, 10}, {4.9, 10}}};
        case '2': {
            Stroke s;
            arcTo(s, {3, 2.7}, 2.9, 2.7, 195, 380);
            s.push_back({0.1, 10});
            s.push_back({6, 10});
            return {s};
        }
        case 'W':
            return {{{0, 0}, {1.3, 10}, {3, 0.6}, {4.7, 10}, {6, 0}}};
        case 'M':
            return {{{0, 10}, {0.3, 0}, {3, 8}, {5.7, 0}, {6, 10}}};
        default:
            return plateDieStrokes(c);
    }
}

// How a face drawn from strokes is drawn: its shapes, stroke weight and width, in grid units.
struct StrokeFace {
    std::vector<Stroke> (*strokes)(char);
    double weight;
    double xScale;  // below 1: the same shapes drawn narrower (the strokes keep their weight)
};

std::optional<StrokeFace> strokeFace(Typeface face) {
    switch (face) {
        case Typeface::DrawnGothic:
            return StrokeFace{drawnStrokes, 1.1, 1.0};
        case Typeface::DrawnGothicBold:
            return StrokeFace{drawnStrokes, 1.6, 1.0};
        case Typeface::DrawnGothicSerif:
            return StrokeFace{variantStrokes, 1.35, 1.0};
        case Typeface::PlateDieGothic:
            return StrokeFace{plateDieStrokes, 1.25, 0.9};
        case Typeface::PlateDieGothicBold:
            return StrokeFace{plateDieStrokes, 1.7, 0.95};
        case Typeface::FlatPlateCondensed:
            return StrokeFace{flatCondensedStrokes, 1.45, 0.72};
        default:
            return std::nullopt;
    }
}

void drawStrokes(cv::Mat& canvas, char c, const StrokeFace& face) {
    constexpr double kUnit = 24.0;  // pixels per grid unit: 10 units = 240 px tall
    const cv::Point2d origin(80, 80);
    const int thickness = static_cast<int>(std::lround(face.weight * kUnit));
    for (const Stroke& s : face.strokes(c)) {
        std::vector<cv::Point> pts;
        for (const cv::Point2d& p : s)
            pts.emplace_back(int(std::lround(origin.x + p.x * face.xScale * kUnit)), int(std::lround(origin.y + p.y * kUnit)));
        cv::polylines(canvas, pts, false, cv::Scalar(255), thickness, cv::LINE_AA);
    }
}

cv::Mat drawGlyph(Typeface face, char c) {
    cv::Mat canvas(400, 400, CV_8U, cv::Scalar(0));
    const std::string text(1, c);
    if (const std::optional<StrokeFace> drawn = strokeFace(face)) {
        drawStrokes(canvas, c, *drawn);
    } else if (face == Typeface::HersheySimplex || face == Typeface::HersheyDuplex || face == Typeface::HersheyPlain) {
        const int font = face == Typeface::HersheySimplex  ? cv::FONT_HERSHEY_SIMPLEX
                         : face == Typeface::HersheyDuplex ? cv::FONT_HERSHEY_DUPLEX
                                                           : cv::FONT_HERSHEY_PLAIN;
        const int thickness = face == Typeface::HersheySimplex ? 16 : face == Typeface::HersheyPlain ? 8 : 12;
        const double fontScale = face == Typeface::HersheyPlain ? 12.0 : 6.0;
        cv::putText(canvas, text, {80, 300}, font, fontScale, cv::Scalar(255), thickness, cv::LINE_AA);
    } else {
        // FreeType2 draws into 3-channel images only.
        auto ft = loadFont(fontFile(face));
        cv::Mat colour(canvas.size(), CV_8UC3, cv::Scalar::all(0));
        ft->putText(colour, text, {80, 320}, 240, cv::Scalar::all(255), -1, cv::LINE_AA, true);
        cv::cvtColor(colour, canvas, cv::COLOR_BGR2GRAY);
    }
    cv::Mat ink = cropToInk(canvas);
    // The plate face of Massachusetts is tall and narrow: Roboto Condensed narrowed by 15%.
    const double narrowing = face == Typeface::PlateGothic ? 0.85 : 1.0;
    const double scale = static_cast<double>(kGlyphMaskHeight) / ink.rows;
    const int width = std::max(2, static_cast<int>(std::lround(ink.cols * scale * narrowing)));
    cv::Mat mask;
    cv::resize(ink, mask, {width, kGlyphMaskHeight}, 0, 0, cv::INTER_AREA);
    return mask;
}

// One face's masks, drawn on first use (threads wait for the one drawing them).
struct FaceGlyphs {
    std::once_flag drawn;
    std::map<char, cv::Mat> masks;
};

const std::map<char, cv::Mat>& faceGlyphs(Typeface face) {
    constexpr size_t kFaces = static_cast<size_t>(Typeface::FlatPlateCondensed) + 1;
    static std::array<FaceGlyphs, kFaces> faces;
    const size_t index = static_cast<size_t>(face);
    if (index >= kFaces) throw std::invalid_argument("unknown typeface");
    FaceGlyphs& glyphs = faces[index];
    std::call_once(glyphs.drawn, [&] {
        for (char c : kGlyphChars) glyphs.masks[c] = drawGlyph(face, c);
    });
    return glyphs.masks;
}

}  // namespace

const std::vector<Typeface>& allTypefaces() {
    static const std::vector<Typeface> faces = {Typeface::PlateGothic,
                                                Typeface::RobotoCondensedBold,
                                                Typeface::DejaVuCondensedBold,
                                                Typeface::DejaVuSansBold,
                                                Typeface::DejaVuMonoBold,
                                                Typeface::HersheySimplex,
                                                Typeface::HersheyDuplex,
                                                Typeface::DejaVuSans,
                                                Typeface::DejaVuCondensed,
                                                Typeface::Roboto,
                                                Typeface::RobotoCondensedLight,
                                                Typeface::RobotoMedium,
                                                Typeface::RobotoBold,
                                                Typeface::RobotoCondensedMedium,
                                                Typeface::DejaVuMono,
                                                Typeface::HersheyPlain,
                                                Typeface::DrawnGothic,
                                                Typeface::DrawnGothicBold,
                                                Typeface::OspDin,
                                                Typeface::BebasNeueBold,
                                                Typeface::BebasNeue,
                                                Typeface::B612Bold};
    return faces;
}

const std::vector<Typeface>& lineTrainingTypefaces() {
    static const std::vector<Typeface> faces = {Typeface::LiberationSansNarrowBold, Typeface::NimbusSansNarrowBold,
                                                Typeface::FreeSansBold, Typeface::DrawnGothicSerif};
    return faces;
}

const std::vector<Typeface>& devTypefaces() {
    static const std::vector<Typeface> faces = {Typeface::RobotoBlack, Typeface::RobotoLight, Typeface::DejaVuSansOblique,
                                                Typeface::RoutedGothicNarrow};
    return faces;
}

const std::vector<Typeface>& matchedTypefaces() {
    static const std::vector<Typeface> faces = {
        Typeface::RoadgeekSeriesB, Typeface::RoadgeekSeriesC,    Typeface::RoadgeekSeriesD,   Typeface::RoadgeekSeriesE,
        Typeface::PlateDieGothic,  Typeface::PlateDieGothicBold, Typeface::FlatPlateCondensed};
    return faces;
}

const std::vector<Typeface>& heldOutStateTypefaces() {
    static const std::vector<Typeface> faces = {Typeface::FlatPlateCondensed};
    return faces;
}

const cv::Mat& glyphMask(Typeface face, char c) {
    const auto& masks = faceGlyphs(face);
    auto it = masks.find(c);
    if (it == masks.end()) throw std::invalid_argument(std::string("no glyph for '") + c + "'");
    return it->second;
}

namespace {

cv::Mat drawTextLine(const std::string& text, int heightPx, bool serifItalic) {
    // FreeType2 objects are not thread-safe; one per thread per face.
    thread_local cv::Ptr<cv::freetype::FreeType2> serif, sans;
    auto& ft = serifItalic ? serif : sans;
    if (!ft) {
        ft = loadFont(serifItalic ? "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf"
                                  : "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    }
    const int fontHeight = std::max(6, heightPx);
    int baseline = 0;
    const cv::Size size = ft->getTextSize(text, fontHeight, -1, &baseline);
    cv::Mat colour(size.height + baseline + fontHeight, size.width + fontHeight, CV_8UC3, cv::Scalar::all(0));
    ft->putText(colour, text, {fontHeight / 2, fontHeight / 2}, fontHeight, cv::Scalar::all(255), -1, cv::LINE_AA, false);
    cv::Mat canvas;
    cv::cvtColor(colour, canvas, cv::COLOR_BGR2GRAY);
    return cropToInk(canvas);
}

}  // namespace

cv::Mat textLineMask(const std::string& text, int heightPx, bool serifItalic) {
    // Every plate of a style draws the same header and slogan: FreeType's work (a tenth of a
    // capture's rendering) done once per thread. Bounded: the lines of a few hundred styles.
    constexpr size_t kMaxKept = 512;
    thread_local std::map<std::tuple<std::string, int, bool>, cv::Mat> drawn;
    const auto key = std::make_tuple(text, heightPx, serifItalic);
    if (const auto it = drawn.find(key); it != drawn.end()) return it->second.clone();
    cv::Mat mask = drawTextLine(text, heightPx, serifItalic);
    if (drawn.size() >= kMaxKept) drawn.clear();
    drawn.emplace(key, mask);
    return mask.clone();
}

}  // namespace alprsim::recognition
