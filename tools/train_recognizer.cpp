// train_recognizer: trains the character recogniser on rendered plates only, reproducibly
// (same seed, same model), and writes it under data/recognition/. Users never need to run
// this: the trained models are committed. Usage:
//   train_recognizer [--plates N] [--seed S] [--hidden H] [--iterations I] [--out FILE]
//   train_recognizer --dump-glyphs DIR [--plates N] [--seed S]   (writes DIR/train.glyphs and
//       DIR/heldout.glyphs, the glyph images tools/train_char_cnn.py trains the CNN on)
//   train_recognizer --dump-lines FILE [--plates N] [--seed S] [--realistic-share R]   (writes N whole
//       plate crops with their characters, what tools/train_line_cnn.py trains the line reader on;
//       a share R of them drawn as the matched set draws plates: training.h, realisticTrainingCrop;
//       --edge-share E: that share of those with the row up to the crop's edge)
//   train_recognizer --dump-lines FILE --real-crops LIST [--more-labels CSV] --part train|dev   (writes the labelled
//       real crops of LIST (training.h, readLabelledCrops) in that part of the fixed split; with
//       dev also FILE.truth.csv, a truth file for `alprsim recognize --truth`)
//   train_recognizer --fit-error-model N [--kind-captures M] [--seed S] [--threads T] [--out FILE]   (after the
//       character model: fits the calibrated mode's error model on N full-pipeline reads of rendered captures of
//       standard plates, and a model for each other plate kind on M (default 4,000) of that kind's)
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "recognition/char_classifier.h"
#include "core/csv.h"
#include "recognition/error_model.h"
#include "recognition/plate_reader.h"
#include "recognition/recognizer.h"
#include "recognition/training.h"

using namespace alprsim::recognition;
using alprsim::PlateKind;
using alprsim::plateKindName;

namespace {

double glyphAccuracy(const CharClassifier& classifier, const GlyphSamples& samples) {
    const cv::Mat probs = classifier.probabilities(samples.features);
    int correct = 0;
    for (int r = 0; r < probs.rows; ++r) {
        cv::Point best;
        cv::minMaxLoc(probs.row(r), nullptr, nullptr, nullptr, &best);
        correct += best.x == samples.labels[static_cast<size_t>(r)];
    }
    return double(correct) / std::max(1, probs.rows);
}

// The reads the error model is fitted on, one row a capture: for inspecting the fit.
void writeObservations(const std::vector<ObservedRead>& observed, const std::string& file) {
    std::ofstream csv(file);
    csv << "plate,width_px,yaw_deg,pitch_deg,roll_deg,motion_blur_px,defocus_sigma,noise_sigma,light,rain,glare,dirt,"
           "occlusion,jpeg_quality,outcome,read\n";
    for (const ObservedRead& o : observed) {
        const CaptureConditions& c = o.conditions;
        const char* outcome = o.read.noRead ? "no_read" : (o.read.text == o.truePlate ? "exact" : "misread");
        csv << alprsim::csvField(o.truePlate) << ',' << c.plateWidthPx << ',' << c.yawDeg << ',' << c.pitchDeg << ',' << c.rollDeg
            << ',' << c.motionBlurPx << ',' << c.defocusSigma << ',' << c.noiseSigma << ',' << toString(c.light) << ',' << c.rain
            << ',' << c.glare << ',' << c.dirt << ',' << c.occlusion << ',' << c.jpegQuality << ',' << outcome << ','
            << alprsim::csvField(o.read.text) << '\n';
    }
    if (!csv) throw std::runtime_error("cannot write " + file);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Train the alprsim character recogniser on rendered plates"};
    int plates = 6000, hidden = 128, iterations = 300;
    uint64_t seed = 1;
    std::string out;  // empty: the committed model's path (char_mlp.yml.gz, or error_model.json)
    app.add_option("--plates", plates, "Rendered plates to harvest glyphs from");
    app.add_option("--seed", seed, "Seed of the rendered training set");
    app.add_option("--hidden", hidden, "Hidden units of the perceptron");
    app.add_option("--iterations", iterations, "RPROP iterations");
    app.add_option("--out", out,
                   "Model file to write (default: data/recognition/char_mlp.yml.gz, or error_model.json with --fit-error-model)");
    int errorModelCaptures = 0;
    app.add_option("--fit-error-model", errorModelCaptures, "Fit the error model on this many captures instead");
    int kindCaptures = 4000;
    app.add_option("--kind-captures", kindCaptures,
                   "With --fit-error-model: fit each plate kind other than the standard one (vanity, specialty, out-of-state) "
                   "on this many captures of its own (0: none)");
    unsigned threads = 0;
    std::string observationsFile;
    app.add_option("--observations", observationsFile,
                   "With --fit-error-model: also write each capture's conditions and read to this CSV");
    app.add_option("--threads", threads,
                   "With --fit-error-model: threads rendering and reading (0: one per core; the model does not depend on it)");
    std::string dumpDir;
    app.add_option("--dump-glyphs", dumpDir, "Write the harvested glyph images to this directory instead of training");
    std::string linesFile;
    app.add_option("--dump-lines", linesFile, "Write N whole plate crops (--plates) to this file instead of training");
    double realisticShare = 0.0;
    app.add_option("--realistic-share", realisticShare,
                   "With --dump-lines: this share of the crops drawn with the states' designs, clutter and degradations")
        ->check(CLI::Range(0.0, 1.0));
    double edgeShare = 0.0;
    app.add_option("--edge-share", edgeShare,
                   "With --realistic-share: this share of the realistic crops with the row of characters up to the crop's edge "
                   "or a little past it (training.h, randomCropMeasure)")
        ->check(CLI::Range(0.0, 1.0));
    std::string realCrops, moreLabels, part = "train";
    app.add_option("--more-labels", moreLabels, "With --real-crops: texts for crops the list names no text for (file,PLATE)");
    app.add_option("--real-crops", realCrops, "With --dump-lines: write these labelled real crops (file,PLATE list) instead");
    app.add_option("--part", part, "With --real-crops: train or dev (the fixed split, training.h)")
        ->check(CLI::IsMember({"train", "dev"}));
    CLI11_PARSE(app, argc, argv);
    // One thread: OpenCV's parallel training sums in a thread-dependent order, and the model
    // must come out the same for the same seed.
    cv::setNumThreads(1);

    if (errorModelCaptures > 0) {
        // "exact E, no-read N, misread M" of a set of observed captures.
        const auto outcomes = [](const std::vector<ObservedRead>& observed) {
            int exact = 0, noRead = 0;
            for (const auto& o : observed) {
                exact += !o.read.noRead && o.read.text == o.truePlate;
                noRead += o.read.noRead;
            }
            return "exact " + std::to_string(exact) + ", no-read " + std::to_string(noRead) + ", misread " +
                   std::to_string(static_cast<int>(observed.size()) - exact - noRead);
        };
        const PlateReader reader(captureReaderOptions());
        const auto observed = observeFullPipeline(reader, errorModelCaptures, seed, threads);
        ErrorModel model = ErrorModel::fit(observed);
        for (PlateKind kind : {PlateKind::Vanity, PlateKind::Specialty, PlateKind::OutOfState}) {
            if (kindCaptures <= 0) break;
            const auto ofKind = observeFullPipeline(reader, kindCaptures, seed, threads, kind);
            model.setKindModel(kind, ErrorModel::fit(ofKind));
            std::printf("%s plates, %d captures: %s\n", plateKindName(kind), kindCaptures, outcomes(ofKind).c_str());
        }
        if (!observationsFile.empty()) writeObservations(observed, observationsFile);
        if (out.empty()) out = defaultErrorModelPath().string();
        model.save(out);
        std::printf("fitted on %d captures: %s; wrote %s\n", errorModelCaptures, outcomes(observed).c_str(), out.c_str());
        return 0;
    }

    const auto t0 = std::chrono::steady_clock::now();
    if (!linesFile.empty() && !realCrops.empty()) {
        std::vector<LabelledCrop> crops;
        for (const LabelledCrop& crop : readLabelledCrops(realCrops, moreLabels)) {
            if (isDevelopmentCrop(crop.file) == (part == "dev")) crops.push_back(crop);
        }
        writePlateLines(realPlateLines(crops), linesFile);
        if (part == "dev") {
            std::ofstream truth(linesFile + ".truth.csv");
            truth << "file,state,PLATE\n";
            for (const LabelledCrop& crop : crops) truth << crop.file.filename().string() << ",real," << crop.text << '\n';
            if (!truth) throw std::runtime_error("cannot write " + linesFile + ".truth.csv");
        }
        std::printf("wrote %zu labelled real crops (%s part) to %s\n", crops.size(), part.c_str(), linesFile.c_str());
        return 0;
    }
    if (!linesFile.empty()) {
        writePlateLines(harvestPlateLines(plates, seed, realisticShare, edgeShare), linesFile);
        std::printf("wrote %d plate crops to %s in %.1f s\n", plates, linesFile.c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return 0;
    }
    if (!dumpDir.empty()) {
        std::filesystem::create_directories(dumpDir);
        const GlyphImages train = harvestGlyphImages(plates, seed);
        const GlyphImages heldOut = harvestGlyphImages(std::max(200, plates / 10), seed + 1000003);
        writeGlyphImages(train, std::filesystem::path(dumpDir) / "train.glyphs");
        writeGlyphImages(heldOut, std::filesystem::path(dumpDir) / "heldout.glyphs");
        std::printf("wrote %d training glyphs, %d held-out, to %s in %.1f s\n", train.pixels.rows, heldOut.pixels.rows,
                    dumpDir.c_str(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return 0;
    }
    const GlyphSamples train = harvestGlyphs(plates, seed);
    const GlyphSamples heldOut = harvestGlyphs(std::max(200, plates / 10), seed + 1000003);
    const auto t1 = std::chrono::steady_clock::now();
    std::printf("harvested %d training glyphs, %d held-out, in %.1f s\n", train.features.rows, heldOut.features.rows,
                std::chrono::duration<double>(t1 - t0).count());
    std::vector<int> perClass(kClassCount, 0);
    for (int label : train.labels) ++perClass[static_cast<size_t>(label)];
    std::printf("glyphs per class:");
    for (int k = 0; k < kClassCount; ++k) std::printf(" %c=%d", k == kJunkClass ? '?' : kCharacterClasses[k], perClass[k]);
    std::printf("\n");
    const CharClassifier classifier = CharClassifier::train(train.features, train.labels, hidden, iterations);
    const auto t2 = std::chrono::steady_clock::now();
    std::printf("trained in %.1f s; glyph accuracy: training %.4f, held-out %.4f\n",
                std::chrono::duration<double>(t2 - t1).count(), glyphAccuracy(classifier, train),
                glyphAccuracy(classifier, heldOut));
    if (out.empty()) out = (recognitionDataDir() / "char_mlp.yml.gz").string();
    classifier.save(out);
    std::printf("wrote %s\n", out.c_str());
    return 0;
}
