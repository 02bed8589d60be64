// Interrupted work (issue #10): SIGINT or SIGTERM during `run` or `sweep` stops with exit 130,
// leaves nothing that looks complete, and the same command run again completes. (SIGTERM and
// SIGKILL during `run`, and SIGKILL of a whole sweep, are in tests/e2e and tests/sweep.)
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/hardening/child.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace alprsim::test;

namespace {
bool anyPartialWithReads(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return false;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().find(".partial-") != std::string::npos && fs::exists(e.path() / "reads.sqlite", ec))
            return true;
    return false;
}

std::vector<fs::path> entriesOf(const fs::path& dir) {
    std::vector<fs::path> entries;
    std::error_code ec;
    if (fs::is_directory(dir, ec))
        for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
    return entries;
}

int signalWhenSimulating(pid_t pid, const fs::path& stagingParent, int sig) {
    REQUIRE(waitWhileRunning([&] { return anyPartialWithReads(stagingParent); }, pid));  // the event, however long it takes
    REQUIRE(childRunning(pid));                                                          // the signal lands mid-run
    ::kill(pid, sig);
    return waitChild(pid);
}
}  // namespace

TEST_CASE("SIGINT stops a run cleanly, and the run again completes", "[hardening][interrupt]") {
    const fs::path dir = freshDir("hardening-run-sigint");
    const fs::path scenario = busyScenario(dir);
    const fs::path out = dir / "out";
    const std::string log = (dir / "run.log").string();
    const pid_t pid = startChild({alprsimBinary(), "run", scenario.string(), "--out", out.string()}, log);
    CHECK(signalWhenSimulating(pid, dir, SIGINT) == 130);
    CHECK(readFile(log).find("interrupted") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    for (const fs::path& e : entriesOf(dir)) CHECK(e.filename().string().find(".partial-") == std::string::npos);

    const auto again = runProcess({alprsimBinary(), "run", scenario.string(), "--out", out.string()});
    INFO(again.output);
    CHECK(again.exitCode == 0);
    CHECK(fs::exists(out / "results.json"));
}

TEST_CASE("SIGINT or SIGTERM stops a sweep cleanly, and the sweep again completes", "[hardening][interrupt]") {
    const int sig = GENERATE(SIGINT, SIGTERM);
    const fs::path dir = freshDir("hardening-sweep-" + std::to_string(sig));
    busyScenario(dir);
    std::ofstream(dir / "sweep.json") << R"({"name": "interrupted", "base": "busy.json",
        "grid": [{"path": "/cameras/count", "values": [2, 4]}], "seeds": [1]})";
    const fs::path out = dir / "out";
    const std::vector<std::string> argv = {alprsimBinary(), "sweep", (dir / "sweep.json").string(), "--out", out.string(),
                                           "--jobs",        "1"};
    const std::string log = (dir / "sweep.log").string();
    const pid_t pid = startChild(argv, log);
    CHECK(signalWhenSimulating(pid, out / "runs", sig) == 130);
    INFO(readFile(log));

    CHECK_FALSE(fs::exists(out / "summary.csv"));
    for (const fs::path& run : entriesOf(out / "runs")) {
        INFO(run.string());
        CHECK(run.filename().string().find(".partial-") == std::string::npos);  // the runs removed their partial output
        CHECK(fs::exists(run / "results.json"));                                // what is left is complete
    }

    const auto again = runProcess(argv);
    INFO(again.output);
    CHECK(again.exitCode == 0);
    CHECK(fs::exists(out / "summary.csv"));
    CHECK(entriesOf(out / "runs").size() == 2);
    for (const fs::path& run : entriesOf(out / "runs")) CHECK(fs::exists(run / "results.json"));
}
