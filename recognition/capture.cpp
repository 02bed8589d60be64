#include "recognition/capture.h"

#include <algorithm>
#include <stdexcept>

namespace alprsim::recognition {

std::string_view toString(Light light) {
    switch (light) {
        case Light::Day:
            return "day";
        case Light::Dusk:
            return "dusk";
        case Light::NightIR:
            return "night";
    }
    return "?";
}

Light parseLight(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "day") return Light::Day;
    if (lower == "dusk") return Light::Dusk;
    if (lower == "night" || lower == "nightir") return Light::NightIR;
    throw std::invalid_argument("light must be day, dusk or night, not '" + std::string(text) + "'");
}

double noiseFor(Light light) {
    switch (light) {
        case Light::Day:
            return 2.0;
        case Light::Dusk:
            return 6.0;
        case Light::NightIR:
            return 4.0;
    }
    return 2.0;
}

CaptureConditions goodConditions(double plateWidthPx) {
    CaptureConditions c;
    c.plateWidthPx = plateWidthPx;
    return c;
}

}  // namespace alprsim::recognition
