#include "sensors/capture.h"

#include <cmath>

namespace alprsim {

const char* toString(CaptureFailure failure) {
    switch (failure) {
        case CaptureFailure::Occluded:
            return "occluded";
        case CaptureFailure::OutOfRange:
            return "out_of_range";
        case CaptureFailure::TooFast:
            return "too_fast";
        case CaptureFailure::Dark:
            return "dark";
    }
    return "?";
}

CaptureCounts& CaptureCounts::operator+=(const CaptureCounts& o) {
    captured += o.captured;
    for (size_t i = 0; i < kCaptureFailureKinds; ++i) failed[i] += o.failed[i];
    return *this;
}

recognition::Light lightAt(const AmbientConditions& a, double t) {
    const double hour = std::fmod(t / 3600.0, 24.0);
    const auto near = [&](double h) { return std::abs(hour - h) <= a.duskHalfWindowHours; };
    if (near(a.sunriseHour) || near(a.sunsetHour)) return recognition::Light::Dusk;
    if (hour > a.sunriseHour && hour < a.sunsetHour) return recognition::Light::Day;
    return recognition::Light::NightIR;
}

}  // namespace alprsim
