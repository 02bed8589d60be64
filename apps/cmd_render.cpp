// alprsim render --out DIR [conditions...]: write sample photographs of plates under a given
// capture condition (what the full recognition mode reads), with a manifest CSV.
// alprsim render --match DIR --out OUT: the matched synthetic set (recognition/matched_set.h) of
// the crops DIR/groundtruth.csv lists (DIR/crops/FILE): OUT/crops/FILE rendered under each crop's
// measured conditions, OUT/groundtruth.csv (file,state,PLATE: the rendered texts, as
// `alprsim recognize --truth` reads them) and OUT/measurements.csv (what was measured and used).
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>

#include "apps/commands.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "core/plate.h"
#include "recognition/matched_set.h"
#include "recognition/renderer.h"

namespace alprsim::cli {

namespace {

struct RenderArgs {
    std::string out;
    std::optional<std::string> plate;  // absent: random Massachusetts plates
    std::string style = "MA";
    std::string kind = "roi";
    std::string light = "day";
    int count = 8;
    uint64_t seed = 1;
    recognition::CaptureConditions conditions;
    std::optional<std::string> match;  // a crops folder with groundtruth.csv: render the matched set
    std::string without;               // matched-set parts left out: designs,clutter,embossing,degradations
};

recognition::MatchedOptions matchedOptionsWithout(const std::string& without) {
    try {
        return recognition::matchedOptionsWithout(without);
    } catch (const std::invalid_argument& e) {
        throw InputError("--without", without, "a list of designs, clutter, embossing, degradations");
    }
}

std::string conditionsCsvHeader() {
    return "plate,shown,render_light,render_roll_deg,render_yaw_deg,render_pitch_deg,render_defocus_sigma,render_noise_sigma,"
           "render_dirt,render_glare,render_jpeg";
}

std::string conditionsCsvRow(const recognition::MatchedPlate& p) {
    const auto& c = p.conditions;
    return fmt::format("{},{},{},{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},{:.3f},{:.3f},{}", p.text, csvField(p.shown),
                       recognition::toString(c.light), c.rollDeg, c.yawDeg, c.pitchDeg, c.defocusSigma, c.noiseSigma, c.dirt,
                       c.glare, c.jpegQuality);
}

// The matched set of the crops in args.match, written to args.out (crops/, groundtruth.csv,
// measurements.csv). groundtruth.csv is written last: a folder without it is not complete.
void runMatchedRender(const RenderArgs& args) {
    const fs::path source(*args.match), out(args.out);
    const recognition::MatchedOptions options = matchedOptionsWithout(args.without);
    const auto sources = recognition::measureCropSet(source / "groundtruth.csv", source / "crops");
    createParentFolder(out / "crops" / "x.png");
    std::ostringstream truth, measurements;
    // The crop's figures, the render's conditions, then the same figures measured on the render.
    std::string renderedHeader;
    std::istringstream measureHeader(recognition::cropMeasureCsvHeader());
    const CsvReader measureNames(measureHeader, "the crop measures' header");
    for (const auto& name : measureNames.header()) renderedHeader += ",rendered_" + name;
    measurements << "file,state," << recognition::cropMeasureCsvHeader() << ',' << conditionsCsvHeader() << renderedHeader
                 << '\n';
    for (size_t i = 0; i < sources.size(); ++i) {
        const auto plate = recognition::renderMatched(sources[i], args.seed, i, options);
        const fs::path file = out / "crops" / fs::path(sources[i].file).filename().replace_extension(".png");
        if (!cv::imwrite(file.string(), plate.image)) throw InputError(file.string(), "image", "a writable folder");
        truth << csvField(file.filename().string()) << ',' << csvField(plate.state) << ',' << plate.text << '\n';
        measurements << csvField(sources[i].file) << ',' << csvField(sources[i].state) << ','
                     << recognition::cropMeasureCsvRow(sources[i].measure) << ',' << conditionsCsvRow(plate) << ','
                     << recognition::cropMeasureCsvRow(plate.measured) << '\n';
    }
    writeFileAtomically(out / "measurements.csv", measurements.str());
    writeFileAtomically(out / "groundtruth.csv", truth.str());
    std::printf("wrote %zu matched crops, groundtruth.csv and measurements.csv to %s (seed %llu)\n", sources.size(),
                args.out.c_str(), static_cast<unsigned long long>(args.seed));
}

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

std::string captureName(int i) { return fmt::format("capture_{:04d}.png", i); }

// The plate glyphs the renderer draws: A-Z and 0-9, spaces between groups.
void checkPlateText(const std::string& plate) {
    constexpr size_t kMaxPlateChars = 10;
    const bool hasGlyph = plate.find_first_not_of(' ') != std::string::npos;
    const bool drawable = plate.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ") == std::string::npos;
    if (!hasGlyph || !drawable || plate.size() > kMaxPlateChars)
        throw InputError("--plate", "\"" + plate + "\"",
                         "plate text of 1 to " + std::to_string(kMaxPlateChars) +
                             " capital letters A-Z, digits 0-9 and spaces (leave --plate out for random plates)");
}

// The captures the manifest.csv already in `dir` lists (written by an earlier render).
std::set<std::string> earlierCaptures(const std::string& dir) {
    std::set<std::string> names;
    const fs::path manifest = fs::path(dir) / "manifest.csv";
    std::error_code ec;
    if (!fs::is_regular_file(manifest, ec)) return names;
    std::istringstream in(readTextFile(manifest));
    try {  // a manifest cut short (or not ours) names only the captures before the break
        CsvReader csv(in, manifest.string());
        const auto file = csv.optionalColumn("file");
        while (file && csv.next())
            if (csv.row()[*file].rfind("capture_", 0) == 0) names.insert(csv.row()[*file]);
    } catch (const InputError&) {}
    return names;
}

void runRender(RenderArgs args) {
    if (args.match) {
        if (args.plate) throw InputError("--plate", *args.plate, "no --plate with --match (the texts are drawn at random)");
        runMatchedRender(args);
        return;
    }
    if (!args.without.empty()) throw InputError("--without", args.without, "--without only with --match");
    const auto& style = styleNamed(args.style);
    const auto kind = kindNamed(args.kind);
    try {
        args.conditions.light = recognition::parseLight(args.light);
    } catch (const std::invalid_argument&) {
        throw InputError("--light", args.light, "day, dusk or night");
    }
    if (args.plate) checkPlateText(*args.plate);
    if (args.plate && !isMassachusettsPlate(*args.plate) && args.style == "MA")
        std::fprintf(stderr, "alprsim: render: note: %s is not a standard Massachusetts format\n", args.plate->c_str());
    const std::set<std::string> earlier = earlierCaptures(args.out);
    createParentFolder(fs::path(args.out) / "manifest.csv");
    PlateGenerator plates(Rng::stream(args.seed, "render-plates"));
    std::ostringstream manifest;
    manifest << "file,plate,seed,tl_x,tl_y,tr_x,tr_y,br_x,br_y,bl_x,bl_y\n";
    for (int i = 0; i < args.count; ++i) {
        const std::string text = args.plate ? *args.plate : plates.next();
        const uint64_t seed = args.seed * 1000003ULL + static_cast<uint64_t>(i);
        const auto capture = recognition::renderCapture(text, style, args.conditions, seed, kind);
        const std::string name = captureName(i);
        if (!cv::imwrite((fs::path(args.out) / name).string(), capture.image))
            throw InputError(args.out, name, "a writable folder");
        manifest << name << ',' << text << ',' << seed;
        for (const auto& p : capture.plateCorners) manifest << ',' << p.x << ',' << p.y;
        manifest << '\n';
    }
    writeFileAtomically(fs::path(args.out) / "manifest.csv", manifest.str());
    // Captures an earlier render listed and this one did not write (it wrote fewer) would sit
    // beside the new ones as if they belonged to them.
    for (int i = args.count; i < 1000000; ++i) {
        const std::string name = captureName(i);
        if (!earlier.count(name)) break;
        std::error_code ec;
        fs::remove(fs::path(args.out) / name, ec);
    }
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
    cmd->add_option("--kind", args->kind, "roi (region around the plate), crop (tight) or frame (1280x720)")
        ->capture_default_str();
    cmd->add_option("--count", args->count, "Images to write")->capture_default_str()->check(CLI::Range(1, 100000));
    cmd->add_option("--seed", args->seed, "Seed (1 unless given; with --match 27, the matched set's)");
    cmd->add_option("--match", args->match,
                    "Render the matched synthetic set of the crops in this folder (groundtruth.csv file,state,PLATE and crops/): "
                    "each crop's measured conditions, a random text of its layout");
    cmd->add_option(
        "--without", args->without,
        "With --match: parts of the matched renders to leave out, comma-separated: designs, clutter, embossing, degradations");
    cmd->add_option("--width", c.plateWidthPx, "Plate width in the image, pixels")
        ->capture_default_str()
        ->check(CLI::Range(8.0, 2000.0));
    cmd->add_option("--yaw", c.yawDeg, "Plate yaw, degrees")->capture_default_str()->check(CLI::Range(-80.0, 80.0));
    cmd->add_option("--pitch", c.pitchDeg, "Camera pitch onto the plate, degrees")
        ->capture_default_str()
        ->check(CLI::Range(-80.0, 80.0));
    cmd->add_option("--roll", c.rollDeg, "Plate roll in the image, degrees")->capture_default_str();
    cmd->add_option("--blur", c.motionBlurPx, "Motion blur length, pixels")->capture_default_str()->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--defocus", c.defocusSigma, "Defocus blur sigma, pixels")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 50.0));
    cmd->add_option("--noise", c.noiseSigma, "Sensor noise sigma, grey levels")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--light", args->light, "day, dusk or night (infrared)")->capture_default_str();
    cmd->add_option("--rain", c.rain, "Rain 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--glare", c.glare, "Glare 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--dirt", c.dirt, "Dirt 0-1")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--occlusion", c.occlusion, "Fraction of the plate width hidden")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--jpeg", c.jpegQuality,
                    "JPEG compression the camera applies, quality 1-100 (0: none); its artefacts are in the image, saved as PNG "
                    "so that nothing more is lost")
        ->capture_default_str()
        ->check(CLI::Range(0, 100));
    cmd->callback([args, cmd] {
        RenderArgs run = *args;
        if (run.match && cmd->count("--seed") == 0) run.seed = recognition::kMatchedSetSeed;
        runRender(run);
    });
}

}  // namespace alprsim::cli
