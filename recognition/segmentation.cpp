#include "recognition/segmentation.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cfloat>
#include <climits>
#include <cstdint>
#include <cstring>
#include <numeric>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/median.h"
#include "recognition/area_resize.h"

namespace alprsim::recognition {
namespace {

struct Blob {
    cv::Rect box;
    double cy() const { return box.y + box.height / 2.0; }
};

// Bounding box and pixel count of each connected component (8-connected) of a binary image,
// in the raster order of their first pixels. Labelled by runs of ink, not pixels: a row's run
// is one component (its pixels touch) and joins the runs of the row above that it touches
// (union-find), which takes a third of the time of cv::connectedComponents and a scan of its
// labels for the boxes; this is the reader's hottest path. Rows are scanned 64 pixels at a time
// (forEachRun): read 0.759 -> 0.664 ms a capture on brookline-baseline's captures, the same reads.
struct ComponentStats {
    int minX, minY, maxX, maxY, area;
};

// Bit i set where pixel x0 + i of the row is ink, for the (up to) 64 pixels from x0; pixels at
// or past width read as background.
uint64_t inkMask(const uchar* ink, int x0, int width) {
    alignas(16) uchar tail[64];
    if (x0 + 64 > width) {  // the row's last pixels, padded with background
        std::memset(tail, 0, sizeof tail);
        std::memcpy(tail, ink + x0, static_cast<size_t>(width - x0));
        ink = tail;
        x0 = 0;
    }
#if defined(__SSE2__)
    uint64_t background = 0;
    const __m128i zero = _mm_setzero_si128();
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ink + x0 + 16 * k));
        background |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)))) << (16 * k);
    }
    return ~background;
#else
    uint64_t mask = 0;
    for (int i = 0; i < 64; ++i) mask |= static_cast<uint64_t>(ink[x0 + i] != 0) << i;
    return mask;
#endif
}

// Calls emit(start, end) for each run of ink [start, end) of a row, left to right: 64 pixels
// at a time, a run's ends where the ink mask changes.
template <class Emit>
void forEachRun(const uchar* ink, int width, Emit&& emit) {
    uint64_t previous = 0;  // whether the pixel before the chunk is ink
    int start = 0;
    for (int x0 = 0; x0 < width; x0 += 64) {
        const uint64_t m = inkMask(ink, x0, width);
        const uint64_t before = (m << 1) | previous;  // bit i: pixel i - 1 is ink
        uint64_t changes = m ^ before;                // a run starts (m) or ends (!m) at bit i
        previous = m >> 63;
        while (changes) {
            const int bit = __builtin_ctzll(changes);
            changes &= changes - 1;
            if ((m >> bit) & 1)
                start = x0 + bit;
            else
                emit(start, x0 + bit);
        }
    }
    if (previous) emit(start, width);
}

std::vector<ComponentStats> componentStats(const cv::Mat& binary) {
    // Each run takes the label of the first run above that it touches, or a new one; the labels
    // of the other runs above it touches join its own (union-find, every root its set's
    // earliest label). Each label gathers the stats of its own runs, added into its root's at
    // the end: no list of all runs and no second pass over them; the same components.
    struct Run {
        int start, end, label;  // columns [start, end)
    };
    std::vector<Run> above, here;  // the previous row's runs and this row's
    std::vector<int> parent;       // per label
    std::vector<ComponentStats> stats;
    const auto root = [&](int l) {
        while (parent[static_cast<size_t>(l)] != l)
            l = parent[static_cast<size_t>(l)] = parent[static_cast<size_t>(parent[static_cast<size_t>(l)])];
        return l;
    };
    for (int y = 0; y < binary.rows; ++y) {
        here.clear();
        size_t first = 0;  // the first run above that may touch this row's next run
        forEachRun(binary.ptr<uchar>(y), binary.cols, [&](int start, int end) {
            // Runs above that touch this one, diagonals included.
            while (first < above.size() && above[first].end < start) ++first;
            int label = -1;
            for (size_t a = first; a < above.size() && above[a].start <= end; ++a) {
                if (label < 0) {
                    label = above[a].label;
                    continue;
                }
                const int ra = root(above[a].label), rl = root(label);
                if (ra != rl) parent[static_cast<size_t>(std::max(ra, rl))] = std::min(ra, rl);
            }
            if (label < 0) {
                label = static_cast<int>(parent.size());
                parent.push_back(label);
                stats.push_back({INT32_MAX, y, -1, y, 0});
            }
            ComponentStats& c = stats[static_cast<size_t>(label)];
            c.minX = std::min(c.minX, start);
            c.maxX = std::max(c.maxX, end - 1);
            c.maxY = y;  // rows come in order; minY is the label's first row
            c.area += end - start;
            here.push_back({start, end, label});
        });
        std::swap(above, here);
    }
    // Components in the order of their first runs (raster order): the roots, in label order.
    std::vector<ComponentStats> components;
    std::vector<int> slot(parent.size(), -1);  // per root label: its component's index
    for (size_t l = 0; l < parent.size(); ++l) {
        const int top = root(static_cast<int>(l));
        const ComponentStats& own = stats[l];
        int& at = slot[static_cast<size_t>(top)];
        if (at < 0) {
            at = static_cast<int>(components.size());
            components.push_back(own);
            continue;
        }
        ComponentStats& c = components[static_cast<size_t>(at)];
        c.minX = std::min(c.minX, own.minX);
        c.maxX = std::max(c.maxX, own.maxX);
        c.minY = std::min(c.minY, own.minY);
        c.maxY = std::max(c.maxY, own.maxY);
        c.area += own.area;
    }
    return components;
}

// Components of the binary image that could be characters of a plate of this height.
// maxAspect: the widest blob kept, in heights (wider ones are touching characters).
std::vector<Blob> characterBlobs(const cv::Mat& binary, double maxAspect = 1.6) {
    const std::vector<ComponentStats> stats = componentStats(binary);
    std::vector<Blob> blobs;
    const int H = binary.rows;
    for (const ComponentStats& c : stats) {
        const cv::Rect box(c.minX, c.minY, c.maxX - c.minX + 1, c.maxY - c.minY + 1);
        const double fill = double(c.area) / box.area();
        if (box.height < std::max(10, H / 10) || box.height > H * 0.92) continue;
        if (box.width > box.height * maxAspect || box.width * 12 < box.height) continue;
        // Solid blobs are not characters, except a narrow bar (a sans-serif 1 or I).
        if (fill < 0.12 || (fill > 0.92 && box.width > 0.3 * box.height)) continue;
        blobs.push_back({box});
    }
    // Left to right, ties top to bottom: an order that does not depend on how components are labelled.
    std::sort(blobs.begin(), blobs.end(),
              [](const Blob& a, const Blob& b) { return a.box.x != b.box.x ? a.box.x < b.box.x : a.box.y < b.box.y; });
    return blobs;
}

bool sameRow(const Blob& a, const Blob& b) {
    const double ha = a.box.height, hb = b.box.height;
    if (std::max(ha, hb) > 1.3 * std::min(ha, hb)) return false;
    const double h = std::max(ha, hb);
    if (std::abs(a.cy() - b.cy()) > 0.3 * h) return false;
    const double gapX = b.box.x - (a.box.x + a.box.width);
    return gapX > -0.15 * h && gapX < 1.6 * h;
}

// The best chain of blobs of like height on one line, read left to right.
std::vector<Blob> bestRow(const std::vector<Blob>& blobs) {
    std::vector<Blob> best;
    double bestScore = 0;
    for (size_t start = 0; start < blobs.size(); ++start) {
        std::vector<Blob> row = {blobs[start]};
        for (size_t j = start + 1; j < blobs.size(); ++j) {
            if (sameRow(row.back(), blobs[j])) row.push_back(blobs[j]);
        }
        std::vector<double> heights;
        for (const Blob& b : row) heights.push_back(b.box.height);
        // A plate's registration is its largest text: rows of big blobs win over longer rows
        // of small ones (the state name, the slogan).
        const double h = median(heights);
        const double score = row.size() >= 2 ? std::min<double>(row.size(), 9) * h * h : 0;
        if (score > bestScore) {
            bestScore = score;
            best = row;
        }
    }
    return best;
}

// Blobs much wider than the row's characters are touching characters: split them evenly.
std::vector<Blob> splitTouching(const std::vector<Blob>& row) {
    std::vector<double> widths;
    for (const Blob& b : row) widths.push_back(b.box.width);
    const double typical = median(widths);
    std::vector<Blob> out;
    for (const Blob& b : row) {
        const int parts = static_cast<int>(std::lround(b.box.width / typical));
        if (row.size() >= 3 && parts >= 2 && parts <= 3 && b.box.width > 0.8 * b.box.height) {
            for (int k = 0; k < parts; ++k) {
                const int x0 = b.box.x + b.box.width * k / parts, x1 = b.box.x + b.box.width * (k + 1) / parts;
                out.push_back({cv::Rect(x0, b.box.y, x1 - x0, b.box.height)});
            }
        } else {
            out.push_back(b);
        }
    }
    return out;
}

// The band of rows the characters occupy: the run of rows where ink starts most often across
// (characters cross a row several times each; a frame band, a sticker or a slogan in small
// letters less often or over fewer rows). False if there is no such run.
bool characterBand(const cv::Mat& binary, int& y0, int& y1) {
    const int H = binary.rows;
    std::vector<double> starts(static_cast<size_t>(H), 0.0);
    for (int y = 0; y < H; ++y) {
        const uchar* p = binary.ptr<uchar>(y);
        int n = 0;
        for (int x = 1; x < binary.cols; ++x) n += p[x] != 0 && p[x - 1] == 0;
        starts[static_cast<size_t>(y)] = n;
    }
    std::vector<double> smooth(starts.size());
    double peak = 0;
    for (int y = 0; y < H; ++y) {
        double sum = 0;
        int k = 0;
        for (int d = -2; d <= 2; ++d) {
            if (y + d < 0 || y + d >= H) continue;
            sum += starts[static_cast<size_t>(y + d)];
            ++k;
        }
        smooth[static_cast<size_t>(y)] = sum / k;
        peak = std::max(peak, smooth[static_cast<size_t>(y)]);
    }
    if (peak < 3) return false;
    const double floor = 0.4 * peak;
    double best = 0;
    for (int y = 0; y < H;) {
        if (smooth[static_cast<size_t>(y)] < floor) {
            ++y;
            continue;
        }
        int end = y;
        double sum = 0;
        while (end < H && smooth[static_cast<size_t>(end)] >= floor) sum += smooth[static_cast<size_t>(end++)];
        if (sum > best) {
            best = sum;
            y0 = y;
            y1 = end;
        }
        y = end;
    }
    if (best <= 0 || y1 - y0 < std::max(8, H / 6)) return false;
    const int pad = std::max(1, (y1 - y0) / 12);
    y0 = std::max(0, y0 - pad);
    y1 = std::min(H, y1 + pad);
    return true;
}

// Blobs of touching characters (wider than the row's characters) cut into as many as their
// width holds, each cut at the column with the least ink near where an even split would put it.
std::vector<Blob> cutTouching(const std::vector<Blob>& row, const cv::Mat& binary) {
    std::vector<double> narrow, heights;
    for (const Blob& b : row) {
        heights.push_back(b.box.height);
        if (b.box.width <= 0.9 * b.box.height && b.box.width >= 0.25 * b.box.height) narrow.push_back(b.box.width);
    }
    const double h = median(heights);
    const double typical = narrow.size() >= 2 ? median(narrow) : 0.55 * h;
    std::vector<Blob> out;
    for (const Blob& b : row) {
        const int parts = std::min(8, static_cast<int>(std::lround(b.box.width / (1.1 * typical))));
        if (parts < 2 || b.box.width < 0.8 * b.box.height) {
            out.push_back(b);
            continue;
        }
        std::vector<int> ink(static_cast<size_t>(b.box.width), 0);
        for (int y = b.box.y; y < b.box.y + b.box.height; ++y) {
            const uchar* p = binary.ptr<uchar>(y);
            for (int x = 0; x < b.box.width; ++x) ink[static_cast<size_t>(x)] += p[b.box.x + x] != 0;
        }
        std::vector<int> cuts = {0};
        const double step = double(b.box.width) / parts;
        for (int k = 1; k < parts; ++k) {
            const int centre = static_cast<int>(std::lround(k * step)), reach = std::max(1, static_cast<int>(0.3 * step));
            int at = centre;
            for (int x = std::max(cuts.back() + 2, centre - reach); x <= std::min(b.box.width - 2, centre + reach); ++x) {
                if (ink[static_cast<size_t>(x)] < ink[static_cast<size_t>(at)]) at = x;
            }
            cuts.push_back(at);
        }
        cuts.push_back(b.box.width);
        for (size_t k = 0; k + 1 < cuts.size(); ++k) {
            if (cuts[k + 1] - cuts[k] < 2) continue;
            out.push_back({cv::Rect(b.box.x + cuts[k], b.box.y, cuts[k + 1] - cuts[k], b.box.height)});
        }
    }
    return out;
}

}  // namespace

cv::Mat meanThreshold(const cv::Mat& grey, int block, bool lightOnDark) {
    cv::Mat mean, binary(grey.size(), CV_8U);
    cv::boxFilter(grey, mean, CV_8U, {block, block}, {-1, -1}, true, cv::BORDER_REPLICATE | cv::BORDER_ISOLATED);
    const int cols = grey.cols;
    for (int y = 0; y < grey.rows; ++y) {
        // Bytes, saturating differences and pointers that alias nothing: the loops run a vector
        // of pixels at a time.
        const uchar* __restrict g = grey.ptr<uchar>(y);
        const uchar* __restrict m = mean.ptr<uchar>(y);
        uchar* __restrict b = binary.ptr<uchar>(y);
        if (lightOnDark) {
            for (int x = 0; x < cols; ++x) b[x] = static_cast<uchar>(g[x] > m[x] && g[x] - m[x] > kInkContrast ? 255 : 0);
        } else {
            for (int x = 0; x < cols; ++x) b[x] = static_cast<uchar>(m[x] > g[x] && m[x] - g[x] >= kInkContrast ? 255 : 0);
        }
    }
    return binary;
}

namespace {

// Otsu's threshold of a histogram of 8-bit levels: the level that splits it with the largest
// between-class variance (ties: the lowest). OpenCV's getThreshVal_Otsu_8u, the same doubles in
// the same order, so the same level as cv::threshold(..., THRESH_OTSU).
int otsuLevel(const std::array<int, 256>& histogram, int pixels) {
    const double scale = 1.0 / pixels;
    double mu = 0;
    for (int i = 0; i < 256; ++i) mu += i * static_cast<double>(histogram[static_cast<size_t>(i)]);
    mu *= scale;
    double mu1 = 0, q1 = 0, maxSigma = 0;
    int level = 0;
    for (int i = 0; i < 256; ++i) {
        const double p = histogram[static_cast<size_t>(i)] * scale;
        mu1 *= q1;
        q1 += p;
        const double q2 = 1.0 - q1;
        if (std::min(q1, q2) < FLT_EPSILON || std::max(q1, q2) > 1.0 - FLT_EPSILON) continue;
        mu1 = (mu1 + i * p) / q1;
        const double mu2 = (mu - q1 * mu1) / q2;
        const double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
        if (sigma > maxSigma) {
            maxSigma = sigma;
            level = i;
        }
    }
    return level;
}

// The mean of the levels in [from, to) of a histogram, as cv::mean over a mask gives it (the sum
// times the reciprocal of the count); 0 where there are none.
double meanLevel(const std::array<int, 256>& histogram, int from, int to) {
    int64_t sum = 0, count = 0;
    for (int i = from; i < to; ++i) {
        sum += static_cast<int64_t>(i) * histogram[static_cast<size_t>(i)];
        count += histogram[static_cast<size_t>(i)];
    }
    return count ? static_cast<double>(sum) * (1.0 / static_cast<double>(count)) : 0.0;
}

}  // namespace

cv::Mat normaliseGlyph(const cv::Mat& grey, const cv::Rect& box, bool lightOnDark) {
    const int margin = std::max(1, box.height / 12);
    const cv::Rect padded =
        cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) & cv::Rect({0, 0}, grey.size());
    cv::Mat patch = grey(padded).clone();
    if (lightOnDark) cv::bitwise_not(patch, patch);
    // Ink to black and ground to white by their typical levels (either side of Otsu's
    // threshold), not by the extremes: highlights, smudges and shading on real plates would
    // otherwise leave the ground grey and uneven. The threshold and both means from one
    // histogram (cv::threshold with THRESH_OTSU and cv::mean under its mask and the inverse
    // gave the same numbers in three passes and two masks).
    std::array<int, 256> histogram{};
    for (int y = 0; y < patch.rows; ++y) {
        const uchar* row = patch.ptr<uchar>(y);
        for (int x = 0; x < patch.cols; ++x) ++histogram[row[x]];
    }
    const int split = otsuLevel(histogram, patch.rows * patch.cols);
    const double ground = meanLevel(histogram, split + 1, 256);
    const double ink = meanLevel(histogram, 0, split + 1);
    const double range = std::max(8.0, ground - ink);
    patch.convertTo(patch, CV_8U, 255.0 / range, -ink * 255.0 / range);
    const double scale = double(kGlyphHeight) / patch.rows;
    const int width = std::clamp(static_cast<int>(std::lround(patch.cols * scale)), 1, kGlyphWidth);
    cv::Mat resized;
    areaResize(patch, resized, {width, kGlyphHeight});  // cv::resize's INTER_AREA, faster
    cv::Mat glyph(kGlyphHeight, kGlyphWidth, CV_8U, cv::Scalar(255));
    resized.copyTo(glyph(cv::Rect((kGlyphWidth - width) / 2, 0, width, kGlyphHeight)));
    return glyph;
}

PreparedRegion prepareRegion(const cv::Mat& greyRegion) {
    // Work at a height where strokes are a few pixels wide whatever the input size.
    PreparedRegion out;
    out.scale = std::clamp(160.0 / greyRegion.rows, 0.5, 4.0);
    // Within 10% of the working height the region is used as it is: a resize by a factor near
    // one costs more than the whole thresholding and blurs for nothing.
    if (std::abs(out.scale - 1.0) <= 0.1) {
        out.scale = 1.0;
        out.grey = greyRegion.clone();
    } else {
        cv::resize(greyRegion, out.grey, {}, out.scale, out.scale, out.scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    // Dusk and haze leave little contrast: stretch it so that one threshold offset fits all.
    cv::normalize(out.grey, out.grey, 0, 255, cv::NORM_MINMAX);
    return out;
}

bool findCharacterRow(const PreparedRegion& region, int attempt, CharacterRow& out, bool withGlyphs) {
    const cv::Mat& grey = region.grey;
    const double scale = region.scale;
    const bool banded = attempt >= kPlainRowAttempts;
    const int thresholding = attempt % kPlainRowAttempts;
    const bool lightOnDark = lightOnDarkAttempt(attempt);
    const int block = thresholding % 2 == 0 ? grey.rows / 4 : grey.rows / 8;
    cv::Mat binary = meanThreshold(grey, std::max(11, block) | 1, lightOnDark);
    std::vector<Blob> row;
    if (banded) {
        int y0 = 0, y1 = 0;
        if (!characterBand(binary, y0, y1)) return false;
        if (y0 > 0) binary.rowRange(0, y0).setTo(0);
        if (y1 < binary.rows) binary.rowRange(y1, binary.rows).setTo(0);
        // Blobs at least half the band tall; wide ones are touching characters.
        std::vector<Blob> blobs;
        for (const Blob& b : characterBlobs(binary, 8.0)) {
            if (b.box.height >= 0.5 * (y1 - y0)) blobs.push_back(b);
        }
        row = bestRow(blobs);
        if (row.empty()) {  // all the characters may be one blob
            for (const Blob& b : blobs) {
                if (b.box.width >= 1.5 * b.box.height && (row.empty() || b.box.width > row[0].box.width)) row = {b};
            }
        }
        if (row.empty()) return false;
        row = cutTouching(row, binary);
        if (row.size() < 2) return false;
    } else {
        row = bestRow(characterBlobs(binary));
        if (row.size() < 2) return false;
        row = splitTouching(row);
    }
    out = CharacterRow{};
    out.lightOnDark = lightOnDark;
    std::vector<double> heights;
    for (const Blob& b : row) {
        if (withGlyphs) out.glyphs.push_back(normaliseGlyph(grey, b.box, lightOnDark));
        out.workingBoxes.push_back(b.box);
        const cv::Rect original(int(b.box.x / scale), int(b.box.y / scale), int(std::ceil(b.box.width / scale)),
                                int(std::ceil(b.box.height / scale)));
        out.boxes.push_back(original);
        heights.push_back(original.height);
    }
    out.medianHeight = median(heights);
    return true;
}

std::vector<cv::Rect> inkComponents(const PreparedRegion& region, bool lightOnDark) {
    const cv::Mat binary = meanThreshold(region.grey, std::max(11, region.grey.rows / 4) | 1, lightOnDark);
    std::vector<cv::Rect> boxes;
    for (const ComponentStats& c : componentStats(binary))
        boxes.emplace_back(c.minX, c.minY, c.maxX - c.minX + 1, c.maxY - c.minY + 1);
    std::sort(boxes.begin(), boxes.end(),
              [](const cv::Rect& a, const cv::Rect& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; });
    return boxes;
}

std::vector<CharacterRow> findCharacterRows(const cv::Mat& greyRegion) {
    const PreparedRegion region = prepareRegion(greyRegion);
    std::vector<CharacterRow> rows;
    for (int attempt = 0; attempt < kPlainRowAttempts; ++attempt) {
        CharacterRow row;
        if (findCharacterRow(region, attempt, row)) rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace alprsim::recognition
