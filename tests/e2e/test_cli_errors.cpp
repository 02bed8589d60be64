#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/csv.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;

namespace {
test::ProcessResult runScenarioText(const std::string& name, const std::string& text) {
    const std::string dir = test::freshDir("cli-" + name);
    std::ofstream(dir + "/s.json") << text;
    return test::runProcess({test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"});
}
const char* kValid = R"({"name": "x", "seed": 1, "network": {"osm": "ma/roads/boston-allston.osm"},
  "time": {"start_hour": 7, "duration_hours": 1}, "demand": {"model": "random-od", "vehicles": 5},
  "cameras": {"agency": "Boston", "placement": "busiest-edges", "count": COUNT}})";
std::string withCount(const std::string& count) {
    std::string s = kValid;
    s.replace(s.find("COUNT"), 5, count);
    return s;
}
}  // namespace

TEST_CASE("Bad scenarios exit 2 naming the file and the field", "[e2e][cli]") {
    const auto negative = runScenarioText("negative", withCount("-1"));
    CHECK(negative.exitCode == 2);
    CHECK(negative.output.find("s.json") != std::string::npos);
    CHECK(negative.output.find("/cameras/count") != std::string::npos);

    const auto notJson = runScenarioText("notjson", "{ name: ");
    CHECK(notJson.exitCode == 2);
    CHECK(notJson.output.find("valid JSON") != std::string::npos);

    const auto missing = test::runProcess({test::alprsimBinary(), "run", "/no/such/scenario.json", "--out", "/tmp/x"});
    CHECK(missing.exitCode == 2);
    CHECK(missing.output.find("/no/such/scenario.json") != std::string::npos);
}

TEST_CASE("More cameras than the network has edges is bad input, and leaves no output", "[e2e][cli]") {
    const auto r = runScenarioText("toomany", withCount("99999"));
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("/cameras/count") != std::string::npos);
    CHECK(r.output.find("at most") != std::string::npos);
    CHECK_FALSE(fs::exists(fs::current_path() / "tmp-cli-toomany" / "out"));
}

TEST_CASE("Every subcommand has --help", "[e2e][cli]") {
    for (const char* sub : {"run", "import-net"}) {
        const auto r = test::runProcess({test::alprsimBinary(), sub, "--help"});
        CHECK(r.exitCode == 0);
        CHECK(r.output.find("Usage") != std::string::npos);
    }
    const auto none = test::runProcess({test::alprsimBinary()});
    CHECK(none.exitCode == 2);
}

TEST_CASE("recognize reads a folder, names a corrupt image and goes on, and scores against the truth",
          "[e2e][cli][recognition]") {
    const fs::path dir = test::freshDir("cli-recognize");
    const fs::path images = dir / "images";
    // Three clean rendered crops, then a file that is not an image and an empty one.
    const auto rendered = test::runProcess({test::alprsimBinary(), "render", "--out", images.string(), "--kind", "crop",
                                            "--count", "3", "--seed", "4", "--width", "160"});
    REQUIRE(rendered.exitCode == 0);
    std::ofstream(images / "broken.png") << "this is not a PNG file";
    std::ofstream(images / "empty.jpg");
    // The truth as the real crops give it (file,state,PLATE), from the renderer's manifest.
    std::ifstream manifestFile(images / "manifest.csv");
    alprsim::CsvReader manifest(manifestFile, "manifest.csv");
    std::ofstream truth(dir / "truth.csv");
    std::vector<std::string> plates;
    while (manifest.next()) {
        const std::string& plate = manifest.row()[manifest.column("plate")];
        truth << alprsim::csvRow({manifest.row()[manifest.column("file")], "ma", plate});
        plates.push_back(plate);
    }
    truth.close();
    fs::remove(images / "manifest.csv");
    REQUIRE(plates.size() == 3);

    for (const std::string backend : {"cnn", "mlp"}) {
        INFO(backend);
        const fs::path out = dir / (backend + ".csv");
        const auto r = test::runProcess({test::alprsimBinary(), "recognize", "--images", images.string(), "--truth",
                                         (dir / "truth.csv").string(), "--backend", backend, "--out", out.string()});
        INFO(r.output);
        CHECK(r.exitCode == 0);
        CHECK(r.output.find("broken.png") != std::string::npos);  // named, and the batch went on
        CHECK(r.output.find("empty.jpg") != std::string::npos);
        CHECK(r.output.find("2 unreadable files") != std::string::npos);
        CHECK(r.output.find("overall 3/3") != std::string::npos);  // clean 160 px crops
        std::ifstream results(out);
        std::string all((std::istreambuf_iterator<char>(results)), std::istreambuf_iterator<char>());
        for (const std::string& plate : plates) CHECK(all.find(plate) != std::string::npos);
        CHECK(all.find("broken.png") == std::string::npos);
    }

    {
        // The networks on the baseline instruction set (every x86-64 has it) read the same crops;
        // an instruction set the variable cannot name is bad input, reported before any reading.
        const test::ScopedEnv baseline("ALPRSIM_CNN_ISA", "baseline");
        const auto r = test::runProcess({test::alprsimBinary(), "recognize", "--images", images.string(), "--truth",
                                         (dir / "truth.csv").string(), "--out", (dir / "baseline.csv").string()});
        INFO(r.output);
        CHECK(r.exitCode == 0);
        CHECK(r.output.find("overall 3/3") != std::string::npos);
        const test::ScopedEnv unknown("ALPRSIM_CNN_ISA", "sse9");
        const auto bad = test::runProcess(
            {test::alprsimBinary(), "recognize", "--images", images.string(), "--out", (dir / "bad.csv").string()});
        CHECK(bad.exitCode == 2);
        CHECK(bad.output.find("ALPRSIM_CNN_ISA=sse9") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "bad.csv"));
    }

    const auto bad = test::runProcess({test::alprsimBinary(), "recognize", "--images", images.string(), "--backend", "nonsense"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.output.find("--backend") != std::string::npos);
    CHECK(bad.output.find("cnn, mlp or tesseract") != std::string::npos);
}
