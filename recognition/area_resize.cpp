#include "recognition/area_resize.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace alprsim::recognition {
namespace {

// One source pixel's share of one output pixel.
struct Share {
    int source, output;
    float weight;
};

// The shares of an axis of `sourceSize` pixels shrunk to `outputSize` by `scale` source pixels
// an output pixel: the source pixels each output pixel's cell covers, in order, a partly
// covered one at each end weighted by the part covered (OpenCV's area tables: the same
// doubles, the same thresholds, the weights rounded to float as it rounds them).
std::vector<Share> areaShares(int sourceSize, int outputSize, double scale) {
    std::vector<Share> shares;
    for (int d = 0; d < outputSize; ++d) {
        const double from = d * scale, to = from + scale;
        const double cellWidth = std::min(scale, sourceSize - from);
        int first = static_cast<int>(std::ceil(from)), last = static_cast<int>(std::floor(to));
        last = std::min(last, sourceSize - 1);
        first = std::min(first, last);
        if (first - from > 1e-3) shares.push_back({first - 1, d, static_cast<float>((first - from) / cellWidth)});
        for (int s = first; s < last; ++s) shares.push_back({s, d, static_cast<float>(1.0 / cellWidth)});
        if (to - last > 1e-3)
            shares.push_back({last, d, static_cast<float>(std::min(std::min(to - last, 1.0), cellWidth) / cellWidth)});
    }
    return shares;
}

// The horizontal shares laid out by output pixel: tap k of output pixel x at [k * width + x],
// every pixel given as many taps as the most any has (the extra ones weigh 0: adding 0 to a
// positive sum leaves it as it is).
struct Taps {
    int count = 0, width = 0;
    std::vector<int> source;
    std::vector<float> weight;
};

Taps tapsOf(const std::vector<Share>& shares, int width) {
    std::vector<int> perOutput(static_cast<size_t>(width), 0);
    for (const Share& s : shares) ++perOutput[static_cast<size_t>(s.output)];
    Taps taps;
    taps.width = width;
    taps.count = *std::max_element(perOutput.begin(), perOutput.end());
    taps.source.assign(static_cast<size_t>(taps.count * width), 0);
    taps.weight.assign(static_cast<size_t>(taps.count * width), 0.0f);
    std::fill(perOutput.begin(), perOutput.end(), 0);
    for (const Share& s : shares) {
        const size_t at = static_cast<size_t>(perOutput[static_cast<size_t>(s.output)]++ * width + s.output);
        taps.source[at] = s.source;
        taps.weight[at] = s.weight;
    }
    return taps;
}

// One source row's contribution to each output pixel of its output row: the shares added in
// table order from 0, as OpenCV adds them into its row buffer.
__attribute__((target_clones("avx2", "default"))) void shrinkRow(const float* __restrict row, const Taps& taps,
                                                                 float* __restrict out) {
    const int width = taps.width;
    for (int x = 0; x < width; ++x) out[x] = 0.0f;
    for (int k = 0; k < taps.count; ++k) {
        const int* __restrict source = taps.source.data() + static_cast<size_t>(k * width);
        const float* __restrict weight = taps.weight.data() + static_cast<size_t>(k * width);
        for (int x = 0; x < width; ++x) out[x] += row[source[x]] * weight[x];
    }
}

__attribute__((target_clones("avx2", "default"))) void addRow(const float* __restrict row, float weight, bool first, int width,
                                                              float* __restrict sum) {
    if (first) {
        for (int x = 0; x < width; ++x) sum[x] = weight * row[x];
    } else {
        for (int x = 0; x < width; ++x) sum[x] += weight * row[x];
    }
}

void storeRow(const float* sum, int width, uchar* out) {
    for (int x = 0; x < width; ++x) out[x] = cv::saturate_cast<uchar>(sum[x]);  // nearest, ties to even
}

}  // namespace

void areaResize(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
    CV_Assert(!src.empty() && size.width > 0 && size.height > 0);
    // cv::resize's own arithmetic for the scale (a source pixel count an output pixel).
    const double scaleX = 1.0 / (static_cast<double>(size.width) / src.cols);
    const double scaleY = 1.0 / (static_cast<double>(size.height) / src.rows);
    const bool wholeScale = std::abs(scaleX - cv::saturate_cast<int>(scaleX)) < DBL_EPSILON &&
                            std::abs(scaleY - cv::saturate_cast<int>(scaleY)) < DBL_EPSILON;
    if (src.type() != CV_8UC1 || size == src.size() || scaleX < 1 || scaleY < 1 || wholeScale) {  // OpenCV's other paths
        cv::resize(src, dst, size, 0, 0, cv::INTER_AREA);
        return;
    }
    const Taps taps = tapsOf(areaShares(src.cols, size.width, scaleX), size.width);
    const std::vector<Share> rows = areaShares(src.rows, size.height, scaleY);
    cv::Mat out(size, CV_8UC1);
    std::vector<float> source(static_cast<size_t>(src.cols)), shrunk(static_cast<size_t>(size.width)),
        sum(static_cast<size_t>(size.width));
    int outputRow = rows.front().output, shrunkRow = -1;
    bool first = true;
    for (const Share& r : rows) {
        if (r.output != outputRow) {
            storeRow(sum.data(), size.width, out.ptr<uchar>(outputRow));
            outputRow = r.output;
            first = true;
        }
        if (r.source != shrunkRow) {  // a source row on the edge of two cells: shrunk once
            const uchar* row = src.ptr<uchar>(r.source);
            std::copy(row, row + src.cols, source.begin());
            shrinkRow(source.data(), taps, shrunk.data());
            shrunkRow = r.source;
        }
        addRow(shrunk.data(), r.weight, first, size.width, sum.data());
        first = false;
    }
    storeRow(sum.data(), size.width, out.ptr<uchar>(outputRow));
    dst = out;
}

}  // namespace alprsim::recognition
