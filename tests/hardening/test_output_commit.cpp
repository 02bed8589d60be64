// What `run` may replace (issue #30): --force replaces only an earlier output of alprsim (a
// folder holding .alprsim-output), a second run into the output folder another run is writing
// is refused, and a partial folder left by kill -9 is cleared by the next run in that folder.
// (The commit's own race, two runs that both pass the start, is in tests/core/test_files.cpp.)
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/hardening/child.h"
#include "tests/support/process.h"
#include "tests/support/text.h"

namespace fs = std::filesystem;
using namespace alprsim::test;

namespace {

fs::path stagingOf(const fs::path& out, pid_t pid) { return out.string() + ".partial-" + std::to_string(pid); }
}  // namespace

TEST_CASE("run with --force leaves a folder or file alprsim did not write as it was", "[hardening][outputs]") {
    const fs::path dir = freshDir("hardening-force");
    const std::string scenario = quickScenarioVariant(dir.string(), "small", 60, 0.25, 0.2);
    fs::create_directories(dir / "mine");
    std::ofstream(dir / "mine" / "thesis.tex") << "years of work";
    std::ofstream(dir / "notes.txt") << "notes";
    for (const char* target : {"mine", "notes.txt"}) {
        INFO(target);
        const auto r = runProcess({alprsimBinary(), "run", scenario, "--out", (dir / target).string(), "--force"});
        INFO(r.output);
        CHECK(r.exitCode == 2);
        CHECK(contains(r.output, (dir / target).string()));
        CHECK(contains(r.output, "not one, and was left as it was"));
    }
    CHECK(readFile((dir / "mine" / "thesis.tex").string()) == "years of work");
    CHECK(readFile((dir / "notes.txt").string()) == "notes");

    // An earlier run is replaced.
    REQUIRE(runProcess({alprsimBinary(), "run", scenario, "--out", (dir / "run").string()}).exitCode == 0);
    CHECK(fs::exists(dir / "run" / ".alprsim-output"));
    const auto again = runProcess({alprsimBinary(), "run", scenario, "--out", (dir / "run").string(), "--force"});
    INFO(again.output);
    CHECK(again.exitCode == 0);
    CHECK(fs::exists(dir / "run" / "results.json"));
}

TEST_CASE("A run into an output folder another run is writing is refused at once", "[hardening][outputs]") {
    const fs::path dir = freshDir("hardening-two-runs");
    const fs::path scenario = busyScenario(dir);
    const fs::path out = dir / "out";
    const pid_t first =
        startChild({alprsimBinary(), "run", scenario.string(), "--out", out.string()}, (dir / "first.log").string());
    REQUIRE(waitWhileRunning([&] { return fs::exists(stagingOf(out, first) / ".alprsim-output"); }, first));
    for (const bool force : {false, true}) {
        std::vector<std::string> argv{alprsimBinary(), "run", scenario.string(), "--out", out.string()};
        if (force) argv.push_back("--force");
        const auto second = runProcess(argv);
        INFO(second.output);
        CHECK(second.exitCode == 2);
        CHECK(contains(second.output, "alprsim process " + std::to_string(first) + " is writing it now"));
    }
    REQUIRE(childRunning(first));
    ::kill(first, SIGTERM);
    CHECK(waitChild(first) == 130);
}

TEST_CASE("The next run in a folder clears the partial output kill -9 left there", "[hardening][outputs]") {
    const fs::path dir = freshDir("hardening-stale-partial");
    const fs::path scenario = busyScenario(dir);
    const pid_t killed =
        startChild({alprsimBinary(), "run", scenario.string(), "--out", (dir / "a").string()}, (dir / "a.log").string());
    const fs::path partial = stagingOf(dir / "a", killed);
    REQUIRE(waitWhileRunning([&] { return fs::exists(partial / "reads.sqlite"); }, killed));
    ::kill(killed, SIGKILL);
    CHECK(waitChild(killed) == 128 + SIGKILL);
    REQUIRE(fs::exists(partial));  // nothing could clean up
    CHECK_FALSE(fs::exists(dir / "a"));

    const auto next = runProcess(
        {alprsimBinary(), "run", quickScenarioVariant(dir.string(), "small", 60, 0.25, 0.2), "--out", (dir / "b").string()});
    INFO(next.output);
    CHECK(next.exitCode == 0);
    CHECK_FALSE(fs::exists(partial));
    CHECK(fs::exists(dir / "b" / "results.json"));
}
