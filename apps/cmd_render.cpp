// alprsim render --out DIR [conditions...]: write sample photographs of plates under a given
// capture condition (what the full recognition mode reads), with a manifest CSV.
#include <cstdio>
#include <memory>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "apps/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "core/plate.h"
#include "recognition/renderer.h"

namespace alprsim::cli {

namespace {

struct RenderArgs {
    std::string out;
    std::string plate;
    std::string style = "MA";
    std::string kind = "roi";
    std::string light = "day";
    int count = 8;
    uint64_t seed = 1;
    recognition::CaptureConditions conditions;
};

const recognition::PlateStyle& styleNamed(const std::string& name) {
    if (name == "MA") return recognition::massachusettsStyle();
    std::string known = "MA";
    for (const auto& s : recognition::otherStateStyles()) {
        if (s.name == name) return s;
        known += ", " + s.name;
    }
    throw InputError("--style", name, "one of " + known);
}

recognition::FrameKind kindNamed(const std::string& name) {
    if (name == "roi") return recognition::FrameKind::RegionOfInterest;
    if (name == "crop") return recognition::FrameKind::PlateCrop;
    if (name == "frame") return recognition::FrameKind::FullFrame;
    throw InputError("--kind", name, "roi, crop or frame");
}

void runRender(RenderArgs args) {
    const auto& style = styleNamed(args.style);
    const auto kind = kindNamed(args.kind);
    try {
        args.conditions.light = recognition::parseLight(args.light);
    } catch (const std::invalid_argument&) {
        throw InputError("--light", args.light, "day, dusk or night");
    }
    if (!args.plate.empty() && !isMassachusettsPlate(args.plate) && args.style == "MA") {
        std::fprintf(stderr, "alprsim: render: note: %s is not a standard Massachusetts format\n", args.plate.c_str());
    }
    fs::create_directories(args.out);
    PlateGenerator plates(Rng::stream(args.seed, "render-plates"));
    std::ostringstream manifest;
    manifest << "file,plate,seed,tl_x,tl_y,tr_x,tr_y,br_x,br_y,bl_x,bl_y\n";
    for (int i = 0; i < args.count; ++i) {
        const std::string text = args.plate.empty() ? plates.next() : args.plate;
        const uint64_t seed = args.seed * 1000003ULL + static_cast<uint64_t>(i);
        const auto capture = recognition::renderCapture(text, style, args.conditions, seed, kind);
        char name[64];
        std::snprintf(name, sizeof name, "capture_%04d.png", i);
        if (!cv::imwrite((fs::path(args.out) / name).string(), capture.image)) {
            throw InputError(args.out, name, "a writable folder");
        }
        manifest << name << ',' << text << ',' << seed;
        for (const auto& p : capture.plateCorners) manifest << ',' << p.x << ',' << p.y;
        manifest << '\n';
    }
    writeFileAtomically(fs::path(args.out) / "manifest.csv", manifest.str());
    std::printf("wrote %d images and manifest.csv to %s\n", args.count, args.out.c_str());
}

}  // namespace

void addRenderCommand(CLI::App& app) {
    auto args = std::make_shared<RenderArgs>();
    auto& c = args->conditions;
    CLI::App* cmd = app.add_subcommand("render", "Write sample photographs of plates under a capture condition");
    cmd->add_option("-o,--out", args->out, "Folder to write images and manifest.csv to")->required();
    cmd->add_option("--plate", args->plate, "Plate text (default: random Massachusetts plates)");
    cmd->add_option("--style", args->style, "Plate style: MA, NY, CA, NH, CT, VT, RI, TX, PA")->capture_default_str();
    cmd->add_option("--kind", args->kind, "roi (region around the plate), crop (tight) or frame (1280x720)")->capture_default_str();
    cmd->add_option("--count", args->count, "Images to write")->capture_default_str()->check(CLI::Range(1, 100000));
    cmd->add_option("--seed", args->seed, "Seed")->capture_default_str();
    cmd->add_option("--width", c.plateWidthPx, "Plate width in the image, pixels")->capture_default_str()->check(CLI::Range(8.0, 2000.0));
    cmd->add_option("--yaw", c.yawDeg, "Plate yaw, degrees")->capture_default_str()->check(CLI::Range(-80.0, 80.0));
    cmd->add_option("--pitch", c.pitchDeg, "Camera pitch onto the plate, degrees")->capture_default_str()->check(CLI::Range(-80.0, 80.0));
    cmd->add_option("--roll", c.rollDeg, "Plate roll in the image, degrees")->capture_default_str();
    cmd->add_option("--blur", c.motionBlurPx, "Motion blur length, pixels")->capture_default_str()->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--defocus", c.defocusSigma, "Defocus blur sigma, pixels")->capture_default_str()->check(CLI::Range(0.0, 50.0));
    cmd->add_option("--noise", c.noiseSigma, "Sensor noise sigma, grey levels")->capture_default_str()->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--light", args->light, "day, dusk or night (infrared)")->capture_default_str();
    cmd->add_option("--rain", c.rain, "Rain 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--glare", c.glare, "Glare 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--dirt", c.dirt, "Dirt 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--occlusion", c.occlusion, "Fraction of the plate width hidden")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--jpeg", c.jpegQuality, "JPEG quality 1-100, 0 for none")->capture_default_str()->check(CLI::Range(0, 100));
    cmd->callback([args] { runRender(*args); });
}

}  // namespace alprsim::cli
