// alprsim recognize --images DIR [--truth CSV] [--out CSV]: read every image in DIR with the
// recognition pipeline, write one result row per image, and with ground truth print exact-read
// accuracy overall, per state and for Massachusetts. Unreadable images are reported on stderr
// and counted; they do not stop the batch.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "apps/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "recognition/image_file.h"
#include "recognition/plate_reader.h"
#include "recognition/tesseract_reader.h"

namespace alprsim::cli {

namespace {

struct RecognizeArgs {
    std::string images;
    std::string truth;
    std::string out = "recognition-results.csv";
    std::string backend = "cnn";
    std::string syntax = "prefer-ma";
    std::string model;
    std::string line = "fallback";
};

struct Truth {
    std::string state;
    std::string plate;
};

// groundtruth.csv: file,state,PLATE per line (a header line starting "file," is skipped).
std::map<std::string, Truth> readTruth(const fs::path& path) {
    std::istringstream in(readTextFile(path, kTruthCsvInput));
    std::map<std::string, Truth> truth;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.rfind("file,", 0) == 0) continue;
        std::vector<std::string> fields;
        std::stringstream ss(line);
        for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
        if (fields.size() != 3) throw InputError(path.string(), "line " + std::to_string(lineNo), "file,state,PLATE");
        truth[fields[0]] = {fields[1], fields[2]};
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
    int exact = 0, total = 0;
    void add(bool ok) {
        exact += ok;
        ++total;
    }
    std::string str() const {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%d/%d = %.1f%%", exact, total, total ? 100.0 * exact / total : 0.0);
        return buf;
    }
};

void runRecognize(const RecognizeArgs& args) {
    const fs::path dir(args.images);
    if (!fs::is_directory(dir)) throw InputError(args.images, "--images", "a directory of images");
    std::map<std::string, Truth> truth;
    if (!args.truth.empty()) truth = readTruth(args.truth);

    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());

    recognition::PlateReaderOptions options;
    options.syntax = parseSyntax(args.syntax);
    options.modelPath = args.model;
    const auto line = recognition::lineReadingNamed(args.line);
    if (!line) throw InputError("--line", args.line, "off, fallback or only");
    options.line = *line;
    std::unique_ptr<recognition::PlateReader> ours;
    std::unique_ptr<recognition::TesseractReader> tess;
    if (args.backend == "cnn" || args.backend == "mlp") {
        options.model = args.backend == "cnn" ? recognition::CharacterModel::Cnn : recognition::CharacterModel::Mlp;
        ours = std::make_unique<recognition::PlateReader>(options);
    } else if (args.backend == "tesseract") {
        tess = std::make_unique<recognition::TesseractReader>();
    } else {
        throw InputError("--backend", args.backend, "cnn, mlp or tesseract");
    }

    std::ostringstream csv;
    csv << "file,state,truth,read,confidence,no_read,exact,ms\n";
    Tally overall, massachusetts;
    std::map<std::string, Tally> perState;
    int unreadable = 0;
    double seconds = 0;
    for (const fs::path& file : files) {
        const recognition::CheckedImage checked = recognition::readImageChecked(file);
        const cv::Mat& image = checked.image;
        if (image.empty()) {
            std::fprintf(stderr, "alprsim: recognize: %s; skipped\n", checked.problem.c_str());
            ++unreadable;
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const recognition::PlateRead read = ours ? ours->read(image) : tess->read(image);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        seconds += ms / 1000;
        const std::string name = file.filename().string();
        auto t = truth.find(name);
        const bool known = t != truth.end();
        const bool exact = known && !read.noRead && read.text == t->second.plate;
        if (known) {
            overall.add(exact);
            perState[t->second.state].add(exact);
            if (t->second.state == "ma") massachusetts.add(exact);
        }
        char conf[32];
        std::snprintf(conf, sizeof conf, "%.3f", read.confidence);
        csv << name << ',' << (known ? t->second.state : "") << ',' << (known ? t->second.plate : "") << ','
            << read.text << ',' << conf << ',' << (read.noRead ? 1 : 0) << ',' << (known ? (exact ? "1" : "0") : "")
            << ',' << ms << '\n';
    }
    writeFileAtomically(args.out, csv.str());
    const int readCount = static_cast<int>(files.size()) - unreadable;
    std::printf("read %d images with %s in %.2f s (%.2f ms each); %d unreadable files\n", readCount,
                args.backend.c_str(), seconds, readCount ? 1000 * seconds / readCount : 0.0, unreadable);
    if (!truth.empty()) {
        std::printf("exact reads: overall %s, Massachusetts %s\n", overall.str().c_str(), massachusetts.str().c_str());
        std::printf("per state:");
        for (const auto& [state, tally] : perState) std::printf(" %s %d/%d", state.c_str(), tally.exact, tally.total);
        std::printf("\n");
    }
    std::printf("wrote %s\n", args.out.c_str());
}

}  // namespace

void addRecognizeCommand(CLI::App& app) {
    auto args = std::make_shared<RecognizeArgs>();
    CLI::App* cmd = app.add_subcommand("recognize", "Read licence plates in a folder of images (accuracy if ground truth is given)");
    cmd->add_option("--images", args->images, "Folder of images (plate crops or frames)")->required();
    cmd->add_option("--truth", args->truth, "Ground truth CSV: file,state,PLATE");
    cmd->add_option("-o,--out", args->out, "Per-image results CSV to write")->capture_default_str();
    cmd->add_option("--backend", args->backend, "cnn (the alprsim pipeline, its CNN character recogniser), mlp (the same pipeline with the older HOG + MLP recogniser) or tesseract")->capture_default_str();
    cmd->add_option("--syntax", args->syntax, "Plate syntax rule: any, ma, prefer-ma")->capture_default_str();
    cmd->add_option("--line", args->line, "The line reader (the whole crop at once, no segmentation): fallback (when segmentation is not sure), only, or off")->capture_default_str();
    cmd->add_option("--model", args->model, "Character model file, of either kind (default: data/recognition/char_cnn.yml.gz, or char_mlp.yml.gz with --backend mlp)");
    cmd->callback([args] { runRecognize(*args); });
}

}  // namespace alprsim::cli
