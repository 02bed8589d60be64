// The CI gate on recognition accuracy: fixed synthetic sets read by the full pipeline.
// A change that makes reads worse fails here.
#include <catch2/catch.hpp>

#include <cstdio>

#include "recognition/plate_reader.h"
#include "recognition/renderer.h"
#include "synthetic_sets.h"

using namespace alprsim::recognition;

namespace {

struct Rates {
    int exact = 0, misread = 0, noRead = 0, total = 0;
    double exactRate() const { return double(exact) / total; }
};

Rates measure(const std::vector<testing::SyntheticCapture>& set) {
    PlateReaderOptions options;
    options.syntax = SyntaxRule::Massachusetts;
    const PlateReader reader(options);
    Rates r;
    for (const auto& s : set) {
        const RenderedCapture capture = renderCapture(s.plate, massachusettsStyle(), s.conditions, s.seed);
        const PlateRead read = reader.read(capture.image);
        ++r.total;
        if (read.noRead)
            ++r.noRead;
        else if (read.text == s.plate)
            ++r.exact;
        else
            ++r.misread;
    }
    std::printf("exact %d, misread %d, no-read %d of %d\n", r.exact, r.misread, r.noRead, r.total);
    return r;
}

}  // namespace

TEST_CASE("good conditions: at least 98% exact reads on 1,000 synthetic Massachusetts plates", "[recognition][gate]") {
    const Rates r = measure(testing::goodSet(1000));
    CHECK(r.exactRate() >= 0.98);
}

TEST_CASE("hard conditions (night IR, 3 px blur, 40 px plates): no regression", "[recognition][gate]") {
    // Measured 69/300 exact (23.0%), 7 misreads (2.3%), 224 no-reads with the committed CNN
    // (tools/train_char_cnn.py --epochs 8 --seed 1 on train_recognizer --dump-glyphs --plates
    // 8000 --seed 1, with the plate-like faces) and the line reader's three networks (asked on
    // the plate cut around segmentation's row); the thresholds sit just under and over. (One
    // line network: 64 exact, 12 misreads; without the line reader: 55 exact, 9 misreads; the
    // CNN before the plate-like faces: 57 exact, 10 misreads; the HOG + perceptron: 21 exact,
    // 6 misreads.)
    const Rates r = measure(testing::hardSet(300));
    CHECK(r.exactRate() >= 0.22);
    // Misreads are worse than no-reads (they raise false alerts): keep them rare.
    CHECK(double(r.misread) / r.total <= 0.025);
}

TEST_CASE("typefaces and layouts never trained on: no regression", "[recognition][gate]") {
    // The good set above renders the Massachusetts face, a training face: a reader broken on
    // every other state would pass it. These plates are in the held-out faces (devTypefaces),
    // any US layout, read as plate crops with the syntax that knows no state (Any).
    PlateReaderOptions options;
    options.syntax = SyntaxRule::Any;
    const PlateReader reader(options);
    int exact = 0, misread = 0;
    const auto set = testing::unseenFaceSet(300);
    for (const auto& s : set) {
        const PlateRead read = reader.read(renderCapture(s.plate, s.style, s.conditions, s.seed, FrameKind::PlateCrop).image);
        exact += read.text == s.plate;
        misread += !read.noRead && read.text != s.plate;
    }
    std::printf("unseen faces and layouts: exact %d, misread %d of %zu\n", exact, misread, set.size());
    // Measured 255/300 exact, 44 misreads, with the committed networks (6 Dec 2026).
    CHECK(exact >= 245);
}
