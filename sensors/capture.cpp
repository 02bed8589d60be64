#include "sensors/capture.h"

#include <cmath>

namespace alprsim {

const char* toString(CaptureLight light) {
    switch (light) {
        case CaptureLight::Day: return "day";
        case CaptureLight::Dusk: return "dusk";
        case CaptureLight::NightIR: return "night";
    }
    return "?";
}

const char* toString(CaptureFailure failure) {
    switch (failure) {
        case CaptureFailure::Occluded: return "occluded";
        case CaptureFailure::OutOfRange: return "out_of_range";
        case CaptureFailure::TooFast: return "too_fast";
        case CaptureFailure::Dark: return "dark";
    }
    return "?";
}

CaptureCounts& CaptureCounts::operator+=(const CaptureCounts& o) {
    captured += o.captured;
    for (size_t i = 0; i < kCaptureFailureKinds; ++i) failed[i] += o.failed[i];
    return *this;
}

CaptureLight lightAt(const AmbientConditions& a, double t) {
    const double hour = std::fmod(t / 3600.0, 24.0);
    const auto near = [&](double h) { return std::abs(hour - h) <= a.duskHalfWindowHours; };
    if (near(a.sunriseHour) || near(a.sunsetHour)) return CaptureLight::Dusk;
    if (hour > a.sunriseHour && hour < a.sunsetHour) return CaptureLight::Day;
    return CaptureLight::NightIR;
}

double noiseFor(CaptureLight light) {
    switch (light) {
        case CaptureLight::Day: return 2.0;
        case CaptureLight::Dusk: return 6.0;
        case CaptureLight::NightIR: return 4.0;
    }
    return 2.0;
}

}  // namespace alprsim
