#pragma once
// Rendering: a licence plate as issued (renderPlate) and the photograph a camera takes of it
// under given conditions (renderCapture). Deterministic: the same text, style, conditions and
// seed give the same pixels.
#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/plate_style.h"

namespace alprsim::recognition {

// Plates are drawn at 40 px per inch: 12" x 6" = 480 x 240 px.
constexpr int kPlateCanvasWidth = 480;
constexpr int kPlateCanvasHeight = 240;

struct PlateImage {
    cv::Mat bgr;                           // kPlateCanvasWidth x kPlateCanvasHeight (empty from vehiclePlate)
    std::vector<cv::Rect> characterBoxes;  // one per character of the text, in order
    // Where kept for many captures (vehiclePlate): the plate's luminance at full, half, quarter
    // and eighth size, what the captures of renderCapture(PlateImage) are scaled from.
    std::vector<cv::Mat> greyLevels;
};

// The plate with its characters (spaces in text are drawn as gaps), header, slogan, stickers.
PlateImage renderPlate(const std::string& text, const PlateStyle& style, Rng& rng);

enum class FrameKind {
    RegionOfInterest,  // a crop about 2.2 x 1.4 plate widths around the plate
    PlateCrop,         // a tight crop of the plate with a small margin (as in plate data sets)
    FullFrame,         // a whole camera frame (frameSize) with the vehicle somewhere in it
};

struct RenderedCapture {
    cv::Mat image;                            // BGR, 8-bit (grey for renderCapture of a PlateImage)
    std::array<cv::Point2f, 4> plateCorners;  // TL, TR, BR, BL of the plate in the image
    std::vector<cv::Rect2f> characterBoxes;   // bounding box of each character in the image
};

RenderedCapture renderCapture(const std::string& text, const PlateStyle& style, const CaptureConditions& conditions,
                              uint64_t seed, FrameKind kind = FrameKind::RegionOfInterest, cv::Size frameSize = {1280, 720});

// The plate a vehicle carries, stickers and all: drawn from a random stream of its text and
// style alone, so that every capture of the vehicle shows the same plate and one drawing
// serves them all (VehiclePlates keeps them).
PlateImage vehiclePlate(const std::string& text, const PlateStyle& style);

// The photograph of a plate already drawn (vehiclePlate), as the simulation's captures are
// taken: only what differs between captures (dirt, occlusion, the vehicle's rear, the camera's
// geometry and photograph). Unlike renderCapture of a text, the image is grey (CV_8UC1, the
// luminance: what the reader reads, and what an infrared camera sees) and the scene is not
// blurred before the camera's own blurs: a third of the cost, the reads alike
// (recognition/README.md, "Capture cost"). Deterministic by plate and seed.
RenderedCapture renderCapture(const PlateImage& plate, const CaptureConditions& conditions, uint64_t seed,
                              FrameKind kind = FrameKind::RegionOfInterest, cv::Size frameSize = {1280, 720});

// Vehicles' plates (vehiclePlate), each drawn once and kept while it is among the `capacity`
// most recently asked for: a car passes camera after camera within minutes (brookline-baseline:
// 13,080 captures of 1,424 plates). Thread-safe; what it returns does not depend on what it kept.
class VehiclePlates {
public:
    explicit VehiclePlates(size_t capacity = 256) : capacity_(capacity) {}
    std::shared_ptr<const PlateImage> of(const std::string& text, const PlateStyle& style);

private:
    size_t capacity_;
    std::mutex mutex_;
    std::list<std::string> recent_;  // most recent first
    std::unordered_map<std::string, std::pair<std::shared_ptr<const PlateImage>, std::list<std::string>::iterator>> kept_;
};

// Where renderPlacedCrop puts the plate: a crop of `size` whose row of characters (the box
// round all of them) fills characterBox, slanted by shearDeg (positive: tops to the right).
// The conditions' roll tilts the row; their plate width is set from the box's height.
struct CropPlacement {
    cv::Size size;
    cv::Rect2d characterBox;
    double shearDeg = 0;
};

// A plate crop laid out as a given crop is (the matched set: matched_set.h). Deterministic by
// seed. Throws std::invalid_argument for a crop or box under 4 x 4 or 2 x 2 pixels.
RenderedCapture renderPlacedCrop(const std::string& text, const PlateStyle& style, const CaptureConditions& conditions,
                                 uint64_t seed, const CropPlacement& placement);

// The Massachusetts display of a plate: a gap between the groups of a 6-character plate
// ("152JK8" -> "152 JK8"), as printed on the plate.
std::string massachusettsDisplayText(const std::string& plate);

}  // namespace alprsim::recognition
