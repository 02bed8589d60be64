#include "recognition/crop_measure.h"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace alprsim::recognition {
namespace {

struct Blob {
    cv::Rect box;
    int label;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<float> v, double p) {
    if (v.empty()) return 0;
    const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[k];
}

// Character-like blobs of a binary image (ink = 255).
std::vector<Blob> characterBlobs(const cv::Mat& ink, cv::Mat& labels) {
    cv::Mat stats, centroids;
    const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
    std::vector<Blob> blobs;
    const int H = ink.rows;
    for (int i = 1; i < n; ++i) {
        const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                           stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
        if (box.height < 0.25 * H || box.height > 0.95 * H || box.width > 1.4 * box.height) continue;
        if (box.width < 2 || stats.at<int>(i, cv::CC_STAT_AREA) < 0.1 * box.area()) continue;
        blobs.push_back({box, i});
    }
    return blobs;
}

// The chain of like blobs around seed: like height, centres on the seed's row, ordered by x.
std::vector<Blob> chainAround(const std::vector<Blob>& blobs, const Blob& seed) {
    std::vector<Blob> chain;
    const double h = seed.box.height, cy = seed.box.y + h / 2;
    for (const Blob& b : blobs) {
        const double ratio = b.box.height / h;
        if (ratio < 1 / 1.3 || ratio > 1.3) continue;
        if (std::abs(b.box.y + b.box.height / 2.0 - cy) > 0.35 * h) continue;
        chain.push_back(b);
    }
    std::sort(chain.begin(), chain.end(), [](const Blob& a, const Blob& b) { return a.box.x < b.box.x; });
    return chain;
}

struct Row {
    std::vector<Blob> blobs;
    cv::Mat labels;
    bool darkOnLight = true;
};

// The best chain over the four thresholdings: length nearest `count`, then the taller.
Row findRow(const cv::Mat& grey, int count) {
    Row best;
    double bestScore = 1e9;
    const int block = std::max(3, (grey.rows / 2) | 1);
    for (bool dark : {true, false}) {
        for (bool adaptive : {false, true}) {
            cv::Mat ink;
            const int type = dark ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY;
            if (adaptive)
                cv::adaptiveThreshold(grey, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, type, block, dark ? 8 : -8);
            else
                cv::threshold(grey, ink, 0, 255, type | cv::THRESH_OTSU);
            cv::Mat labels;
            const std::vector<Blob> blobs = characterBlobs(ink, labels);
            for (const Blob& seed : blobs) {
                std::vector<Blob> chain = chainAround(blobs, seed);
                double meanH = 0;
                for (const Blob& b : chain) meanH += b.box.height;
                meanH /= std::max<size_t>(1, chain.size());
                const double score = std::abs(static_cast<int>(chain.size()) - count) - meanH / (10.0 * grey.rows);
                if (score < bestScore) {
                    bestScore = score;
                    best = {std::move(chain), labels, dark};
                }
            }
        }
    }
    return best;
}

// Least-squares slope of the blobs' bottom centres, in degrees.
double rowAngle(const std::vector<Blob>& blobs) {
    if (blobs.size() < 2) return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const Blob& b : blobs) {
        const double x = b.box.x + b.box.width / 2.0, y = b.box.br().y;
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    const double n = static_cast<double>(blobs.size()), den = n * sxx - sx * sx;
    if (std::abs(den) < 1e-9) return 0;
    return std::atan((n * sxy - sx * sy) / den) * 180 / CV_PI;
}

// The slant that makes the vertical projection of the ink most peaked.
double shearAngle(const cv::Mat& rowInk) {
    double bestDeg = 0, bestScore = -1;
    std::vector<cv::Point> ink;
    cv::findNonZero(rowInk, ink);
    if (ink.empty()) return 0;
    const double cy = rowInk.rows / 2.0;
    for (int deg = -25; deg <= 25; ++deg) {
        const double t = std::tan(deg * CV_PI / 180);
        std::vector<int> columns(rowInk.cols + 2 * rowInk.rows + 2, 0);
        for (const cv::Point& p : ink) ++columns[static_cast<size_t>(std::lround(p.x + (p.y - cy) * t + rowInk.rows))];
        double score = 0;
        for (int c : columns) score += double(c) * c;
        if (score > bestScore + 1e-9) bestScore = score, bestDeg = deg;
    }
    return bestDeg;
}

int widestGap(const std::vector<Blob>& blobs) {
    if (blobs.size() < 3) return -1;
    std::vector<double> gaps;
    for (size_t i = 1; i < blobs.size(); ++i) gaps.push_back(blobs[i].box.x - blobs[i - 1].box.br().x);
    const auto widest = std::max_element(gaps.begin(), gaps.end());
    const double typical = std::max(1.0, median(gaps));
    return *widest >= 1.6 * typical && *widest > 2 ? static_cast<int>(widest - gaps.begin()) : -1;
}

// Small marks beside the chain (see the header): their count and where the first stands.
void measureSmallMarks(const Row& row, const cv::Rect& band, double charH, CropMeasure& m) {
    cv::Mat stats, centroids, labels;
    const cv::Mat ink = row.labels > 0;
    const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
    for (int i = 1; i < n; ++i) {
        const cv::Rect box(stats.at<int>(i, 0), stats.at<int>(i, 1), stats.at<int>(i, 2), stats.at<int>(i, 3));
        if (box.height < 0.2 * charH || box.height > 0.6 * charH || box.width > 0.9 * charH) continue;
        const double cx = box.x + box.width / 2.0, cy = box.y + box.height / 2.0;
        if (cy < band.y || cy > band.br().y || cx < band.x - 1.5 * charH || cx > band.br().x + 1.5 * charH) continue;
        int before = 0;
        bool over = false;
        for (const Blob& b : row.blobs) {
            over |= cx >= b.box.x && cx <= b.box.br().x;
            before += b.box.br().x <= cx;
        }
        if (over) continue;
        if (m.smallMarks++ == 0) m.smallMarkAt = before, m.smallMarkHeight = box.height / charH;
    }
}

void measureChainShape(const std::vector<Blob>& blobs, int count, CropMeasure& m) {
    std::vector<double> widths;
    for (const Blob& b : blobs) widths.push_back(b.box.width);
    const double typical = std::max(1.0, median(widths));
    for (double w : widths) m.mergedPairs += w >= 1.6 * typical;
    if (static_cast<int>(blobs.size()) != count + 1) return;
    double worst = -1;
    for (size_t i = 0; i < widths.size(); ++i) {
        const double off = std::abs(widths[i] - typical) / typical;
        if (off > worst) worst = off, m.extraAt = static_cast<int>(i);
    }
}

double greyOf(const cv::Scalar& bgr) { return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]; }

// Median colour of the pixels of `image` where mask is set.
cv::Scalar medianColour(const cv::Mat& bgr, const cv::Mat& mask) {
    std::vector<double> ch[3];
    for (int y = 0; y < bgr.rows; ++y) {
        for (int x = 0; x < bgr.cols; ++x) {
            if (!mask.at<uchar>(y, x)) continue;
            const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c) ch[c].push_back(p[c]);
        }
    }
    return {median(ch[0]), median(ch[1]), median(ch[2])};
}

void measureColours(const cv::Mat& bgr, const cv::Mat& grey, const Row& row, const cv::Rect& band, CropMeasure& m) {
    cv::Mat inkMask(bgr.size(), CV_8U, cv::Scalar(0));
    for (const Blob& b : row.blobs) inkMask(b.box).setTo(255, row.labels(b.box) == b.label);
    cv::Mat bandMask(bgr.size(), CV_8U, cv::Scalar(0));
    bandMask(band).setTo(255);
    cv::Mat grown;
    cv::dilate(inkMask, grown, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    const cv::Mat background = bandMask & ~grown;
    m.inkBgr = medianColour(bgr, inkMask);
    m.backgroundBgr = medianColour(bgr, background);
    const double inkGrey = greyOf(m.inkBgr), bgGrey = greyOf(m.backgroundBgr);
    m.contrast = std::abs(bgGrey - inkGrey) / 255.0;
    cv::Scalar mean, sd;
    cv::meanStdDev(grey, mean, sd, background);
    m.backgroundClutter = sd[0] / std::max(1.0, std::abs(bgGrey - inkGrey));
}

}  // namespace

double edgeWidth(const cv::Mat& grey, const cv::Rect& band, double contrastGrey) {
    const cv::Rect r = band & cv::Rect({0, 0}, grey.size());
    if (r.area() < 9 || contrastGrey < 1) return 0;
    cv::Mat g;
    grey(r).convertTo(g, CV_32F);
    cv::Mat gx, gy, mag;
    cv::Scharr(g, gx, CV_32F, 1, 0, 1.0 / 32);
    cv::Scharr(g, gy, CV_32F, 0, 1, 1.0 / 32);
    cv::magnitude(gx, gy, mag);
    std::vector<float> values(mag.begin<float>(), mag.end<float>());
    // Edge pixels: the strongest tenth of the band's gradients; their 90th percentile is the peak slope.
    const double cut = percentile(values, 0.9);
    std::vector<float> edges;
    for (float v : values) {
        if (v >= cut) edges.push_back(v);
    }
    const double slope = percentile(edges, 0.9);
    return slope > 0 ? contrastGrey / slope : 0;
}

double noiseSigma(const cv::Mat& grey) {
    if (grey.rows < 3 || grey.cols < 3) return 0;
    cv::Mat g;
    grey.convertTo(g, CV_32F);
    const cv::Mat kernel = (cv::Mat_<float>(3, 3) << 1, -2, 1, -2, 4, -2, 1, -2, 1);
    cv::Mat response, gx, gy, mag;
    cv::filter2D(g, response, CV_32F, kernel);
    cv::Sobel(g, gx, CV_32F, 1, 0);
    cv::Sobel(g, gy, CV_32F, 0, 1);
    cv::magnitude(gx, gy, mag);
    const cv::Rect inner(1, 1, g.cols - 2, g.rows - 2);
    const cv::Mat innerMag = mag(inner).clone();  // continuous, for its iterators
    std::vector<float> mags(innerMag.begin<float>(), innerMag.end<float>());
    const double flat = percentile(mags, 0.8);
    double sum = 0;
    size_t n = 0;
    for (int y = 1; y < g.rows - 1; ++y) {
        for (int x = 1; x < g.cols - 1; ++x) {
            if (mag.at<float>(y, x) > flat) continue;
            sum += std::abs(response.at<float>(y, x));
            ++n;
        }
    }
    return n ? std::sqrt(CV_PI / 2) / 6.0 * sum / n : 0;
}

CropMeasure measureCrop(const cv::Mat& image, int characterCount) {
    if (image.empty()) throw std::invalid_argument("measureCrop: empty image");
    if (characterCount < 1) throw std::invalid_argument("measureCrop: character count must be at least 1");
    cv::Mat bgr = image, grey;
    if (image.channels() == 1)
        cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    CropMeasure m;
    m.cropSize = bgr.size();
    m.characterCount = characterCount;
    m.noiseSigma = noiseSigma(grey);
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    m.saturation = cv::mean(hsv)[1] / 255.0;

    const Row row = findRow(grey, characterCount);
    m.blobsFound = static_cast<int>(row.blobs.size());
    m.rowFound = m.blobsFound >= std::max(2, characterCount / 2);
    if (!m.rowFound) {  // guesses: a row through the middle, half the crop's height
        m.characterHeightPx = 0.5 * grey.rows;
        m.characterBox = {0.1 * grey.cols, 0.25 * grey.rows, 0.8 * grey.cols, 0.5 * grey.rows};
        m.inkBgr = cv::Scalar::all(40);
        m.backgroundBgr = cv::Scalar::all(220);
        m.contrast = 180 / 255.0;
        m.edgeWidthPx = edgeWidth(grey, cv::Rect(m.characterBox), 180);
        return m;
    }
    std::vector<double> heights;
    cv::Rect box = row.blobs.front().box;
    for (const Blob& b : row.blobs) heights.push_back(b.box.height), box |= b.box;
    m.characterHeightPx = median(heights);
    m.characterBox = box;
    m.darkOnLight = row.darkOnLight;
    m.rowAngleDeg = rowAngle(row.blobs);
    m.groupGapAfter = widestGap(row.blobs);
    const int pad = static_cast<int>(std::lround(0.1 * m.characterHeightPx));
    const cv::Rect band =
        cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) & cv::Rect({0, 0}, grey.size());
    cv::Mat rowInk(grey.size(), CV_8U, cv::Scalar(0));
    for (const Blob& b : row.blobs) rowInk(b.box).setTo(255, row.labels(b.box) == b.label);
    m.shearDeg = shearAngle(rowInk(band));
    measureColours(bgr, grey, row, band, m);
    m.edgeWidthPx = edgeWidth(grey, band, m.contrast * 255);
    cv::Mat lap;
    cv::Laplacian(grey(band), lap, CV_32F);
    cv::Scalar mean, sd;
    cv::meanStdDev(lap, mean, sd);
    m.laplacianVariance = sd[0] * sd[0] / std::max(1.0, std::pow(m.contrast * 255, 2));
    measureSmallMarks(row, band, m.characterHeightPx, m);
    measureChainShape(row.blobs, characterCount, m);
    return m;
}

std::string cropMeasureCsvHeader() {
    return "width,height,characters,row_found,blobs,char_height_px,char_x,char_y,char_w,char_h,row_angle_deg,shear_deg,"
           "group_gap_after,small_marks,small_mark_at,extra_at,merged_pairs,ink_b,ink_g,ink_r,bg_b,bg_g,bg_r,dark_on_light,"
           "contrast,background_clutter,"
           "edge_width_px,laplacian_variance,noise_sigma,saturation";
}

std::string cropMeasureCsvRow(const CropMeasure& m) {
    return fmt::format(
        "{},{},{},{},{},{:.2f},{:.1f},{:.1f},{:.1f},{:.1f},{:.2f},{:.0f},"  // size, chain and its geometry
        "{},{},{},{},{},"                                                   // groups and small marks
        "{:.0f},{:.0f},{:.0f},{:.0f},{:.0f},{:.0f},{},"                     // colours
        "{:.3f},{:.3f},{:.3f},{:.4f},{:.3f},{:.3f}",                        // contrast, clutter, sharpness, noise
        m.cropSize.width, m.cropSize.height, m.characterCount, m.rowFound ? 1 : 0, m.blobsFound, m.characterHeightPx,
        m.characterBox.x, m.characterBox.y, m.characterBox.width, m.characterBox.height, m.rowAngleDeg, m.shearDeg,
        m.groupGapAfter, m.smallMarks, m.smallMarkAt, m.extraAt, m.mergedPairs, m.inkBgr[0], m.inkBgr[1], m.inkBgr[2],
        m.backgroundBgr[0], m.backgroundBgr[1], m.backgroundBgr[2], m.darkOnLight ? 1 : 0, m.contrast, m.backgroundClutter,
        m.edgeWidthPx, m.laplacianVariance, m.noiseSigma, m.saturation);
}

}  // namespace alprsim::recognition
