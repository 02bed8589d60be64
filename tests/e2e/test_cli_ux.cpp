// What a new user meets on a first try (issue #31, frictions; #30, messages): the run says how
// to get its report (or writes it), outputs' folders are created, the report's format follows
// the extension, progress shows in logs, options go anywhere, render and recognize say what
// they do.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/support/text.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;

namespace {

// One quick.json run for the cases below (about 2 s), made once per test process.
const std::string& quickRun() {
    static const std::string dir = [] {
        const std::string d = test::freshDir("ux-quick-" + std::to_string(::getpid())) + "/run";
        const auto r = test::runProcess({test::alprsimBinary(), "run", test::sourceDir() + "/scenarios/quick.json", "--out", d});
        INFO(r.output);
        REQUIRE(r.exitCode == 0);
        return d;
    }();
    return dir;
}

}  // namespace

TEST_CASE("run ends by saying how to make the report, and --report writes it", "[e2e][ux]") {
    const std::string dir = test::freshDir("ux-run-report");
    // Progress lines at every tenth of a percent, so that a one-hour scenario shows some.
    const test::ScopedEnv progress("ALPRSIM_PROGRESS_SECONDS", "0");
    const auto plain =
        test::runProcess({test::alprsimBinary(), "run", test::sourceDir() + "/scenarios/quick.json", "--out", dir + "/a"});
    INFO(plain.output);
    REQUIRE(plain.exitCode == 0);
    CHECK(contains(plain.output, " report " + dir + "/a --out " + dir + "/a/report.html (or run with --report)"));
    CHECK_FALSE(fs::exists(dir + "/a/report.html"));
    // The scenario's hour, however early its last trip ended.
    CHECK(contains(plain.output, "over 1.0 simulated hours"));
    // Progress on stderr although it is not a terminal: share done, simulated time, time left.
    CHECK(contains(plain.output, "simulating: "));
    CHECK(contains(plain.output, "% done, day 0 07:"));
    CHECK(contains(plain.output, " left"));

    // -v after the subcommand is the program's -v (each stage logged).
    const auto verbose = test::runProcess(
        {test::alprsimBinary(), "run", test::sourceDir() + "/scenarios/quick.json", "--out", dir + "/b", "--report", "-v"});
    INFO(verbose.output);
    REQUIRE(verbose.exitCode == 0);
    CHECK(contains(verbose.output, "network: converting or reusing"));
    CHECK(contains(verbose.output, "Report: " + dir + "/b/report.html"));
    const std::string page = test::readFile(dir + "/b/report.html");
    CHECK(contains(page, "<!DOCTYPE html>"));
    CHECK(contains(page, "quick"));
}

TEST_CASE("report creates the output's folder, takes the format from the extension, and an explicit --format wins", "[e2e][ux]") {
    const std::string dir = test::freshDir("ux-report-format");
    const std::string& run = quickRun();
    const auto csv = test::runProcess({test::alprsimBinary(), "report", run, "--out", dir + "/new/folder/r.csv"});
    INFO(csv.output);
    REQUIRE(csv.exitCode == 0);
    CHECK(test::readFile(dir + "/new/folder/r.csv").rfind("run,scenario,seed,cameras,metric,", 0) == 0);
    REQUIRE(test::runProcess({test::alprsimBinary(), "report", run, "--out", dir + "/r.json"}).exitCode == 0);
    CHECK(nlohmann::json::parse(test::readFile(dir + "/r.json"))["format"] == "alprsim-report");
    REQUIRE(test::runProcess({test::alprsimBinary(), "report", run, "--out", dir + "/page.csv", "--format", "html"}).exitCode ==
            0);
    CHECK(contains(test::readFile(dir + "/page.csv"), "<!DOCTYPE html>"));

    // A folder that cannot be made says so, not "No such file or directory (is the disk full?)".
    std::ofstream(dir + "/blocker") << "a file\n";
    const auto blocked = test::runProcess({test::alprsimBinary(), "report", run, "--out", dir + "/blocker/r.html"});
    CHECK(blocked.exitCode != 0);
    CHECK(contains(blocked.output, "cannot create the folder " + dir + "/blocker"));
    CHECK_FALSE(contains(blocked.output, "disk full"));
    CHECK_FALSE(contains(blocked.output, "internal error"));
}

TEST_CASE("An unwritable network cache warns and the run goes on without it", "[e2e][ux]") {
    const std::string dir = test::freshDir("ux-nocache");
    std::ofstream(dir + "/blocker") << "a file where the cache folder would be\n";
    const test::ScopedEnv cache("ALPRSIM_CACHE", dir + "/blocker/cache");
    const auto r =
        test::runProcess({test::alprsimBinary(), "run", test::sourceDir() + "/scenarios/quick.json", "--out", dir + "/run"});
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    CHECK(contains(r.output, "warning: the network cache " + dir + "/blocker/cache/nets cannot be written"));
    CHECK(fs::exists(dir + "/run/results.json"));
    CHECK_FALSE(fs::exists(dir + "/run/network-uncached.net.xml.gz"));  // no output of the run
    // Same results as with a cache.
    CHECK(test::readFile(dir + "/run/trips.csv") == test::readFile(quickRun() + "/trips.csv"));
}

TEST_CASE("render rejects plate text it cannot draw before writing anything, and leaves no stale captures", "[e2e][ux]") {
    const std::string dir = test::freshDir("ux-render");
    for (const std::string plate : {"", "../../x", "abc"}) {
        const auto r =
            test::runProcess({test::alprsimBinary(), "render", "--out", dir + "/bad", "--plate", plate, "--count", "1"});
        INFO(plate << ": " << r.output);
        CHECK(r.exitCode == 2);
        CHECK(contains(r.output, "--plate"));
        CHECK_FALSE(contains(r.output, "internal error"));
        CHECK_FALSE(fs::exists(dir + "/bad"));
    }
    REQUIRE(test::runProcess({test::alprsimBinary(), "render", "--out", dir + "/ok", "--count", "3"}).exitCode == 0);
    CHECK(fs::exists(dir + "/ok/capture_0002.png"));
    // Options of the program after the subcommand, too.
    const auto again =
        test::runProcess({test::alprsimBinary(), "render", "--out", dir + "/ok", "--count", "1", "--plate", "123AB4", "-v"});
    INFO(again.output);
    REQUIRE(again.exitCode == 0);
    CHECK(fs::exists(dir + "/ok/capture_0000.png"));
    CHECK_FALSE(fs::exists(dir + "/ok/capture_0001.png"));  // listed by the earlier manifest, not by this one
    CHECK_FALSE(fs::exists(dir + "/ok/capture_0002.png"));
    const auto help = test::runProcess({test::alprsimBinary(), "render", "--help"});
    CHECK(contains(help.output, "saved as PNG"));
}

TEST_CASE("recognize leaves out the Massachusetts line on a set without Massachusetts plates", "[e2e][ux][recognition]") {
    const std::string dir = test::freshDir("ux-recognize");
    REQUIRE(test::runProcess(
                {test::alprsimBinary(), "render", "--out", dir + "/ny", "--style", "NY", "--plate", "ABC1234", "--count", "2"})
                .exitCode == 0);
    std::ofstream(dir + "/truth.csv") << "file,state,plate\ncapture_0000.png,ny,ABC1234\ncapture_0001.png,ny,ABC1234\n";
    const auto r = test::runProcess({test::alprsimBinary(), "recognize", "--images", dir + "/ny", "--truth", dir + "/truth.csv",
                                     "--out", dir + "/results/out.csv"});
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    CHECK(contains(r.output, "exact reads: overall "));
    CHECK_FALSE(contains(r.output, "Massachusetts"));
    CHECK(fs::exists(dir + "/results/out.csv"));  // its folder created
}

TEST_CASE(
    "a scenario's network that is a folder or a device is named as such, and an --out that cannot be made is not an internal "
    "error",
    "[e2e][ux]") {
    const std::string dir = test::freshDir("ux-paths");
    for (const auto& [osm, says] :
         {std::pair<std::string, std::string>{dir, "is a folder"}, {"/dev/null", "is a device, pipe or socket"}}) {
        nlohmann::json s = nlohmann::json::parse(test::readFile(test::sourceDir() + "/scenarios/quick.json"));
        s["network"]["osm"] = osm;
        std::ofstream(dir + "/s.json") << s.dump(2);
        const auto r = test::runProcess({test::alprsimBinary(), "run", dir + "/s.json", "--out", dir + "/out"});
        INFO(r.output);
        CHECK(r.exitCode == 2);
        CHECK(contains(r.output, "/network/osm"));
        CHECK(contains(r.output, osm + " " + says));
        CHECK_FALSE(contains(r.output, "was not found"));
    }
    std::ofstream(dir + "/blocker") << "a file\n";
    const auto blocked = test::runProcess(
        {test::alprsimBinary(), "run", test::sourceDir() + "/scenarios/quick.json", "--out", dir + "/blocker/run"});
    INFO(blocked.output);
    CHECK(blocked.exitCode != 0);
    CHECK(contains(blocked.output, "cannot create the folder " + dir + "/blocker"));
    CHECK_FALSE(contains(blocked.output, "internal error"));
}

TEST_CASE("recognize counts a truth row once when its file name has no extension", "[e2e][ux][recognition]") {
    const std::string dir = test::freshDir("ux-recognize-noext");
    REQUIRE(test::runProcess(
                {test::alprsimBinary(), "render", "--out", dir + "/img", "--kind", "crop", "--plate", "123AB4", "--count", "1"})
                .exitCode == 0);
    fs::rename(dir + "/img/capture_0000.png", dir + "/plate");
    std::ofstream(dir + "/truth.csv") << "file,state,plate\nplate,ma,123AB4\n";
    const auto r = test::runProcess({test::alprsimBinary(), "recognize", "--images", dir + "/plate", "--truth",
                                     dir + "/truth.csv", "--out", dir + "/out.csv"});
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    CHECK(contains(r.output, "overall 1/1 "));
}
