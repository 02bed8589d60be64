#pragma once
// The fixed synthetic sets the recognition tests measure on. Fixed seeds: the same images on
// every run and machine, so a change in accuracy is a change in the pipeline.
#include <string>
#include <vector>

#include "core/plate.h"
#include "core/rng.h"
#include "recognition/capture.h"
#include "recognition/plate_style.h"
#include "recognition/training.h"

namespace alprsim::recognition::testing {

struct SyntheticCapture {
    std::string plate;
    CaptureConditions conditions;
    uint64_t seed;
};

inline std::string randomMassachusettsPlate(Rng& rng) {
    const auto& formats = massachusettsPlateFormats();
    return randomPlate(formats[rng.below(formats.size())], rng);
}

// Good conditions: plate 80-200 px wide, turned at most 30 degrees, daylight, no blur.
inline std::vector<SyntheticCapture> goodSet(int count, uint64_t setSeed = 2026) {
    std::vector<SyntheticCapture> set;
    for (int i = 0; i < count; ++i) {
        Rng rng = Rng::stream(setSeed, "good-set", static_cast<uint64_t>(i));
        CaptureConditions c = goodConditions(rng.uniform(80, 200));
        c.yawDeg = rng.uniform(-30, 30);
        c.pitchDeg = rng.uniform(0, 15);
        c.rollDeg = rng.uniform(-3, 3);
        set.push_back({randomMassachusettsPlate(rng), c, rng.next()});
    }
    return set;
}

// Hard conditions: 40 px wide plates at night under infrared, 3 px of motion blur.
inline std::vector<SyntheticCapture> hardSet(int count, uint64_t setSeed = 2027) {
    std::vector<SyntheticCapture> set;
    for (int i = 0; i < count; ++i) {
        Rng rng = Rng::stream(setSeed, "hard-set", static_cast<uint64_t>(i));
        CaptureConditions c = goodConditions(40);
        c.light = Light::NightIR;
        c.motionBlurPx = 3;
        c.yawDeg = rng.uniform(-20, 20);
        c.pitchDeg = rng.uniform(0, 15);
        set.push_back({randomMassachusettsPlate(rng), c, rng.next()});
    }
    return set;
}

// Typefaces and layouts the networks never trained on: the held-out faces (devTypefaces) in
// randomised plate styles, common US layouts (randomUSText, not Massachusetts'), plates 100-250 px
// wide, turned up to 25 degrees, daylight; a different seed from bench_recognition's dev set.
struct StyledCapture {
    std::string plate;
    PlateStyle style;
    CaptureConditions conditions;
    uint64_t seed;
};

inline std::vector<StyledCapture> unseenFaceSet(int count, uint64_t setSeed = 2028) {
    std::vector<StyledCapture> set;
    for (int i = 0; i < count; ++i) {
        Rng rng = Rng::stream(setSeed, "unseen-face-set", static_cast<uint64_t>(i));
        const PlateStyle style = randomDevStyle(rng);
        const std::string plate = randomUSText(rng);
        CaptureConditions c = goodConditions(rng.uniform(100, 250));
        c.yawDeg = rng.uniform(-25, 25);
        c.pitchDeg = rng.uniform(0, 15);
        c.rollDeg = rng.uniform(-3, 3);
        set.push_back({plate, style, c, rng.next()});
    }
    return set;
}

}  // namespace alprsim::recognition::testing
