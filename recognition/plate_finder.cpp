#include "recognition/plate_finder.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "recognition/onnx_network.h"
#include "recognition/plate_reader.h"

namespace alprsim::recognition {

namespace {

constexpr int kStride = 8;             // input pixels per output cell (train_plate_finder.py)
constexpr double kCornerScale = 32.0;  // corner offsets are in units of 32 input pixels
// A cell scored this high joins a plate's component; its corners count in the plate's average
// when it scores at least half the component's best (rim cells guess the corners worst).
constexpr double kCellThreshold = 0.3;
// Found at both sizes: the lower-scored of two plates overlapping this much is the same plate.
constexpr double kSamePlateIoU = 0.3;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

std::filesystem::path defaultPlateFinderModelPath() { return recognitionDataDir() / "plate_finder.onnx"; }

double boxIoU(const cv::Rect& a, const cv::Rect& b) {
    const double overlap = (a & b).area();
    const double together = double(a.area()) + double(b.area()) - overlap;
    return together > 0 ? overlap / together : 0.0;
}

std::vector<int> matchFinds(const std::vector<cv::Rect>& finds, const std::vector<cv::Rect>& truth) {
    std::vector<int> matched(finds.size(), -1);
    for (size_t f = 0; f < finds.size(); ++f) {
        double best = kFoundIoU;
        for (size_t t = 0; t < truth.size(); ++t) {
            const double iou = boxIoU(finds[f], truth[t]);
            if (iou > best) {
                best = iou;
                matched[f] = int(t);
            }
        }
    }
    return matched;
}

PlateFinder::PlateFinder(PlateFinderOptions options) : options_(std::move(options)) {
    if (options_.modelPath.empty()) options_.modelPath = defaultPlateFinderModelPath();
    network_ = std::make_shared<const OnnxNetwork>(options_.modelPath, "plate finder");
}

PlateFinder::~PlateFinder() = default;

void PlateFinder::look(const cv::Mat& grey, int longSide, std::vector<FoundPlate>& found) const {
    const double scale = double(longSide) / std::max(grey.cols, grey.rows);
    const int width = std::max(1, int(std::lround(grey.cols * scale)));
    const int height = std::max(1, int(std::lround(grey.rows * scale)));
    cv::Mat scaled;
    cv::resize(grey, scaled, {width, height}, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    // The network wants whole cells: pad right and bottom by repeating the edge.
    const int paddedW = (width + kStride - 1) / kStride * kStride, paddedH = (height + kStride - 1) / kStride * kStride;
    cv::copyMakeBorder(scaled, scaled, 0, paddedH - height, 0, paddedW - width, cv::BORDER_REPLICATE);
    const cv::Mat blob = cv::dnn::blobFromImage(scaled, 1.0 / 255.0);
    const cv::Mat out = network_->forward(blob);  // 1 x 9 x gh x gw
    const int gh = out.size[2], gw = out.size[3];
    const float* cells = out.ptr<float>();
    const auto channel = [&](int c, int y, int x) { return double(cells[(size_t(c) * gh + y) * gw + x]); };

    cv::Mat score(gh, gw, CV_64F), on(gh, gw, CV_8U);
    for (int y = 0; y < gh; ++y) {
        for (int x = 0; x < gw; ++x) {
            score.at<double>(y, x) = sigmoid(channel(0, y, x));
            on.at<uchar>(y, x) = score.at<double>(y, x) >= kCellThreshold ? 1 : 0;
        }
    }
    cv::Mat labels;
    const int count = cv::connectedComponents(on, labels, 8, CV_32S);
    std::vector<double> best(size_t(count), 0.0);
    for (int y = 0; y < gh; ++y) {
        for (int x = 0; x < gw; ++x) {
            const int l = labels.at<int>(y, x);
            if (l > 0) best[size_t(l)] = std::max(best[size_t(l)], score.at<double>(y, x));
        }
    }
    std::vector<std::array<double, 8>> sum(size_t(count), std::array<double, 8>{});
    std::vector<double> weight(size_t(count), 0.0);
    for (int y = 0; y < gh; ++y) {
        for (int x = 0; x < gw; ++x) {
            const int l = labels.at<int>(y, x);
            const double s = score.at<double>(y, x);
            if (l == 0 || s < 0.5 * best[size_t(l)]) continue;
            const double cx = (x + 0.5) * kStride, cy = (y + 0.5) * kStride;
            for (int k = 0; k < 4; ++k) {
                sum[size_t(l)][size_t(2 * k)] += s * (cx + kCornerScale * channel(1 + 2 * k, y, x));
                sum[size_t(l)][size_t(2 * k + 1)] += s * (cy + kCornerScale * channel(2 + 2 * k, y, x));
            }
            weight[size_t(l)] += s;
        }
    }
    const cv::Rect frame({0, 0}, grey.size());
    for (int l = 1; l < count; ++l) {
        if (best[size_t(l)] < options_.minScore || weight[size_t(l)] <= 0) continue;
        FoundPlate plate;
        plate.score = best[size_t(l)];
        std::vector<cv::Point2f> points;
        for (int k = 0; k < 4; ++k) {
            plate.corners[size_t(k)] = {float(sum[size_t(l)][size_t(2 * k)] / weight[size_t(l)] / scale),
                                        float(sum[size_t(l)][size_t(2 * k + 1)] / weight[size_t(l)] / scale)};
            points.push_back(plate.corners[size_t(k)]);
        }
        plate.box = cv::boundingRect(points) & frame;
        if (plate.box.width >= 4 && plate.box.height >= 2) found.push_back(plate);
    }
}

std::vector<FoundPlate> PlateFinder::find(const cv::Mat& grey) const {
    CV_Assert(grey.type() == CV_8UC1);
    std::vector<FoundPlate> found;
    if (grey.empty()) return found;
    for (int longSide : kFinderLongSides) look(grey, longSide, found);
    std::stable_sort(found.begin(), found.end(), [](const FoundPlate& a, const FoundPlate& b) { return a.score > b.score; });
    std::vector<FoundPlate> kept;
    for (const FoundPlate& plate : found) {
        const bool seen =
            std::any_of(kept.begin(), kept.end(), [&](const FoundPlate& k) { return boxIoU(k.box, plate.box) > kSamePlateIoU; });
        if (!seen) kept.push_back(plate);
        if (int(kept.size()) == options_.maxPlates) break;
    }
    return kept;
}

cv::Mat rectifyPlate(const cv::Mat& grey, const std::array<cv::Point2f, 4>& corners, double margin) {
    const auto length = [](cv::Point2f a, cv::Point2f b) { return std::hypot(double(a.x - b.x), double(a.y - b.y)); };
    const double plateW = std::max(length(corners[0], corners[1]), length(corners[3], corners[2]));
    const double plateH = std::max(length(corners[0], corners[3]), length(corners[1], corners[2]));
    const double aspect = std::clamp(plateW / std::max(1.0, plateH), 0.8, 8.0);
    const int height = std::clamp(int(std::lround(plateH / (1 - 2 * margin))), 48, 160);
    const int width = std::max(8, int(std::lround(height * aspect)));
    // The corners land inside the crop, `margin` of its size in from each side.
    const float mx = float(margin * width), my = float(margin * height);
    const float w = float(width) - 2 * mx, h = float(height) - 2 * my;
    const cv::Point2f target[4] = {{mx, my}, {mx + w, my}, {mx + w, my + h}, {mx, my + h}};
    const cv::Mat transform = cv::getPerspectiveTransform(corners.data(), target);
    cv::Mat crop;
    cv::warpPerspective(grey, crop, transform, {width, height}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return crop;
}

}  // namespace alprsim::recognition
