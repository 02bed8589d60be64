#pragma once
// A capture: one vehicle photographed by one camera at the best frame of its pass, with the
// photographic conditions recognition needs. PhotoConditions mirrors
// recognition::CaptureConditions field for field (same names, same units), so the pipeline
// maps one onto the other without the sensing stage depending on OpenCV.
#include <array>
#include <cstddef>
#include <string>

#include "core/geo.h"
#include "sim/road_network.h"

namespace alprsim {

enum class CaptureLight { Day, Dusk, NightIR };
const char* toString(CaptureLight light);

struct PhotoConditions {
    double plateWidthPx = 0.0;
    double yawDeg = 0.0;
    double pitchDeg = 0.0;
    double rollDeg = 0.0;
    double motionBlurPx = 0.0;
    double defocusSigma = 0.0;  // pixels
    double noiseSigma = 2.0;    // grey levels
    CaptureLight light = CaptureLight::Day;
    double rain = 0.0;
    double glare = 0.0;      // not modelled yet: always 0
    double dirt = 0.0;       // a property of the car, not the camera: left to recognition
    double occlusion = 0.0;  // a capture is only made of an unoccluded plate: 0
    int jpegQuality = 90;
};

struct Capture {
    size_t camera = 0;    // index into SensorArray::cameras()
    std::string trip;     // SUMO vehicle id (one per trip)
    double time = 0.0;    // the best frame, simulated seconds
    double speed = 0.0;   // the vehicle's, m/s
    Point2 cameraAt;      // where the camera was at that frame (projected)
    LatLon where;         // the same in WGS84
    bool frontPlate = true;
    bool parked = false;  // a parked car (read by a patrol car), not one driving
    double distanceM = 0.0;
    double horizontalAngleDeg = 0.0;  // off the optical axis
    double verticalAngleDeg = 0.0;
    PhotoConditions photo;
};

// Why a vehicle that came near a camera was not captured. Vehicles whose plate never faced
// the camera's field of view (cross traffic, traffic behind it) are not failures.
enum class CaptureFailure { Occluded, OutOfRange, TooFast, Dark };
constexpr size_t kCaptureFailureKinds = 4;
const char* toString(CaptureFailure failure);

struct CaptureCounts {
    size_t captured = 0;
    std::array<size_t, kCaptureFailureKinds> failed{};
    size_t& operator[](CaptureFailure f) { return failed[static_cast<size_t>(f)]; }
    size_t operator[](CaptureFailure f) const { return failed[static_cast<size_t>(f)]; }
    CaptureCounts& operator+=(const CaptureCounts& o);
};

// Light and weather for the whole deployment. Sunrise and sunset are hours of the day; an
// hour either side of them is dusk (the renderer's low-light case).
struct AmbientConditions {
    double sunriseHour = 6.5;
    double sunsetHour = 18.5;
    double duskHalfWindowHours = 0.5;
    double rain = 0.0;  // 0 dry .. 1 downpour
};

// Day, dusk or night at simulated time t (seconds since midnight of day 0).
CaptureLight lightAt(const AmbientConditions& ambient, double t);
// Sensor noise that goes with the light (grey levels): day 2, IR at night 4, dusk 6. An
// assumption in the range rendered plates need, to be calibrated against real crops.
double noiseFor(CaptureLight light);

}  // namespace alprsim
