#pragma once
// Rendering: a licence plate as issued (renderPlate) and the photograph a camera takes of it
// under given conditions (renderCapture). Deterministic: the same text, style, conditions and
// seed give the same pixels.
#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/plate_style.h"

namespace alprsim::recognition {

// Plates are drawn at 40 px per inch: 12" x 6" = 480 x 240 px.
constexpr int kPlateCanvasWidth = 480;
constexpr int kPlateCanvasHeight = 240;

struct PlateImage {
    cv::Mat bgr;                       // kPlateCanvasWidth x kPlateCanvasHeight
    std::vector<cv::Rect> characterBoxes;  // one per character of the text, in order
};

// The plate with its characters (spaces in text are drawn as gaps), header, slogan, stickers.
PlateImage renderPlate(const std::string& text, const PlateStyle& style, Rng& rng);

enum class FrameKind {
    RegionOfInterest,  // a crop about 2.2 x 1.4 plate widths around the plate
    PlateCrop,         // a tight crop of the plate with a small margin (as in plate data sets)
    FullFrame,         // a whole camera frame (frameSize) with the vehicle somewhere in it
};

struct RenderedCapture {
    cv::Mat image;                          // BGR, 8-bit
    std::array<cv::Point2f, 4> plateCorners;  // TL, TR, BR, BL of the plate in the image
    std::vector<cv::Rect2f> characterBoxes;   // bounding box of each character in the image
};

RenderedCapture renderCapture(const std::string& text, const PlateStyle& style,
                              const CaptureConditions& conditions, uint64_t seed,
                              FrameKind kind = FrameKind::RegionOfInterest,
                              cv::Size frameSize = {1280, 720});

// The Massachusetts display of a plate: a gap between the groups of a 6-character plate
// ("152JK8" -> "152 JK8"), as printed on the plate.
std::string massachusettsDisplayText(const std::string& plate);

}  // namespace alprsim::recognition
