#pragma once
// A capture: one vehicle photographed by one camera at the best frame of its pass, with the
// photographic conditions recognition needs, in recognition's own type (recognition/capture.h,
// a plain struct without OpenCV). Of its fields the cameras fill the geometry, blur, light and
// its noise, rain and JPEG quality; glare (not modelled yet), dirt (a property of the car, left
// to recognition) and occlusion (a capture is only made of an unoccluded plate) stay 0.
#include <array>
#include <cstddef>
#include <string>

#include "core/geo.h"
#include "recognition/capture.h"
#include "sim/road_network.h"

namespace alprsim {

struct Capture {
    size_t camera = 0;   // index into SensorArray::cameras()
    std::string trip;    // SUMO vehicle id (one per trip)
    double time = 0.0;   // the best frame, simulated seconds
    double speed = 0.0;  // the vehicle's, m/s
    Point2 cameraAt;     // where the camera was at that frame (projected)
    LatLon where;        // the same in WGS84
    bool frontPlate = true;
    bool parked = false;  // a parked car (read by a patrol car), not one driving
    double distanceM = 0.0;
    double horizontalAngleDeg = 0.0;  // off the optical axis
    double verticalAngleDeg = 0.0;
    recognition::CaptureConditions photo;
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
recognition::Light lightAt(const AmbientConditions& ambient, double t);

}  // namespace alprsim
