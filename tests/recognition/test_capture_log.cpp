// The capture log (ALPRSIM_CAPTURE_LOG, bench_recognition --captures-from): what a run asked
// recognition to read, written and read back exactly, the plate's design included.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "core/error.h"
#include "core/files.h"
#include "recognition/recognizer.h"

using namespace alprsim::recognition;

TEST_CASE("the capture log round-trips requests with their plate designs; an unknown design names its row",
          "[recognition][capture-log]") {
    RecognitionRequest standard{"123AB4", goodConditions(88.125), 17};
    RecognitionRequest vanity{"BOSTON", goodConditions(60), 18, "MA"};
    RecognitionRequest whale{"4TK719", goodConditions(45.5), 19, "MA-right-whale"};
    whale.conditions.light = Light::NightIR;
    whale.conditions.yawDeg = -23.75;
    std::ostringstream out;
    writeCaptureLog(out, {standard, vanity, whale}, true);
    const auto file = std::filesystem::temp_directory_path() / "alprsim_capture_log_test.csv";
    alprsim::writeFileAtomically(file, out.str());
    const std::vector<RecognitionRequest> back = readCaptureLog(file);
    REQUIRE(back.size() == 3);
    CHECK(back[0].plateDesign == "MA");
    CHECK(back[2].truePlate == "4TK719");
    CHECK(back[2].plateDesign == "MA-right-whale");
    CHECK(back[2].seed == 19);
    CHECK(back[2].conditions.light == Light::NightIR);
    CHECK(back[2].conditions.yawDeg == -23.75);
    CHECK(back[0].conditions.plateWidthPx == 88.125);

    std::string text = out.str();
    text.replace(text.rfind("MA-right-whale"), 14, "MA-blue-moon");
    alprsim::writeFileAtomically(file, text);
    try {
        readCaptureLog(file);
        FAIL("an unknown plate design was accepted");
    } catch (const alprsim::InputError& e) {
        CHECK(std::string(e.what()).find("plate_design") != std::string::npos);
        CHECK(std::string(e.what()).find("MA-blue-moon") != std::string::npos);
    }
    std::filesystem::remove(file);
}
