// The 751 real US plate crops (openalpr benchmarks): measured only, never trained on.
// The crops are read from the shared data folder ($ALPRSIM_DATA or ../shared/data); if they
// are missing this test fails and says where it looked.
#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/files.h"
#include "recognition/plate_reader.h"

using namespace alprsim::recognition;

TEST_CASE("real plate crops: exact reads at or above the committed level", "[recognition][real]") {
    const auto searchPath = alprsim::dataSearchPath(ALPRSIM_SOURCE_DIR);
    const auto truthFile = alprsim::findDataFile("plates/openalpr-us/groundtruth.csv", searchPath);
    std::string looked;
    for (const auto& p : searchPath) looked += " " + p.string();
    INFO("plates/openalpr-us/groundtruth.csv not found in:" << looked << " (set ALPRSIM_DATA)");
    REQUIRE_FALSE(truthFile.empty());

    const PlateReader reader;  // PreferMassachusetts: other states' plates are in the set
    std::istringstream in(alprsim::readTextFile(truthFile));
    int total = 0, exact = 0, maTotal = 0, maExact = 0;
    alprsim::CsvReader truth(in, truthFile.string(), {"file", "state", "plate"});
    while (truth.next()) {
        const std::string &file = truth.row()[0], &state = truth.row()[1], &plate = truth.row()[2];
        const cv::Mat image = cv::imread((truthFile.parent_path() / "crops" / file).string());
        INFO("crop " << file);
        REQUIRE_FALSE(image.empty());
        const bool ok = reader.read(image).text == plate;
        ++total;
        exact += ok;
        if (state == "ma") {
            ++maTotal;
            maExact += ok;
        }
    }
    std::printf("real crops: %d/%d exact (%.1f%%), Massachusetts %d/%d\n", exact, total, 100.0 * exact / total, maExact, maTotal);
    CHECK(total == 751);
    // Measured 508/751 (67.6%) with the line reader first, its first network trained on realistic
    // crops, an I or O among digits read as 1 or 0, a sure segmented read that is part of the
    // line reader's longer trusted read giving way to it, and a character the line reader read
    // over short ink dropped (7 Dec 2026; 507, 67.5%, without that; 505, 67.2%, without the
    // longer read; 498, 66.3%, without the digits rule; 457, 60.9%, with the networks of 30 Nov;
    // 379, 50.5%, without the line reader; see recognition/README.md): the gate is the figure
    // less 2 points, so that a regression fails.
    CHECK(double(exact) / total >= 0.656);
    // Massachusetts, the simulation's state: 12/18 measured (7 Dec 2026, same reader; 11 before);
    // the gate sits one crop under, so that a reader that loses the state's plates fails here.
    CHECK(maTotal == 18);
    CHECK(maExact >= 11);
}
