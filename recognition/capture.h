#pragma once
// The photographic conditions of one capture: what the camera stage knows from geometry,
// speed, time of day and weather, and what the renderer needs to draw the photograph. The one
// type both stages use: the sensing stage (sensors/capture.h) fills it, recognition reads it.
// Plain, in a library of its own (alprsim_capture_conditions) with no OpenCV, so that the
// sensing stage can fill it without depending on OpenCV.
#include <string>
#include <string_view>

namespace alprsim::recognition {

enum class Light { Day, Dusk, NightIR };

struct CaptureConditions {
    double plateWidthPx = 120.0;  // width of the plate in the image (a 12" plate at the range seen)
    double yawDeg = 0.0;          // plate turned about the vertical axis, as seen by the camera
    double pitchDeg = 0.0;        // camera looking down on the plate (positive) or up
    double rollDeg = 0.0;         // plate tilted in the image plane
    double motionBlurPx = 0.0;    // length of the motion smear during exposure (speed x exposure)
    double defocusSigma = 0.0;    // Gaussian sigma of the out-of-focus blur, in pixels
    double noiseSigma = 2.0;      // sensor noise, grey levels (0-255)
    Light light = Light::Day;
    double rain = 0.0;       // 0 = dry, 1 = downpour (streaks, lower contrast)
    double glare = 0.0;      // 0 = none, 1 = a strong specular spot washing out part of the plate
    double dirt = 0.0;       // 0 = clean, 1 = heavily soiled
    double occlusion = 0.0;  // fraction of the plate width hidden (tow hitch, bike rack)
    int jpegQuality = 90;    // 0 = no compression, else the JPEG quality 1-100
};

std::string_view toString(Light light);
// Parses "day", "dusk" or "night" (also "nightir"); throws std::invalid_argument otherwise.
Light parseLight(std::string_view text);

// Sensor noise that goes with the light (grey levels): day 2, IR at night 4, dusk 6. An
// assumption in the range rendered plates need, to be calibrated against real crops.
double noiseFor(Light light);

// Good conditions for reading: the plate square to the camera, daylight, sharp.
CaptureConditions goodConditions(double plateWidthPx = 120.0);

}  // namespace alprsim::recognition
