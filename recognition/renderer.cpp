#include "recognition/renderer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "core/hash.h"
#include "core/plate.h"
#include "recognition/area_resize.h"
#include "recognition/jpeg_loss.h"
#include "recognition/perspective_warp.h"

namespace alprsim::recognition {
namespace {

constexpr double kPlateWidthMetres = 0.305;

cv::Scalar lerp(const cv::Scalar& a, const cv::Scalar& b, double t) { return a * (1.0 - t) + b * t; }

// Sets every pixel of an 8-bit image (or a part of one) to colour: the pixels setTo or
// cv::Mat(size, type, colour) give (each channel saturate_cast), written a row at a time;
// OpenCV's fill copies 12 bytes a call, which on the vehicle's rear was a sixth of a
// capture's cost.
void fillSolid(cv::Mat& image, const cv::Scalar& colour) {
    const int channels = image.channels();
    CV_Assert(image.depth() == CV_8U && channels <= 4);
    if (image.empty()) return;
    std::array<uchar, 4> pixel{};
    for (int ch = 0; ch < channels; ++ch) pixel[static_cast<size_t>(ch)] = cv::saturate_cast<uchar>(colour[ch]);
    uchar* first = image.ptr<uchar>(0);
    const size_t rowBytes = static_cast<size_t>(image.cols) * channels;
    // The first row by doubling: one pixel, then the filled part copied after itself.
    std::memcpy(first, pixel.data(), static_cast<size_t>(channels));
    for (size_t filled = channels; filled < rowBytes; filled *= 2)
        std::memcpy(first + filled, first, std::min(filled, rowBytes - filled));
    for (int y = 1; y < image.rows; ++y) std::memcpy(image.ptr<uchar>(y), first, rowBytes);
}

cv::Mat solidImage(cv::Size size, int type, const cv::Scalar& colour) {
    cv::Mat image(size, type);
    fillSolid(image, colour);
    return image;
}

cv::Mat greyOf(const cv::Mat& bgr) {
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    return grey;
}

// A BGR colour as paint for an image of that many channels: itself, or on a grey image its
// luminance (the weights of cv::COLOR_BGR2GRAY).
cv::Scalar paintFor(const cv::Mat& image, const cv::Scalar& bgr) {
    return image.channels() == 1 ? cv::Scalar::all(0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]) : bgr;
}

// Paints colour into image where mask (8-bit coverage) is set, at the given position.
void blendMask(cv::Mat& image, const cv::Mat& mask, cv::Point topLeft, const cv::Scalar& color) {
    const cv::Rect target = cv::Rect(topLeft, mask.size()) & cv::Rect({0, 0}, image.size());
    // Full coverage (most of a glyph) gives the colour itself: v * 0.0 + colour * 1.0.
    const cv::Vec3b solid(cv::saturate_cast<uchar>(color[0]), cv::saturate_cast<uchar>(color[1]),
                          cv::saturate_cast<uchar>(color[2]));
    for (int y = target.y; y < target.y + target.height; ++y) {
        const uchar* m = mask.ptr<uchar>(y - topLeft.y);
        cv::Vec3b* row = image.ptr<cv::Vec3b>(y);
        for (int x = target.x; x < target.x + target.width; ++x) {
            if (m[x - topLeft.x] == 255) {
                row[x] = solid;
                continue;
            }
            const double a = m[x - topLeft.x] / 255.0;
            if (a <= 0.0) continue;
            for (int ch = 0; ch < 3; ++ch) {
                row[x][ch] = cv::saturate_cast<uchar>(row[x][ch] * (1.0 - a) + color[ch] * a);
            }
        }
    }
}

void drawTextLine(cv::Mat& plate, const std::string& text, int centreY, int heightPx, bool serifItalic, const cv::Scalar& color) {
    if (text.empty()) return;
    cv::Mat mask = textLineMask(text, heightPx, serifItalic);
    const int maxWidth = plate.cols * 3 / 4;
    if (mask.cols > maxWidth) {
        cv::resize(mask, mask, {maxWidth, mask.rows}, 0, 0, cv::INTER_AREA);
    }
    blendMask(plate, mask, {(plate.cols - mask.cols) / 2, centreY - mask.rows / 2}, color);
}

cv::Mat strokeAdjusted(const cv::Mat& mask, double stroke) {
    const int radius = static_cast<int>(std::lround(std::abs(stroke)));
    if (radius == 0) return mask;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * radius + 1, 2 * radius + 1});
    cv::Mat out;
    if (stroke > 0)
        cv::dilate(mask, out, kernel);
    else
        cv::erode(mask, out, kernel);
    return out;
}

void drawStickers(cv::Mat& plate, Rng& rng) {
    const cv::Rect month(14, 12, 62, 30), year(plate.cols - 76, 12, 62, 30);
    cv::rectangle(plate, month, cv::Scalar(250, 250, 250), cv::FILLED);
    cv::putText(plate, "AUG", {month.x + 6, month.y + 23}, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(40, 40, 200), 2,
                cv::LINE_AA);
    const cv::Scalar yearColor(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    cv::rectangle(plate, year, yearColor, cv::FILLED);
    cv::putText(plate, std::to_string(10 + rng.below(20)), {year.x + 14, year.y + 24}, cv::FONT_HERSHEY_SIMPLEX, 0.8,
                cv::Scalar(20, 20, 20), 2, cv::LINE_AA);
}

// An emblem in the free space left or right of the characters, about their height: a random
// polygon, disc or pair of small digits (a state outline, a flag, a sticker).
void drawSideGraphic(PlateImage& plate, const PlateStyle& style, Rng& rng) {
    const cv::Rect first = plate.characterBoxes.front(), last = plate.characterBoxes.back();
    const bool left = rng.uniform() < 0.5;
    const int space = left ? first.x - 8 : kPlateCanvasWidth - 8 - last.br().x;
    const int size = std::min(space - 6, static_cast<int>(first.height * rng.uniform(0.6, 1.1)));
    if (size < first.height / 3) return;
    const int x = left ? first.x - 6 - size : last.br().x + 6;
    const int y = first.y + (first.height - size) / 2;
    const cv::Scalar colour(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    const double kind = rng.uniform();
    if (kind < 0.4) {
        std::vector<cv::Point> poly;
        const int corners = 5 + static_cast<int>(rng.below(6));
        for (int k = 0; k < corners; ++k) {
            const double a = 2 * CV_PI * k / corners, r = size / 2.0 * rng.uniform(0.5, 1.0);
            poly.emplace_back(x + size / 2 + int(r * std::cos(a)), y + size / 2 + int(r * std::sin(a)));
        }
        cv::fillPoly(plate.bgr, std::vector<std::vector<cv::Point>>{poly}, colour, cv::LINE_AA);
    } else if (kind < 0.7) {
        cv::circle(plate.bgr, {x + size / 2, y + size / 2}, size / 2, colour, rng.uniform() < 0.5 ? cv::FILLED : 4, cv::LINE_AA);
    } else {
        cv::putText(plate.bgr, std::to_string(10 + rng.below(90)), {x, y + size / 2}, cv::FONT_HERSHEY_SIMPLEX, size / 60.0,
                    style.characters, 2, cv::LINE_AA);
    }
}

// An emblem in a character cell, between characters: a polygon, disc, heart-like pair of discs
// or a filled sticker, about the characters' height.
void drawEmblem(cv::Mat& plate, const cv::Rect& cell, const PlateStyle& style, Rng& rng) {
    const cv::Scalar colour =
        rng.uniform() < 0.4 ? style.characters : cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    const double kind = rng.uniform();
    const cv::Point c(cell.x + cell.width / 2, cell.y + cell.height / 2);
    const int r = std::max(3, static_cast<int>(std::min(cell.width, cell.height) / 2 * rng.uniform(0.6, 1.0)));
    if (kind < 0.35) {
        std::vector<cv::Point> poly;
        const int corners = 5 + static_cast<int>(rng.below(7));
        for (int k = 0; k < corners; ++k) {
            const double a = 2 * CV_PI * k / corners, rr = r * rng.uniform(0.55, 1.0);
            poly.emplace_back(c.x + int(rr * std::cos(a)), c.y + int(1.3 * rr * std::sin(a)));
        }
        cv::fillPoly(plate, std::vector<std::vector<cv::Point>>{poly}, colour, cv::LINE_AA);
    } else if (kind < 0.55) {
        cv::circle(plate, c, r, colour, rng.uniform() < 0.5 ? cv::FILLED : std::max(2, r / 4), cv::LINE_AA);
    } else if (kind < 0.75) {  // a heart: two discs over a triangle
        cv::circle(plate, {c.x - r / 2, c.y - r / 3}, r / 2, colour, cv::FILLED, cv::LINE_AA);
        cv::circle(plate, {c.x + r / 2, c.y - r / 3}, r / 2, colour, cv::FILLED, cv::LINE_AA);
        std::vector<cv::Point> tri = {{c.x - r, c.y - r / 4}, {c.x + r, c.y - r / 4}, {c.x, c.y + r}};
        cv::fillConvexPoly(plate, tri, colour, cv::LINE_AA);
    } else {  // a sticker or flag: a filled rectangle with a mark
        const cv::Rect box(c.x - r * 3 / 4, c.y - r, r * 3 / 2, 2 * r);
        cv::rectangle(plate, box, colour, cv::FILLED);
        cv::line(plate, {box.x + 2, c.y}, {box.br().x - 3, c.y}, style.background, std::max(1, r / 5));
    }
}

// Two small letters, one above the other, in a half-width cell (as many states print a
// county or a plate type beside the registration).
void drawStacked(cv::Mat& plate, const cv::Rect& cell, const PlateStyle& style, Rng& rng) {
    const int h = static_cast<int>(std::lround(cell.height * std::clamp(style.stackedHeight, 0.1, 0.5)));
    for (int k = 0; k < 2; ++k) {
        const char c = static_cast<char>('A' + rng.below(26));
        cv::Mat mask = strokeAdjusted(glyphMask(style.typeface, c), style.stroke * 0.5);
        const int w = std::clamp(static_cast<int>(std::lround(mask.cols * double(h) / mask.rows)), 2, std::max(2, cell.width));
        cv::resize(mask, mask, {w, h}, 0, 0, cv::INTER_AREA);
        const int y = k == 0 ? cell.y + cell.height / 20 : cell.br().y - h - cell.height / 20;
        blendMask(plate, mask, {cell.x + (cell.width - w) / 2, y}, style.characters);
    }
}

// A plate frame over the plate's edges: bands of frameColor, dealer text on the bottom band.
void drawFrame(cv::Mat& plate, const PlateStyle& style, Rng& rng) {
    const int W = plate.cols, H = plate.rows;
    if (style.frameTop > 0) cv::rectangle(plate, cv::Rect(0, 0, W, style.frameTop), style.frameColor, cv::FILLED);
    if (style.frameBottom > 0)
        cv::rectangle(plate, cv::Rect(0, H - style.frameBottom, W, style.frameBottom), style.frameColor, cv::FILLED);
    if (style.frameSide > 0) {
        cv::rectangle(plate, cv::Rect(0, 0, style.frameSide, H), style.frameColor, cv::FILLED);
        cv::rectangle(plate, cv::Rect(W - style.frameSide, 0, style.frameSide, H), style.frameColor, cv::FILLED);
    }
    if (style.frameText && style.frameBottom >= 14) {
        static const std::vector<std::string> names = {"BOSTON HONDA",     "WORCESTER FORD", "QUIRK CHEVROLET",
                                                       "SAM'S AUTO SALES", "HERB CHAMBERS",  "NORWOOD TOYOTA"};
        const cv::Scalar text = cv::mean(style.frameColor)[0] < 128 ? cv::Scalar(225, 225, 225) : cv::Scalar(30, 30, 30);
        cv::Mat mask = textLineMask(names[rng.below(names.size())], style.frameBottom * 6 / 10, false);
        const int maxWidth = W * 7 / 10;
        if (mask.cols > maxWidth) cv::resize(mask, mask, {maxWidth, mask.rows}, 0, 0, cv::INTER_AREA);
        blendMask(plate, mask, {(W - mask.cols) / 2, H - style.frameBottom / 2 - mask.rows / 2}, text);
    }
}

void drawBolts(cv::Mat& plate, int inset, Rng& rng) {
    // Mounting holes 7" apart, 1/2" from the top and bottom edges (at 40 px an inch).
    const cv::Scalar head = rng.uniform() < 0.5 ? cv::Scalar(160, 160, 165) : cv::Scalar(40, 40, 40);
    for (int x : {plate.cols / 2 - 140, plate.cols / 2 + 140}) {
        for (int y : {inset, plate.rows - inset}) {
            cv::circle(plate, {x, y}, 11, head, cv::FILLED, cv::LINE_AA);
            cv::line(plate, {x - 7, y}, {x + 7, y}, cv::Scalar(20, 20, 20), 2, cv::LINE_AA);
        }
    }
}

// A picture behind the characters, as many states print one: a sky gradient, a range of hills
// or waves across the lower half, a sun or a disc; drawn in colours between the background and
// the characters, `strength` of the way towards the characters at most.
void drawScenery(cv::Mat& plate, const PlateStyle& style, double strength, Rng& rng) {
    const int W = plate.cols, H = plate.rows;
    auto tone = [&](double t) { return lerp(style.background, style.characters, std::clamp(t, 0.0, 1.0) * strength); };
    cv::Mat layer = plate.clone();
    for (int y = 0; y < H * 45 / 100; ++y) {
        cv::Mat row = layer.row(y);
        fillSolid(row, tone(0.35 * (1.0 - double(y) / (H * 0.45))));
    }
    const int ridges = 1 + static_cast<int>(rng.below(3));
    for (int r = 0; r < ridges; ++r) {
        std::vector<cv::Point> hill = {{0, H}};
        const double base = H * rng.uniform(0.45, 0.8), amp = H * rng.uniform(0.05, 0.25), waves = rng.uniform(0.5, 4.0);
        const double phase = rng.uniform(0, 2 * CV_PI);
        for (int x = 0; x <= W; x += 8)
            hill.emplace_back(x, static_cast<int>(base - amp * std::sin(phase + waves * 2 * CV_PI * x / W)));
        hill.emplace_back(W, H);
        cv::fillPoly(layer, std::vector<std::vector<cv::Point>>{hill}, tone(rng.uniform(0.3, 1.0)), cv::LINE_AA);
    }
    if (rng.uniform() < 0.5) {
        const cv::Point c(static_cast<int>(rng.uniform(0.2, 0.8) * W), static_cast<int>(rng.uniform(0.2, 0.6) * H));
        cv::circle(layer, c, static_cast<int>(rng.uniform(0.08, 0.25) * H), tone(rng.uniform(0.4, 1.0)), cv::FILLED, cv::LINE_AA);
    }
    cv::GaussianBlur(layer, layer, {0, 0}, 1.5);
    layer.copyTo(plate);
}

// Raised characters: the glyph's shadow below right and a highlight above left, before the glyph.
void drawEmbossed(cv::Mat& plate, const cv::Mat& mask, cv::Point at, const PlateStyle& style) {
    const int d = std::max(1, mask.rows / 40);
    blendMask(plate, mask, at + cv::Point(d, d), style.characters * 0.5);
    blendMask(plate, mask, at - cv::Point(d, d), lerp(style.background, cv::Scalar::all(255), 0.6));
}

// A dash between groups, in a half-width cell at the characters' middle.
void drawDash(cv::Mat& plate, const cv::Rect& cell, const PlateStyle& style) {
    const int thick = std::max(2, cell.height / 9);
    cv::rectangle(plate, cv::Rect(cell.x + cell.width / 6, cell.y + cell.height / 2 - thick / 2, cell.width * 2 / 3, thick),
                  style.characters, cv::FILLED, cv::LINE_AA);
}

// Registration stickers at the character row's corners, overlapping the first or last
// character's outer edge (month and year, as on many plates).
void drawCornerStickers(PlateImage& plate, Rng& rng) {
    const cv::Rect first = plate.characterBoxes.front(), last = plate.characterBoxes.back();
    const int h = std::max(8, first.height * 28 / 100), w = h * 3 / 2;
    for (int k = 0; k < 2; ++k) {
        if (rng.uniform() < 0.35) continue;
        const bool left = k == 0;
        const int x = left ? first.x - w * 2 / 3 : last.br().x - w / 3;
        const int y = rng.uniform() < 0.5 ? first.y - h / 3 : first.br().y - h * 2 / 3;
        const cv::Scalar colour(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
        cv::rectangle(plate.bgr, cv::Rect(x, y, w, h), colour, cv::FILLED);
        cv::putText(plate.bgr, std::to_string(10 + rng.below(20)), {x + w / 8, y + h * 4 / 5}, cv::FONT_HERSHEY_SIMPLEX, h / 32.0,
                    cv::Scalar(20, 20, 20), std::max(1, h / 12), cv::LINE_AA);
    }
}

// A tinted plastic cover: the plate seen through it loses contrast towards the tint, and a
// bright streak runs across it.
void drawCover(cv::Mat& plate, double cover, Rng& rng) {
    const cv::Scalar tint = rng.uniform() < 0.6 ? cv::Scalar::all(rng.uniform(30, 80))
                                                : cv::Scalar(rng.uniform(30, 120), rng.uniform(30, 90), rng.uniform(20, 60));
    cv::addWeighted(plate, 1.0 - 0.55 * cover, solidImage(plate.size(), plate.type(), tint), 0.55 * cover, 0, plate);
    cv::Mat streak(plate.size(), plate.type(), cv::Scalar::all(0));
    const double x0 = rng.uniform(-0.2, 0.8) * plate.cols, width = rng.uniform(0.08, 0.3) * plate.cols;
    std::vector<cv::Point> band = {{int(x0), 0},
                                   {int(x0 + width), 0},
                                   {int(x0 + width - 0.5 * plate.rows), plate.rows},
                                   {int(x0 - 0.5 * plate.rows), plate.rows}};
    cv::fillConvexPoly(streak, band, cv::Scalar::all(255 * 0.45 * cover), cv::LINE_AA);
    cv::GaussianBlur(streak, streak, {0, 0}, width / 4);
    cv::add(plate, streak, plate);
}
}  // namespace

std::string massachusettsDisplayText(const std::string& plate) {
    if (plate.size() == 6) return plate.substr(0, 3) + " " + plate.substr(3);
    return plate;
}

PlateImage renderPlate(const std::string& text, const PlateStyle& style, Rng& rng) {
    const int W = kPlateCanvasWidth, H = kPlateCanvasHeight;
    PlateImage out;
    out.bgr.create(H, W, CV_8UC3);
    for (int y = 0; y < H; ++y) {
        cv::Mat row = out.bgr.row(y);  // fillSolid: setTo's pixels, a row of 520 pixels 12 bytes at a time
        fillSolid(row, lerp(style.background, style.backgroundLower, double(y) / H));
    }
    if (style.scenery > 0) drawScenery(out.bgr, style, style.scenery, rng);
    if (style.banner) cv::rectangle(out.bgr, cv::Rect(0, 0, W, H * 22 / 100), style.bannerColor, cv::FILLED);
    drawStickers(out.bgr, rng);
    drawTextLine(out.bgr, style.header, H * 11 / 100, H * 15 / 100, style.headerSerifItalic, style.headerColor);
    drawTextLine(out.bgr, style.slogan, H * 89 / 100, H * 10 / 100, style.sloganSerifItalic, style.sloganColor);

    // Character cells: equal width, a gap between them, a wider gap for a space.
    double charH = style.charHeight * H;
    double cellW = charH * style.charWidth, gap = charH * style.gap;
    const auto glyphCount = std::count_if(text.begin(), text.end(), [](char c) { return c != ' '; });
    const auto spaceCount = static_cast<long>(text.size()) - glyphCount;
    const auto stackedCount =
        std::count_if(text.begin(), text.end(), [](char c) { return c == '^' || c == '-'; });  // half-width cells
    const auto emblemCount = std::count(text.begin(), text.end(), '*');                        // emblemScale-wide cells
    auto totalWidth = [&] {
        return (glyphCount - 0.45 * stackedCount + (style.emblemScale - 1.0) * emblemCount) * cellW + (glyphCount - 1) * gap +
               spaceCount * 1.5 * cellW * 0.6;
    };
    if (totalWidth() > 0.94 * W) {
        const double shrink = 0.94 * W / totalWidth();
        cellW *= shrink;
        gap *= shrink;
    }
    const double xScale = style.charWidth / 0.55;  // glyphs' natural aspect is about 0.55
    double x = (W - totalWidth()) / 2.0;
    const int top = static_cast<int>(std::lround(H * 0.53 - charH / 2));
    for (char c : text) {
        if (c == ' ') {
            x += 1.5 * cellW * 0.6;
            continue;
        }
        if (c == '*' || c == '^' || c == '-') {
            const double w = c == '*' ? style.emblemScale * cellW : 0.55 * cellW;
            const cv::Rect cell(static_cast<int>(std::lround(x)), top, static_cast<int>(std::lround(w)),
                                static_cast<int>(std::lround(charH)));
            if (c == '*')
                drawEmblem(out.bgr, cell, style, rng);
            else if (c == '^')
                drawStacked(out.bgr, cell, style, rng);
            else
                drawDash(out.bgr, cell, style);
            x += w + gap;
            continue;
        }
        cv::Mat mask = strokeAdjusted(glyphMask(style.typeface, c), style.stroke);
        const double scale = charH / mask.rows;
        const int glyphW = std::clamp(static_cast<int>(std::lround(mask.cols * scale * xScale)), 2, static_cast<int>(cellW));
        cv::resize(mask, mask, {glyphW, static_cast<int>(std::lround(charH))}, 0, 0, cv::INTER_AREA);
        const cv::Point at(static_cast<int>(std::lround(x + (cellW - glyphW) / 2)), top);
        if (style.emboss) drawEmbossed(out.bgr, mask, at, style);
        blendMask(out.bgr, mask, at, style.characters);
        out.characterBoxes.emplace_back(at, mask.size());
        x += cellW + gap;
    }
    if (style.sideGraphic && !out.characterBoxes.empty()) drawSideGraphic(out, style, rng);
    if (style.cornerStickers && !out.characterBoxes.empty()) drawCornerStickers(out, rng);
    if (style.bolts) drawBolts(out.bgr, style.boltInset, rng);
    cv::rectangle(out.bgr, cv::Rect(1, 1, W - 2, H - 2), cv::Scalar(120, 120, 120), 3, cv::LINE_AA);
    if (style.cover > 0) drawCover(out.bgr, style.cover, rng);
    drawFrame(out.bgr, style, rng);
    return out;
}

namespace {

void applyDirt(cv::Mat& plate, double dirt, Rng& rng) {
    if (dirt <= 0) return;
    const cv::Scalar mud = paintFor(plate, cv::Scalar(50, 80, 100));
    cv::Mat layer = plate.clone();
    const int blotches = static_cast<int>(4 + 40 * dirt);
    for (int i = 0; i < blotches; ++i) {
        const cv::Point centre(static_cast<int>(rng.uniform(0, plate.cols)), static_cast<int>(rng.uniform(0, plate.rows)));
        cv::circle(layer, centre, static_cast<int>(rng.uniform(4, 10 + 30 * dirt)), mud, cv::FILLED, cv::LINE_AA);
    }
    cv::addWeighted(plate, 1.0 - 0.5 * dirt, layer, 0.5 * dirt, 0, plate);
    cv::addWeighted(plate, 1.0 - 0.25 * dirt, solidImage(plate.size(), plate.type(), mud), 0.25 * dirt, 0, plate);
}

void applyOcclusion(cv::Mat& plate, double occlusion, Rng& rng) {
    if (occlusion <= 0) return;
    const int width = static_cast<int>(occlusion * plate.cols);
    const bool fromLeft = rng.uniform() < 0.5;
    const cv::Rect bar(fromLeft ? 0 : plate.cols - width, plate.rows / 5, width, plate.rows);
    cv::rectangle(plate, bar, paintFor(plate, cv::Scalar(25, 25, 28)), cv::FILLED);
}

// Homography from plate canvas pixels to image pixels, for a plate whose centre projects to
// the origin; a pinhole camera at 8 m, focal length chosen to give the plate width asked for.
cv::Matx33d plateToImage(const CaptureConditions& c) {
    const double d = 8.0, f = c.plateWidthPx * d / kPlateWidthMetres;
    const double yaw = c.yawDeg * CV_PI / 180, pitch = c.pitchDeg * CV_PI / 180, roll = c.rollDeg * CV_PI / 180;
    const cv::Matx33d Ry(std::cos(yaw), 0, std::sin(yaw), 0, 1, 0, -std::sin(yaw), 0, std::cos(yaw));
    const cv::Matx33d Rx(1, 0, 0, 0, std::cos(pitch), -std::sin(pitch), 0, std::sin(pitch), std::cos(pitch));
    const cv::Matx33d Rz(std::cos(roll), -std::sin(roll), 0, std::sin(roll), std::cos(roll), 0, 0, 0, 1);
    const cv::Matx33d R = Rz * Rx * Ry;
    const double metresPerPx = kPlateWidthMetres / kPlateCanvasWidth;
    // Canvas (u, v, 1) -> plate plane metres (X, Y, 1) -> camera (R [X Y 0] + t) -> image.
    const cv::Matx33d toMetres(metresPerPx, 0, -kPlateCanvasWidth / 2.0 * metresPerPx, 0, metresPerPx,
                               -kPlateCanvasHeight / 2.0 * metresPerPx, 0, 0, 1);
    const cv::Matx33d extrinsic(R(0, 0), R(0, 1), 0, R(1, 0), R(1, 1), 0, R(2, 0), R(2, 1), d);
    const cv::Matx33d intrinsic(f, 0, 0, 0, f, 0, 0, 0, 1);
    return intrinsic * extrinsic * toMetres;
}

// The vehicle's rear around the plate, in plate canvas units scaled by `scale`; `margin` is
// how much of it there is around the plate, in plate widths and heights.
struct VehicleRear {
    double scale = 1;
    cv::Size size;      // of the whole rear, in scene pixels
    cv::Point plateAt;  // the plate's top-left in the scene
    cv::Scalar body;    // the paint
};

VehicleRear planVehicleRear(double scale, cv::Point2d margin, Rng& rng) {
    const double W = kPlateCanvasWidth, H = kPlateCanvasHeight;
    auto px = [&](double v) { return static_cast<int>(std::lround(v * scale)); };
    VehicleRear rear;
    rear.scale = scale;
    rear.plateAt = {px(margin.x * W), px(margin.y * H)};
    rear.size = cv::Size(px((1 + 2 * margin.x) * W), px((1 + 2 * margin.y) * H));
    rear.body = cv::Scalar(rng.uniform(20, 230), rng.uniform(20, 230), rng.uniform(20, 230));
    return rear;
}

// The plate scaled to size: from the smallest of its grey levels at least that wide (a grey
// scene), else from its colour canvas.
cv::Mat scaledPlate(const PlateImage& plate, bool grey, cv::Size size) {
    const cv::Mat* from = &plate.bgr;
    if (grey) {
        from = &plate.greyLevels.front();
        for (const cv::Mat& level : plate.greyLevels) {
            if (level.cols >= size.width && level.rows >= size.height) from = &level;
        }
    }
    cv::Mat scaled;
    areaResize(*from, scaled, size);  // cv::resize's INTER_AREA pixels, faster in grey (area_resize.h)
    return scaled;
}

// The part `drawn` of the rear with the plate in it (the rest of the image is left unset), in
// colour or in grey: every part is drawn shifted by drawn's corner, which puts the same pixels
// where drawing the whole rear would.
cv::Mat drawVehicleRear(const PlateImage& plate, const VehicleRear& rear, const cv::Rect& drawn, bool grey) {
    const double W = kPlateCanvasWidth, H = kPlateCanvasHeight;
    auto px = [&](double v) { return static_cast<int>(std::lround(v * rear.scale)); };
    const cv::Point plateAt = rear.plateAt, shift = -drawn.tl();
    cv::Mat scene(rear.size, grey ? CV_8UC1 : CV_8UC3);
    const auto paint = [&](const cv::Scalar& bgr) { return paintFor(scene, bgr); };
    const cv::Scalar body = rear.body;
    cv::Mat part = scene(drawn);
    fillSolid(part, paint(body));
    // Vehicle parts, placed relative to the plate's top-left (u, v in plate canvas pixels).
    auto rect = [&](double u, double v, double w, double h) {
        return cv::Rect(plateAt.x + px(u) + shift.x, plateAt.y + px(v) + shift.y, px(w), px(h));
    };
    cv::rectangle(part, rect(-1.2 * W, -3.0 * H, 3.4 * W, 1.2 * H), paint(cv::Scalar(40, 35, 30)), cv::FILLED);
    cv::line(part, cv::Point(0, plateAt.y - px(1.4 * H)) + shift, cv::Point(rear.size.width, plateAt.y - px(1.4 * H)) + shift,
             paint(body * 0.6), std::max(1, px(6)));
    cv::rectangle(part, rect(-1.45 * W, -1.1 * H, 0.7 * W, 0.7 * H), paint(cv::Scalar(30, 30, 170)), cv::FILLED);
    cv::rectangle(part, rect(1.75 * W, -1.1 * H, 0.7 * W, 0.7 * H), paint(cv::Scalar(30, 30, 170)), cv::FILLED);
    cv::rectangle(part, rect(-2.0 * W, 1.5 * H, 5.0 * W, 1.0 * H), paint(body * 0.45), cv::FILLED);
    cv::rectangle(part, rect(-20, -20, W + 40, H + 40), paint(body * 0.7), cv::FILLED);
    const cv::Rect plateBox = cv::Rect(plateAt, cv::Size(px(W), px(H))) & drawn;
    if (!plateBox.empty()) scaledPlate(plate, grey, {px(W), px(H)})(plateBox - plateAt).copyTo(scene(plateBox));
    return scene;
}

cv::Mat drawStreetBackground(cv::Size size, Rng& rng) {
    cv::Mat bg(size, CV_8UC3);
    for (int y = 0; y < size.height; ++y) {
        const double t = double(y) / size.height;
        cv::Mat row = bg.row(y);
        fillSolid(row, t < 0.45 ? lerp({230, 200, 170}, {200, 190, 180}, t / 0.45) : cv::Scalar(95, 95, 100));
    }
    // Buildings, signs and other clutter: edges and text-like marks that are not plates.
    for (int i = 0; i < 25; ++i) {
        const cv::Rect r(static_cast<int>(rng.uniform(0, size.width)), static_cast<int>(rng.uniform(0, size.height * 0.6)),
                         static_cast<int>(rng.uniform(20, 300)), static_cast<int>(rng.uniform(20, 250)));
        cv::rectangle(bg, r, cv::Scalar(rng.uniform(40, 220), rng.uniform(40, 220), rng.uniform(40, 220)), cv::FILLED);
    }
    for (int i = 0; i < 6; ++i) {
        const cv::Point at(static_cast<int>(rng.uniform(0, size.width)), static_cast<int>(rng.uniform(20, size.height)));
        cv::putText(bg, i % 2 ? "STOP" : "ONE WAY", at, cv::FONT_HERSHEY_SIMPLEX, rng.uniform(0.5, 1.5),
                    cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)), 2, cv::LINE_AA);
    }
    return bg;
}

void applyLight(cv::Mat& image, const cv::Mat& plateMask, Light light, Rng& rng) {
    if (light == Light::Day) {
        image.convertTo(image, -1, rng.uniform(0.85, 1.1), rng.uniform(-10, 10));
        return;
    }
    if (light == Light::Dusk) {
        image.convertTo(image, -1, rng.uniform(0.35, 0.5), rng.uniform(5, 15));
        cv::add(image, paintFor(image, cv::Scalar(12, 4, 0)), image);  // a bluish cast
        return;
    }
    // Infrared at night: a grey image; the retroreflective plate shines under the IR flash,
    // the rest of the scene is dark.
    const bool colour = image.channels() == 3;
    cv::Mat grey = image;
    if (colour) cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    cv::Mat lit;
    grey.convertTo(lit, CV_32F);
    cv::Mat mask;
    plateMask.convertTo(mask, CV_32F, 1.0 / 255);
    const double sceneGain = rng.uniform(0.15, 0.3), plateGain = rng.uniform(0.8, 1.0);
    lit = lit.mul(sceneGain + (plateGain - sceneGain) * mask);
    lit.convertTo(grey, CV_8U);
    if (colour) cv::cvtColor(grey, image, cv::COLOR_GRAY2BGR);
}

void applyGlare(cv::Mat& image, const std::array<cv::Point2f, 4>& corners, double glare, double plateWidthPx, Rng& rng) {
    if (glare <= 0) return;
    const double u = rng.uniform(), v = rng.uniform(0.2, 0.8);
    const cv::Point2f top = corners[0] + (corners[1] - corners[0]) * u, bottom = corners[3] + (corners[2] - corners[3]) * u;
    const cv::Point2f centre = top + (bottom - top) * v;
    const double sigma = plateWidthPx * rng.uniform(0.1, 0.25);
    const cv::Rect box = cv::Rect(cv::Point(int(centre.x - 3 * sigma), int(centre.y - 3 * sigma)),
                                  cv::Size(int(6 * sigma) + 1, int(6 * sigma) + 1)) &
                         cv::Rect({0, 0}, image.size());
    const int channels = image.channels();
    for (int y = box.y; y < box.y + box.height; ++y) {
        uchar* row = image.ptr<uchar>(y);
        for (int x = box.x; x < box.x + box.width; ++x) {
            const double r2 = (x - centre.x) * (x - centre.x) + (y - centre.y) * (y - centre.y);
            const double add = 255.0 * glare * std::exp(-r2 / (2 * sigma * sigma));
            for (int ch = 0; ch < channels; ++ch) row[x * channels + ch] = cv::saturate_cast<uchar>(row[x * channels + ch] + add);
        }
    }
}

void applyRain(cv::Mat& image, double rain, Rng& rng) {
    if (rain <= 0) return;
    const int streaks = static_cast<int>(rain * image.total() / 400);
    cv::Mat layer = image.clone();
    for (int i = 0; i < streaks; ++i) {
        const cv::Point a(static_cast<int>(rng.uniform(0, image.cols)), static_cast<int>(rng.uniform(0, image.rows)));
        const double len = rng.uniform(4, 14);
        cv::line(layer, a, a + cv::Point(int(len * 0.25), int(len)), cv::Scalar(200, 200, 200), 1, cv::LINE_AA);
    }
    cv::addWeighted(image, 0.6, layer, 0.4, 0, image);
    const cv::Scalar mean = cv::mean(image);
    cv::addWeighted(image, 1.0 - 0.3 * rain, solidImage(image.size(), image.type(), mean), 0.3 * rain, 0, image);
}

void applyMotionBlur(cv::Mat& image, double lengthPx, Rng& rng) {
    if (lengthPx < 1.0) return;
    const int k = static_cast<int>(std::ceil(lengthPx)) | 1;
    cv::Mat kernel(k, k, CV_32F, cv::Scalar(0));
    const double angle = rng.uniform(0, CV_PI);
    const cv::Point2d c(k / 2.0, k / 2.0), d(std::cos(angle) * lengthPx / 2, std::sin(angle) * lengthPx / 2);
    cv::line(kernel, cv::Point(int(std::lround(c.x - d.x - 0.5)), int(std::lround(c.y - d.y - 0.5))),
             cv::Point(int(std::lround(c.x + d.x - 0.5)), int(std::lround(c.y + d.y - 0.5))), cv::Scalar(1.0), 1, cv::LINE_AA);
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(image, image, -1, kernel, {-1, -1}, 0, cv::BORDER_REPLICATE);
}

// Gaussian-like sensor noise: a sum of four uniforms per pixel (Irwin-Hall), one draw each.
void applyNoise(cv::Mat& image, double sigma, Rng& rng) {
    if (sigma <= 0) return;
    const double norm = sigma / std::sqrt(4.0 / 12.0);
    const bool grey = image.channels() == 3;
    (void)grey;
    for (int y = 0; y < image.rows; ++y) {
        uchar* row = image.ptr<uchar>(y);
        for (int x = 0; x < image.cols * image.channels(); ++x) {
            const uint64_t r = rng.next();
            const double sum = double(r & 0xffff) + double((r >> 16) & 0xffff) + double((r >> 32) & 0xffff) + double(r >> 48);
            row[x] = cv::saturate_cast<uchar>(row[x] + (sum / 65536.0 - 2.0) * norm);
        }
    }
}

// applyNoise's noise on a grey image: the same sum of four uniforms, each of 8 bits (one draw
// serves two pixels, not one a channel), added as the nearest whole grey level. Its sigma
// is that of the luminance of independent noise of this sigma in each colour channel, so that
// the grey capture is as noisy as the grey the reader makes of a colour one.
void applyLuminanceNoise(cv::Mat& image, double sigma, Rng& rng) {
    CV_Assert(image.type() == CV_8UC1);
    if (sigma <= 0) return;
    const double luminanceSigma = sigma * std::sqrt(0.114 * 0.114 + 0.587 * 0.587 + 0.299 * 0.299);
    const double norm = luminanceSigma / std::sqrt(4.0 / 12.0);
    // The noise for each sum of four bytes (0 .. 1020): uniforms (byte + 0.5) / 256.
    std::array<int16_t, 1021> offset{};
    for (size_t sum = 0; sum < offset.size(); ++sum)
        offset[sum] = static_cast<int16_t>(cvRound(((sum + 2.0) / 256.0 - 2.0) * norm));
    const auto byteSum = [](uint64_t four) {
        const uint64_t pairs = (four & 0x00ff00ffu) + ((four >> 8) & 0x00ff00ffu);
        return static_cast<size_t>((pairs & 0xffffu) + (pairs >> 16));
    };
    for (int y = 0; y < image.rows; ++y) {
        uchar* row = image.ptr<uchar>(y);
        for (int x = 0; x < image.cols; x += 2) {
            const uint64_t r = rng.next();
            row[x] = cv::saturate_cast<uchar>(row[x] + offset[byteSum(r & 0xffffffffu)]);
            if (x + 1 < image.cols) row[x + 1] = cv::saturate_cast<uchar>(row[x + 1] + offset[byteSum(r >> 32)]);
        }
    }
}

void applyJpeg(cv::Mat& image, int quality) {
    if (quality <= 0) return;
    if (image.type() == CV_8UC1) {  // the simulation's grey captures: the same pixels, no file
        jpegRoundTrip(image, std::clamp(quality, 1, 100));
        return;
    }
    std::vector<uchar> bytes;
    cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)});
    image = cv::imdecode(bytes, image.channels() == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
}

// How a scene is drawn: at twice the plate's pixel width in the image either way, so that the
// warp only ever shrinks it by about half (little aliasing). Detailed (renders for training,
// tests and tools): in colour, blurred a little (the plate's own print is sharper than any
// camera). Capture (the simulation's captures, renderCapture of a PlateImage): the luminance
// alone, unblurred (the warp's halving smooths as much), the plate scaled from its grey levels:
// a third of the cost, the reads alike (recognition/README.md, "Capture cost"). Drawn at the
// image's own size instead, more plates went unread (no-read 18.0% -> 21.1% of 1,500 captures).
enum class Drawing { Detailed, Capture };

// The plate drawn as asked and set in a vehicle's rear.
struct Scene {
    PlateImage plate;
    VehicleRear rear;
    cv::Matx33d sceneToPlate;  // scene pixels -> plate canvas pixels
    Drawing drawing = Drawing::Detailed;
};

// Everything of the scene that takes random draws, for a plate already drawn (shared: dirt
// and occlusion go on a copy); the rear is drawn by sceneImage, once the image's geometry says
// which part of it the camera sees.
Scene planScene(const PlateImage& plate, const CaptureConditions& c, cv::Point2d margin, Rng& rng,
                Drawing drawing = Drawing::Detailed) {
    Scene scene;
    scene.plate = plate;
    scene.drawing = drawing;
    cv::Mat* canvas = &scene.plate.bgr;
    if (drawing == Drawing::Capture) {
        if (plate.greyLevels.empty()) scene.plate.greyLevels = {greyOf(plate.bgr)};
        canvas = &scene.plate.greyLevels.front();
    }
    if (c.dirt > 0 || c.occlusion > 0) {  // on a copy of the full-size plate alone
        *canvas = canvas->clone();
        scene.plate.greyLevels.resize(std::min<size_t>(scene.plate.greyLevels.size(), 1));
    }
    applyDirt(*canvas, c.dirt, rng);
    applyOcclusion(*canvas, c.occlusion, rng);
    const double scale = std::clamp(2.0 * c.plateWidthPx / kPlateCanvasWidth, 0.05, 1.0);
    scene.rear = planVehicleRear(scale, margin, rng);
    const cv::Point plateAt = scene.rear.plateAt;
    scene.sceneToPlate = cv::Matx33d(1 / scale, 0, -plateAt.x / scale, 0, 1 / scale, -plateAt.y / scale, 0, 0, 1);
    return scene;
}

std::string shownText(const std::string& text, const PlateStyle& style) {
    // A standard serial is shown in its two groups on every Massachusetts design; a vanity
    // text as written.
    return isMassachusettsDesign(style.name) && isMassachusettsPlate(text) ? massachusettsDisplayText(text) : text;
}

Scene planScene(const std::string& text, const PlateStyle& style, const CaptureConditions& c, cv::Point2d margin, Rng& rng) {
    return planScene(renderPlate(shownText(text, style), style, rng), c, margin, rng);
}

// The part of a scene of `sceneSize` that warping it into an image of outSize by sceneToOut
// reads, with `margin` pixels more each side; the whole scene where the image reaches the
// scene plane's horizon.
cv::Rect seenPart(const cv::Matx33d& sceneToOut, cv::Size outSize, cv::Size sceneSize, int margin) {
    const cv::Rect whole({0, 0}, sceneSize);
    const cv::Matx33d outToScene = sceneToOut.inv();
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const cv::Point2d corner : {cv::Point2d(-1, -1), cv::Point2d(outSize.width, -1),
                                     cv::Point2d(outSize.width, outSize.height), cv::Point2d(-1, outSize.height)}) {
        const cv::Vec3d p = outToScene * cv::Vec3d(corner.x, corner.y, 1);
        if (!(p[2] > 1e-9)) return whole;
        x0 = std::min(x0, p[0] / p[2]);
        y0 = std::min(y0, p[1] / p[2]);
        x1 = std::max(x1, p[0] / p[2]);
        y1 = std::max(y1, p[1] / p[2]);
    }
    const auto clampInt = [](double v) { return static_cast<int>(std::clamp(v, -1e6, 1e6)); };
    const cv::Rect seen(cv::Point(clampInt(std::floor(x0)) - margin, clampInt(std::floor(y0)) - margin),
                        cv::Point(clampInt(std::ceil(x1)) + margin + 1, clampInt(std::ceil(y1)) + margin + 1));
    // A point off the scene reads its nearest edge (BORDER_REPLICATE), which this keeps.
    const cv::Rect part = seen & whole;
    return part.empty() ? whole : part;
}

// The scene's image as the warp by sceneToOut into outSize reads it: the rear drawn where the
// warp reads and, drawn in detail (Drawing), blurred a little, with the blur's reach around
// that. Only that part is drawn; the pixels are those of drawing (and blurring) the whole rear.
cv::Mat sceneImage(const Scene& scene, const cv::Matx33d& sceneToOut, cv::Size outSize) {
    constexpr double kSigma = 0.5;
    constexpr int kBlurReach = 2;  // cv::GaussianBlur's kernel for sigma 0.5 on 8 bits: 5 taps
    const cv::Rect read = seenPart(sceneToOut, outSize, scene.rear.size, 2);
    if (scene.drawing == Drawing::Capture) return drawVehicleRear(scene.plate, scene.rear, read, true);
    const cv::Rect drawn =
        cv::Rect(read.tl() - cv::Point(2 * kBlurReach, 2 * kBlurReach), read.size() + cv::Size(4 * kBlurReach, 4 * kBlurReach)) &
        cv::Rect({0, 0}, scene.rear.size);
    const cv::Mat rear = drawVehicleRear(scene.plate, scene.rear, drawn, false);
    // Blurred over `drawn` (whose outer kBlurReach pixels may differ from the whole rear's
    // blur), read over `read`, kBlurReach and more inside it.
    cv::Mat blurred(scene.rear.size, CV_8UC3);
    cv::Mat blurredPart = blurred(drawn);
    cv::GaussianBlur(rear(drawn), blurredPart, {0, 0}, kSigma, 0, cv::BORDER_REFLECT_101 | cv::BORDER_ISOLATED);
    return blurred;
}

RenderedCapture photograph(const Scene& scene, const CaptureConditions& c, const cv::Matx33d& plateToOut, cv::Size outSize,
                           cv::Mat background, Rng& rng) {
    RenderedCapture out;
    const bool grey = scene.drawing == Drawing::Capture;
    if (grey && !background.empty()) background = greyOf(background);
    const bool onBackground = !background.empty();
    const int border = onBackground ? cv::BORDER_TRANSPARENT : cv::BORDER_REPLICATE;
    out.image = onBackground ? background : cv::Mat(outSize, grey ? CV_8UC1 : CV_8UC3);
    const cv::Matx33d sceneToOut = plateToOut * scene.sceneToPlate;
    if (grey && !onBackground)  // cv::warpPerspective's pixels, faster (perspective_warp.h)
        warpPerspectiveGrey(sceneImage(scene, sceneToOut, outSize), out.image, sceneToOut, outSize);
    else
        cv::warpPerspective(sceneImage(scene, sceneToOut, outSize), out.image, cv::Mat(sceneToOut), outSize, cv::INTER_LINEAR,
                            border);

    std::vector<cv::Point2f> canvasCorners = {
        {0, 0}, {kPlateCanvasWidth, 0}, {kPlateCanvasWidth, kPlateCanvasHeight}, {0, kPlateCanvasHeight}};
    std::vector<cv::Point2f> imageCorners;
    cv::perspectiveTransform(canvasCorners, imageCorners, cv::Mat(plateToOut));
    std::copy(imageCorners.begin(), imageCorners.end(), out.plateCorners.begin());
    for (const cv::Rect& box : scene.plate.characterBoxes) {
        std::vector<cv::Point2f> corners = {
            box.tl(), {float(box.br().x), float(box.y)}, box.br(), {float(box.x), float(box.br().y)}};
        cv::perspectiveTransform(corners, corners, cv::Mat(plateToOut));
        out.characterBoxes.push_back(cv::boundingRect(corners));
    }

    cv::Mat plateMask;  // where the plate is: what the infrared flash lights
    if (c.light == Light::NightIR) {
        plateMask = cv::Mat(outSize, CV_8U, cv::Scalar(0));
        std::vector<cv::Point> poly;
        for (const auto& p : imageCorners) poly.emplace_back(cv::Point(int(std::lround(p.x)), int(std::lround(p.y))));
        cv::fillConvexPoly(plateMask, poly, cv::Scalar(255), cv::LINE_AA);
    }

    applyLight(out.image, plateMask, c.light, rng);
    applyGlare(out.image, out.plateCorners, c.glare, c.plateWidthPx, rng);
    applyRain(out.image, c.rain, rng);
    applyMotionBlur(out.image, c.motionBlurPx, rng);
    if (c.defocusSigma > 0) cv::GaussianBlur(out.image, out.image, {0, 0}, c.defocusSigma);
    const double nightNoise = c.light == Light::NightIR ? 3.0 : (c.light == Light::Dusk ? 2.0 : 0.0);
    if (grey)
        applyLuminanceNoise(out.image, c.noiseSigma + nightNoise, rng);
    else
        applyNoise(out.image, c.noiseSigma + nightNoise, rng);
    applyJpeg(out.image, c.jpegQuality);
    return out;
}

cv::Point2d sceneMargin(FrameKind kind) {
    return kind == FrameKind::FullFrame          ? cv::Point2d(1.5, 3.0)
           : kind == FrameKind::RegionOfInterest ? cv::Point2d(0.9, 1.6)
                                                 : cv::Point2d(0.2, 0.3);
}

// The camera's frame of the scene: its size and where the plate falls in it, then the photograph.
RenderedCapture frameScene(const Scene& scene, const CaptureConditions& c, FrameKind kind, cv::Size frameSize, Rng& rng) {
    cv::Size outSize;
    cv::Point2d plateCentre;
    cv::Mat background;
    if (kind == FrameKind::RegionOfInterest) {
        outSize = {static_cast<int>(std::lround(2.2 * c.plateWidthPx)), static_cast<int>(std::lround(1.4 * c.plateWidthPx))};
        plateCentre = {outSize.width / 2.0 + rng.uniform(-0.15, 0.15) * c.plateWidthPx,
                       outSize.height / 2.0 + rng.uniform(-0.1, 0.1) * c.plateWidthPx};
    } else if (kind == FrameKind::PlateCrop) {
        const double cropMargin = rng.uniform(0.0, 0.08);
        outSize = {static_cast<int>(std::lround((1.0 + cropMargin) * c.plateWidthPx)),
                   static_cast<int>(std::lround((0.5 + cropMargin) * c.plateWidthPx))};
        plateCentre = {outSize.width / 2.0 + rng.uniform(-0.02, 0.02) * c.plateWidthPx,
                       outSize.height / 2.0 + rng.uniform(-0.02, 0.02) * c.plateWidthPx};
    } else {
        outSize = frameSize;
        background = drawStreetBackground(frameSize, rng);
        plateCentre = {rng.uniform(0.25, 0.75) * frameSize.width, rng.uniform(0.45, 0.8) * frameSize.height};
    }
    const cv::Matx33d shift(1, 0, plateCentre.x, 0, 1, plateCentre.y, 0, 0, 1);
    return photograph(scene, c, shift * plateToImage(c), outSize, background, rng);
}

}  // namespace

RenderedCapture renderCapture(const std::string& text, const PlateStyle& style, const CaptureConditions& c, uint64_t seed,
                              FrameKind kind, cv::Size frameSize) {
    Rng rng = Rng::stream(seed, "render-capture");
    const Scene scene = planScene(text, style, c, sceneMargin(kind), rng);
    return frameScene(scene, c, kind, frameSize, rng);
}

PlateImage vehiclePlate(const std::string& text, const PlateStyle& style) {
    Rng rng = Rng::stream(fnv1a64(style.name, fnv1a64(text)), "vehicle-plate");
    PlateImage plate = renderPlate(shownText(text, style), style, rng);
    plate.greyLevels = {greyOf(plate.bgr)};
    for (int level = 1; level <= 3; ++level) {
        cv::Mat smaller;
        cv::resize(plate.greyLevels.back(), smaller, {kPlateCanvasWidth >> level, kPlateCanvasHeight >> level}, 0, 0,
                   cv::INTER_AREA);
        plate.greyLevels.push_back(smaller);
    }
    // The captures read the grey levels alone. The colour canvas, more than twice their size,
    // was most of the memory of the plates kept (VehiclePlates), and new memory is dear where a
    // page fault costs 16 us (a virtual machine): brookline-baseline in full mode without it,
    // 84,066 -> 36,366 page faults, peak 396 -> 215 MB.
    plate.bgr.release();
    return plate;
}

RenderedCapture renderCapture(const PlateImage& plate, const CaptureConditions& c, uint64_t seed, FrameKind kind,
                              cv::Size frameSize) {
    Rng rng = Rng::stream(seed, "render-capture");
    const Scene scene = planScene(plate, c, sceneMargin(kind), rng, Drawing::Capture);
    return frameScene(scene, c, kind, frameSize, rng);
}

std::shared_ptr<const PlateImage> VehiclePlates::of(const std::string& text, const PlateStyle& style) {
    const std::string key = style.name + '\n' + text;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = kept_.find(key); it != kept_.end()) {
            recent_.splice(recent_.begin(), recent_, it->second.second);
            return it->second.first;
        }
    }
    // Drawn outside the lock; two threads drawing one plate draw the same pixels.
    auto plate = std::make_shared<const PlateImage>(vehiclePlate(text, style));
    std::lock_guard lock(mutex_);
    if (kept_.count(key)) return plate;
    recent_.push_front(key);
    kept_.emplace(key, std::make_pair(plate, recent_.begin()));
    if (kept_.size() > capacity_) {
        kept_.erase(recent_.back());
        recent_.pop_back();
    }
    return plate;
}

RenderedCapture renderPlacedCrop(const std::string& text, const PlateStyle& style, const CaptureConditions& conditions,
                                 uint64_t seed, const CropPlacement& placement) {
    if (placement.size.width < 4 || placement.size.height < 4 || placement.characterBox.height < 2 ||
        placement.characterBox.width < 2) {
        throw std::invalid_argument("renderPlacedCrop: crop or character box too small");
    }
    Rng rng = Rng::stream(seed, "render-placed-crop");
    CaptureConditions c = conditions;
    // The plate drawn at the size that gives its characters the height asked for; its roll is
    // applied after the row is fitted to the box (fitting each axis apart would change the angle).
    c.plateWidthPx = 2.0 * placement.characterBox.height / std::max(0.2, style.charHeight);
    const double roll = c.rollDeg * CV_PI / 180;
    c.rollDeg = 0;
    const Scene scene = planScene(text, style, c, {1.2, 1.6}, rng);
    const cv::Matx33d H = plateToImage(c);
    if (scene.plate.characterBoxes.empty()) throw std::invalid_argument("renderPlacedCrop: no characters in '" + text + "'");
    cv::Rect row = scene.plate.characterBoxes.front();
    for (const cv::Rect& b : scene.plate.characterBoxes) row |= b;
    std::vector<cv::Point2f> corners = {row.tl(), {float(row.br().x), float(row.y)}, row.br(), {float(row.x), float(row.br().y)}};
    cv::perspectiveTransform(corners, corners, cv::Mat(H));
    const cv::Rect2f seen = cv::boundingRect(corners);
    // Scale each axis so the row fills the box asked for (width within a factor of 1.6 of the
    // height's scale: a face much narrower or wider than the crop's stays recognisably itself),
    // slant it by shearDeg about the row's centre, and put its centre on the box's.
    const double sy = placement.characterBox.height / std::max(1.0f, seen.height);
    const double sx = std::clamp(placement.characterBox.width / std::max(1.0f, seen.width), sy / 1.6, sy * 1.6);
    const double t = -std::tan(placement.shearDeg * CV_PI / 180);
    const cv::Point2d from(seen.x + seen.width / 2.0, seen.y + seen.height / 2.0);
    const cv::Point2d to(placement.characterBox.x + placement.characterBox.width / 2.0,
                         placement.characterBox.y + placement.characterBox.height / 2.0);
    // Fitted and slanted about the row's centre (x' = sx x + t sy y, y' = sy y), then turned by the
    // roll about the box's centre.
    const cv::Matx33d fromCentre(1, 0, -from.x, 0, 1, -from.y, 0, 0, 1), toCentre(1, 0, to.x, 0, 1, to.y, 0, 0, 1);
    const cv::Matx33d fit(sx, t * sy, 0, 0, sy, 0, 0, 0, 1);
    const cv::Matx33d turn(std::cos(roll), -std::sin(roll), 0, std::sin(roll), std::cos(roll), 0, 0, 0, 1);
    return photograph(scene, c, toCentre * turn * fit * fromCentre * H, placement.size, {}, rng);
}

}  // namespace alprsim::recognition
