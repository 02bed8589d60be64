// The 222 real street scenes (openalpr benchmarks, European and Brazilian cars): the share of
// plates the finder finds and its false finds. Measured only, never trained on. The scenes are
// read from the shared data folder ($ALPRSIM_DATA or ../shared/data); if they are missing this
// test fails and says where it looked.
#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <sstream>

#include "core/csv.h"
#include "core/files.h"
#include "recognition/plate_reader.h"

using namespace alprsim::recognition;

TEST_CASE("real street scenes: plates found and false finds at or better than the committed level", "[recognition][real]") {
    const auto searchPath = alprsim::dataSearchPath(ALPRSIM_SOURCE_DIR);
    const auto truthFile = alprsim::findDataFile("plates/openalpr-scenes-eu-br/truth.csv", searchPath);
    std::string looked;
    for (const auto& p : searchPath) looked += " " + p.string();
    INFO("plates/openalpr-scenes-eu-br/truth.csv not found in:" << looked << " (set ALPRSIM_DATA)");
    REQUIRE_FALSE(truthFile.empty());

    PlateReaderOptions options;
    options.syntax = SyntaxRule::Any;  // European and Brazilian plates
    const PlateReader reader(options);
    std::istringstream in(alprsim::readTextFile(truthFile));
    int frames = 0, found = 0, exact = 0, falseFinds = 0;
    alprsim::CsvReader truthCsv(in, truthFile.string());  // file,region,x,y,w,h,PLATE
    REQUIRE(truthCsv.header().size() == 7);
    while (truthCsv.next()) {
        const std::vector<std::string>& f = truthCsv.row();
        // The scenes were re-encoded as JPEG; the truth still names a few by their .png.
        std::filesystem::path image = truthFile.parent_path() / f[0];
        if (!std::filesystem::exists(image)) image.replace_extension(".jpg");
        const cv::Mat frame = cv::imread(image.string());
        INFO("scene " << image);
        REQUIRE_FALSE(frame.empty());
        const cv::Rect truth(std::stoi(f[2]), std::stoi(f[3]), std::stoi(f[4]), std::stoi(f[5]));
        const std::vector<FrameRead> reads = reader.readFrame(frame);
        std::vector<cv::Rect> boxes;
        for (const FrameRead& r : reads) boxes.push_back(r.plate.box);
        const std::vector<int> matched = matchFinds(boxes, {truth});
        bool hit = false, read = false;
        for (size_t i = 0; i < reads.size(); ++i) {
            if (matched[i] < 0) {
                ++falseFinds;
                continue;
            }
            hit = true;
            read = read || reads[i].read.text == f[6];
        }
        ++frames;
        found += hit;
        exact += read;
    }
    std::printf("real scenes: %d/%d plates found (%.1f%%), %d read exactly, %.2f false finds a frame\n", found, frames,
                100.0 * found / frames, exact, double(falseFinds) / frames);
    CHECK(frames == 222);
    // Measured 216/222 (97.3%) found with the committed finder, 0.34 false finds a frame
    // (recognition/README.md): the gates are that less 2 points, and the 0.5.
    CHECK(double(found) / frames >= 0.953);
    CHECK(double(falseFinds) / frames <= 0.5);
}
