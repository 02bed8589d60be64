#pragma once
// Finding licence plates in a whole frame (a street scene, a car photographed from behind):
// every plate with its four corners and a score, for the reader to straighten and read.
//
// A small fully convolutional network (tools/train_plate_finder.py; trained on real frames
// without plates with real and rendered plates pasted into them in perspective) scores each
// 8x8-pixel cell of the frame for lying on a plate and says, for each, where that plate's
// corners are. The frame is looked at twice, at two sizes (kFinderLongSides), so that plates
// from about 14 px wide up to half the frame's width fall within what the network learnt.
#include <opencv2/core.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <vector>

namespace alprsim::recognition {

class OnnxNetwork;

struct FoundPlate {
    std::array<cv::Point2f, 4> corners;  // top-left, top-right, bottom-right, bottom-left; frame pixels
    cv::Rect box;                        // the corners' bounding box, inside the frame
    double score = 0;                    // 0..1: the network's highest cell score on this plate
};

// The long side, in pixels, the frame is scaled to for each look (the first finds small
// plates, the second large ones).
inline constexpr std::array<int, 2> kFinderLongSides{640, 320};

struct PlateFinderOptions {
    std::filesystem::path modelPath;  // empty: data/recognition/plate_finder.onnx
    // Plates scored lower are not returned. Chosen on the EU/BR development scenes (never on the US
    // crops): at 0.8 they keep 215 of 222 true plates and 75 false finds (0.5: 216 and 566).
    double minScore = 0.8;
    int maxPlates = 8;  // at most this many, best first
};

std::filesystem::path defaultPlateFinderModelPath();

class PlateFinder {
public:
    // Throws (naming the file) if the network cannot be read.
    explicit PlateFinder(PlateFinderOptions options = {});
    ~PlateFinder();
    // Plates in a grey 8-bit frame, best score first. Thread-safe.
    std::vector<FoundPlate> find(const cv::Mat& grey) const;
    const PlateFinderOptions& options() const { return options_; }

private:
    void look(const cv::Mat& grey, int longSide, std::vector<FoundPlate>& found) const;
    PlateFinderOptions options_;
    std::shared_ptr<const OnnxNetwork> network_;
};

// The plate inside `corners` straightened into an upright crop (grey), with `margin` of its
// width and height added on every side, as tall as the plate is in the frame (kept within
// 48-160 px: smaller crops lose the characters' strokes, larger ones add nothing).
cv::Mat rectifyPlate(const cv::Mat& grey, const std::array<cv::Point2f, 4>& corners, double margin = 0.06);

// Intersection over union of two boxes (0 when either is empty).
double boxIoU(const cv::Rect& a, const cv::Rect& b);

// A plate counts as found when a find's box overlaps its true box by more than this (the
// openalpr benchmarks' rule).
inline constexpr double kFoundIoU = 0.4;

// For each find, the index of the true box it found (the one it overlaps most, above
// kFoundIoU), or -1 for a false find.
std::vector<int> matchFinds(const std::vector<cv::Rect>& finds, const std::vector<cv::Rect>& truth);

}  // namespace alprsim::recognition
