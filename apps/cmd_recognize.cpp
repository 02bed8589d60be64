// alprsim recognize --images PATH [--truth CSV] [--out CSV]: read the plates in an image or a
// folder of images with the recognition pipeline and write one row per plate read. Two ways to
// look at an image (--find): as a street frame, where the plate finder finds every plate and each
// is straightened and read, or as a plate crop (or region around one), read whole.
//
// Ground truth, columns found by name: `file,state,PLATE` (crops: openalpr-us/groundtruth.csv)
// gives exact reads overall, per state and for Massachusetts; `file,region,x,y,w,h,PLATE`
// (frames: openalpr-scenes-eu-br/truth.csv) also gives the share of plates found (a find whose
// box overlaps the true box with IoU > 0.4, the openalpr benchmarks' rule) and the false finds
// per frame. Unreadable images are reported on stderr and counted; they do not stop the batch.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>

#include "apps/commands.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/files.h"
#include "recognition/image_file.h"
#include "recognition/plate_reader.h"
#include "recognition/tesseract_reader.h"

namespace alprsim::cli {

namespace {

using recognition::kFoundIoU;

struct RecognizeArgs {
    std::string images;
    std::string truth;
    std::string out = "recognition-results.csv";
    std::string backend = "cnn";
    std::string syntax = "prefer-ma";
    std::string model;
    std::string line = "first";  // PlateReaderOptions' default (recognition/plate_reader.h)
    std::string find = "auto";
    std::string state;            // --state: the region whose plate formats reads prefer
    bool stateFromTruth = false;  // --state-from-truth: each plate's state (region) column
};

struct TruePlate {
    std::string state;  // or the region (eu, br) of a scenes file
    std::string plate;
    cv::Rect box;  // empty in a crops file
};

struct Truth {
    std::map<std::string, std::vector<TruePlate>> byFile;  // by file name as listed, and by its stem
    bool hasBoxes = false;
    const std::vector<TruePlate>* find(const fs::path& image) const {
        auto it = byFile.find(image.filename().string());
        if (it == byFile.end()) it = byFile.find(image.stem().string());
        return it == byFile.end() ? nullptr : &it->second;
    }
};

// The truth file: a header naming `file` and `plate` columns (any case), `state` or `region`,
// and `x,y,w,h` for frames; or no header and `file,state,plate` (openalpr-us/groundtruth.csv).
// A file listed as "eu/eu1.jpg" matches an image eu1.jpg (and eu1.png: the scenes re-encoded).
Truth readTruth(const fs::path& path) {
    std::string text = readTextFile(path, kTruthCsvInput);
    const size_t headerEnd = std::min(text.find('\n'), text.size());
    std::string header = text.substr(0, headerEnd);
    std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const bool hasHeader = header.rfind("file,", 0) == 0;
    if (hasHeader) text.replace(0, headerEnd, header);
    std::istringstream in(text);
    CsvReader csv = hasHeader ? CsvReader(in, path.string()) : CsvReader(in, path.string(), {"file", "state", "plate"});
    const size_t file = csv.column("file"), plate = csv.column("plate");
    const auto state = csv.optionalColumn("state") ? csv.optionalColumn("state") : csv.optionalColumn("region");
    const auto x = csv.optionalColumn("x"), y = csv.optionalColumn("y");
    const auto w = csv.optionalColumn("w"), h = csv.optionalColumn("h");
    Truth truth;
    truth.hasBoxes = x && y && w && h;
    while (csv.next()) {
        TruePlate t{state ? csv.row()[*state] : "", csv.row()[plate], {}};
        if (truth.hasBoxes) {
            // A box may start just outside the image (x = -1 in the scenes' truth); it has a size.
            const auto cell = [&](size_t column, const char* name, double least) {
                const auto v = csv.number(column);
                if (!v || *v < least || *v > 1e6)
                    throw InputError(path.string(), fmt::format("row {} column {}", csv.rowNumber(), name),
                                     least > 0 ? "a size in pixels, at least 1" : "a pixel coordinate");
                return int(*v);
            };
            t.box = {cell(*x, "x", -1e6), cell(*y, "y", -1e6), cell(*w, "w", 1), cell(*h, "h", 1)};
        }
        const fs::path listed(csv.row()[file]);
        truth.byFile[listed.filename().string()].push_back(t);
        // A name without an extension is its own stem: listed once, not counted twice.
        if (listed.stem() != listed.filename()) truth.byFile[listed.stem().string()].push_back(t);
    }
    return truth;
}

recognition::SyntaxRule parseSyntax(const std::string& s) {
    if (s == "any") return recognition::SyntaxRule::Any;
    if (s == "ma") return recognition::SyntaxRule::Massachusetts;
    if (s == "prefer-ma") return recognition::SyntaxRule::PreferMassachusetts;
    throw InputError("--syntax", s, "any, ma or prefer-ma");
}

struct Tally {
    int hits = 0, total = 0;
    void add(bool ok) {
        hits += ok;
        ++total;
    }
    std::string str() const { return fmt::format("{}/{} = {:.1f}%", hits, total, total ? 100.0 * hits / total : 0.0); }
};

bool looksLikeImage(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm"})
        if (ext == known) return true;
    return false;
}

// The image named, or every image in the folder and its subfolders (by name ending), in order.
std::vector<fs::path> imagesAt(const std::string& where) {
    const fs::path path(where);
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return {path};
    if (!fs::is_directory(path, ec)) throw InputError(where, "--images", "an image file or a folder of images");
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(path))
        if (entry.is_regular_file() && looksLikeImage(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// What was read in one image: plates found (frames) or the one read of the whole image (crops).
// region: the plate formats to prefer (plate_syntax.h), or empty for --syntax's rule.
std::vector<recognition::FrameRead> readImage(const cv::Mat& image, bool frames, const recognition::PlateReader* ours,
                                              recognition::TesseractReader* tess, const std::string& region) {
    if (frames) return ours->readFrame(image, region);
    recognition::FrameRead whole;
    whole.read = ours ? ours->read(image, region) : tess->read(image);
    return {whole};
}

struct Figures {
    Tally exact, massachusetts, found;
    std::map<std::string, Tally> exactByState, foundByState;
    int falseFinds = 0, frames = 0, unreadable = 0, images = 0;
    double seconds = 0;
};

void printFigures(const Figures& f, const RecognizeArgs& args, bool frames, bool truthGiven, bool hasBoxes) {
    fmt::print("read {} images with {} as {} in {:.2f} s ({:.2f} ms each); {} unreadable files\n", f.images, args.backend,
               frames ? "frames (plates found, then read)" : "crops (read whole)", f.seconds,
               f.images ? 1000 * f.seconds / f.images : 0.0, f.unreadable);
    if (!truthGiven) return;
    if (hasBoxes && frames) {
        fmt::print("plates found (IoU > {}): {}; false finds: {} in {} frames = {:.2f} a frame\n", kFoundIoU, f.found.str(),
                   f.falseFinds, f.frames, f.frames ? double(f.falseFinds) / f.frames : 0.0);
        fmt::print("found per {}:", "region");
        for (const auto& [key, tally] : f.foundByState) fmt::print(" {} {}/{}", key, tally.hits, tally.total);
        fmt::print("\n");
    }
    fmt::print("exact reads: overall {}", f.exact.str());
    if (f.massachusetts.total > 0) fmt::print(", Massachusetts {}", f.massachusetts.str());
    fmt::print("\nper {}:", hasBoxes ? "region" : "state");
    for (const auto& [key, tally] : f.exactByState) fmt::print(" {} {}/{}", key, tally.hits, tally.total);
    fmt::print("\n");
}

void runRecognize(const RecognizeArgs& args) {
    const std::vector<fs::path> files = imagesAt(args.images);
    Truth truth;
    if (!args.truth.empty()) truth = readTruth(args.truth);
    if (args.find != "auto" && args.find != "frames" && args.find != "crops")
        throw InputError("--find", args.find, "auto, frames or crops");
    const bool frames = args.find == "frames" || (args.find == "auto" && (args.truth.empty() || truth.hasBoxes));
    if (!args.state.empty() && !recognition::PlateFormats::standard().of(args.state)) {
        throw InputError(
            "--state", args.state,
            "a region with known plate formats (data/recognition/plate-formats.csv: a state code such as ma, or dc, br)");
    }
    if (args.stateFromTruth && args.truth.empty())
        throw InputError("--state-from-truth", "", "a --truth file with a state or region column");
    if (!args.state.empty() && args.backend == "tesseract") throw InputError("--state", args.state, "the cnn or mlp backend");

    recognition::PlateReaderOptions options;
    options.syntax = parseSyntax(args.syntax);
    options.modelPath = args.model;
    const auto line = recognition::lineReadingNamed(args.line);
    if (!line) throw InputError("--line", args.line, "off, fallback, first or only");
    options.line = *line;
    std::unique_ptr<recognition::PlateReader> ours;
    std::unique_ptr<recognition::TesseractReader> tess;
    if (args.backend == "cnn" || args.backend == "mlp") {
        options.model = args.backend == "cnn" ? recognition::CharacterModel::Cnn : recognition::CharacterModel::Mlp;
        ours = std::make_unique<recognition::PlateReader>(options);
    } else if (args.backend == "tesseract") {
        if (frames) throw InputError("--backend", "tesseract", "cnn or mlp with --find frames (tesseract reads crops only)");
        tess = std::make_unique<recognition::TesseractReader>();
    } else {
        throw InputError("--backend", args.backend, "cnn, mlp or tesseract");
    }

    std::ostringstream csv;
    csv << "file,state,truth,read,confidence,no_read,exact,x,y,w,h,score,found,ms\n";
    Figures f;
    for (const fs::path& file : files) {
        const recognition::CheckedImage checked = recognition::readImageChecked(file);
        const cv::Mat& image = checked.image;
        if (image.empty()) {
            fmt::print(stderr, "alprsim: recognize: {}; skipped\n", checked.problem);
            ++f.unreadable;
            continue;
        }
        ++f.images;
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<TruePlate>* known = truth.find(file);
        // A reader configured for its region: the truth's state (the first plate's, in a frame), or --state.
        const std::string region = args.stateFromTruth && known && !known->empty() ? known->front().state : args.state;
        const std::vector<recognition::FrameRead> reads = readImage(image, frames, ours.get(), tess.get(), region);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        f.seconds += ms / 1000;

        // Which true plate each read stands for: in a crop, the one plate; in a frame, the true
        // plate its find overlaps most (above kFoundIoU), if any.
        std::vector<int> matched(reads.size(), -1);
        if (known) {
            if (frames && truth.hasBoxes) {
                std::vector<cv::Rect> finds, boxes;
                for (const auto& read : reads) finds.push_back(read.plate.box);
                for (const auto& t : *known) boxes.push_back(t.box);
                matched = recognition::matchFinds(finds, boxes);
            } else {
                std::fill(matched.begin(), matched.end(), 0);
            }
            ++f.frames;
            for (size_t t = 0; t < known->size(); ++t) {
                const TruePlate& truePlate = (*known)[t];
                bool found = false, exact = false;
                for (size_t r = 0; r < reads.size(); ++r) {
                    if (matched[r] != int(t)) continue;
                    found = true;
                    exact = exact || (!reads[r].read.noRead && reads[r].read.text == truePlate.plate);
                }
                f.exact.add(exact);
                f.exactByState[truePlate.state].add(exact);
                if (truePlate.state == "ma") f.massachusetts.add(exact);
                if (frames && truth.hasBoxes) {
                    f.found.add(found);
                    f.foundByState[truePlate.state].add(found);
                }
            }
            if (frames && truth.hasBoxes) f.falseFinds += int(std::count(matched.begin(), matched.end(), -1));
        }
        const std::string name = file.filename().string();
        if (reads.empty()) csv << csvField(name) << ",,,,,1,,,,,,,," << fmt::format("{:.3f}", ms) << '\n';
        for (size_t r = 0; r < reads.size(); ++r) {
            const recognition::FrameRead& read = reads[r];
            const TruePlate* t = known && matched[r] >= 0 ? &(*known)[size_t(matched[r])] : nullptr;
            const bool exact = t && !read.read.noRead && read.read.text == t->plate;
            const cv::Rect box = frames ? read.plate.box : cv::Rect({0, 0}, image.size());
            csv << csvField(name) << ',' << (t ? csvField(t->state) : "") << ',' << (t ? csvField(t->plate) : "") << ','
                << read.read.text << ',' << fmt::format("{:.3f}", read.read.confidence) << ',' << (read.read.noRead ? 1 : 0)
                << ',' << (known ? (exact ? "1" : "0") : "") << ',' << box.x << ',' << box.y << ',' << box.width << ','
                << box.height << ',' << fmt::format("{:.3f}", read.plate.score) << ','
                << (frames && truth.hasBoxes && known ? (t ? "1" : "0") : "") << ',' << fmt::format("{:.3f}", ms) << '\n';
        }
    }
    writeFileAtomically(args.out, csv.str());
    printFigures(f, args, frames, !args.truth.empty(), truth.hasBoxes);
    fmt::print("wrote {}\n", args.out);
}

}  // namespace

void addRecognizeCommand(CLI::App& app) {
    auto args = std::make_shared<RecognizeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "recognize", "Read licence plates in an image or a folder of images (accuracy if ground truth is given)");
    cmd->add_option("--images", args->images, "An image, or a folder of images (street frames or plate crops)")->required();
    cmd->add_option("--truth", args->truth,
                    "Ground truth CSV: file,state,PLATE (crops) or file,region,x,y,w,h,PLATE (frames, with the plate's box)");
    cmd->add_option(
           "-o,--out", args->out,
           "Results CSV to write: one row per plate read (file, truth, read, confidence, box x,y,w,h, finder score, found)")
        ->capture_default_str();
    cmd->add_option("--find", args->find,
                    "frames (find every plate, then read each), crops (read each image whole; a frame larger than 720x480 still "
                    "goes through the finder) or auto (crops when the truth file has no boxes, else frames)")
        ->capture_default_str();
    cmd->add_option("--backend", args->backend,
                    "cnn (the alprsim pipeline, its CNN character recogniser), mlp (the same pipeline with the older HOG + MLP "
                    "recogniser) or tesseract (crops only)")
        ->capture_default_str();
    cmd->add_option("--syntax", args->syntax, "Plate syntax rule: any, ma, prefer-ma")->capture_default_str();
    cmd->add_option("--state", args->state,
                    "The region the plates are from (a state code such as ma, ny, dc; or br): its plate formats are preferred "
                    "over --syntax, look-alike characters settled by position (data/recognition/plate-formats.csv)");
    cmd->add_flag("--state-from-truth", args->stateFromTruth,
                  "Each plate's region from the truth file's state (or region) column, as a reader configured for its state; "
                  "regions with no known formats read with --syntax");
    cmd->add_option("--line", args->line,
                    "The line reader (the whole crop at once, no segmentation): fallback (when segmentation is not sure), first "
                    "(segmentation only where it is not sure), only, or off")
        ->capture_default_str();
    cmd->add_option("--model", args->model,
                    "Character model file, of either kind (default: data/recognition/char_cnn.yml.gz, or char_mlp.yml.gz with "
                    "--backend mlp)");
    cmd->callback([args] { runRecognize(*args); });
}

}  // namespace alprsim::cli
