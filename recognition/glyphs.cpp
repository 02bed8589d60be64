#include "recognition/glyphs.h"

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

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
        default:
            return nullptr;
    }
}

cv::Ptr<cv::freetype::FreeType2> loadFont(const char* path) {
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error(std::string("font file missing: ") + path +
                                 " (install fonts-dejavu-core and fonts-roboto-unhinted)");
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

cv::Mat drawGlyph(Typeface face, char c) {
    cv::Mat canvas(400, 400, CV_8U, cv::Scalar(0));
    const std::string text(1, c);
    if (face == Typeface::HersheySimplex || face == Typeface::HersheyDuplex) {
        const int font = face == Typeface::HersheySimplex ? cv::FONT_HERSHEY_SIMPLEX
                                                          : cv::FONT_HERSHEY_DUPLEX;
        const int thickness = face == Typeface::HersheySimplex ? 16 : 12;
        cv::putText(canvas, text, {80, 300}, font, 6.0, cv::Scalar(255), thickness, cv::LINE_AA);
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

using GlyphTable = std::map<std::pair<Typeface, char>, cv::Mat>;

const GlyphTable& glyphTable() {
    static const GlyphTable table = [] {
        GlyphTable t;
        for (Typeface face : allTypefaces()) {
            for (char c : kGlyphChars) t[{face, c}] = drawGlyph(face, c);
        }
        return t;
    }();
    return table;
}

}  // namespace

const std::vector<Typeface>& allTypefaces() {
    static const std::vector<Typeface> faces = {
        Typeface::PlateGothic,    Typeface::RobotoCondensedBold, Typeface::DejaVuCondensedBold,
        Typeface::DejaVuSansBold, Typeface::DejaVuMonoBold,      Typeface::HersheySimplex,
        Typeface::HersheyDuplex,  Typeface::DejaVuSans,          Typeface::DejaVuCondensed,
        Typeface::Roboto,         Typeface::RobotoCondensedLight};
    return faces;
}

const cv::Mat& glyphMask(Typeface face, char c) {
    const GlyphTable& table = glyphTable();
    auto it = table.find({face, c});
    if (it == table.end()) throw std::invalid_argument(std::string("no glyph for '") + c + "'");
    return it->second;
}

cv::Mat textLineMask(const std::string& text, int heightPx, bool serifItalic) {
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
    cv::Mat colour(size.height + baseline + fontHeight, size.width + fontHeight, CV_8UC3,
                   cv::Scalar::all(0));
    ft->putText(colour, text, {fontHeight / 2, fontHeight / 2}, fontHeight, cv::Scalar::all(255), -1,
                cv::LINE_AA, false);
    cv::Mat canvas;
    cv::cvtColor(colour, canvas, cv::COLOR_BGR2GRAY);
    return cropToInk(canvas);
}

}  // namespace alprsim::recognition
