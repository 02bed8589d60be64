// Fault injection (issue #30): `run` and `sweep` killed with SIGKILL at seeded random moments
// (the moments are drawn from the length of an uninterrupted run; what is checked holds for
// any moment). After each kill: nothing looks complete that is not (an output folder exists
// only whole, a summary only whole); in the end a rerun completes, to the same bytes as a run
// never interrupted, and leaves no partial folder behind.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "tests/hardening/child.h"
#include "tests/support/process.h"
#include "tests/sweep/sweep_fixture.h"

namespace fs = std::filesystem;
using namespace alprsim::test;

namespace {

constexpr uint32_t kSeed = 30;  // the number: the same kill moments every time

// Runs argv to completion; its wall time in milliseconds.
long long timedRun(const std::vector<std::string>& argv, const fs::path& log) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = startChild(argv, log.string());
    REQUIRE(waitChild(pid) == 0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

// Starts argv in its own process group, kills the group with SIGKILL after `delayMs`, and
// returns once every process of the group is gone. A sweep's runs are its children: the
// sweep is reaped here, they by init, and one still exiting (slow under load) holds its
// output's lock, so an immediate rerun's same run would find "alprsim process N is writing
// it now" and fail, as it should; the user's rerun in the test comes after the kill is done.
void killAfter(const std::vector<std::string>& argv, const fs::path& log, long long delayMs) {
    alprsim::ChildOptions group;
    group.ownProcessGroup = true;
    const pid_t pid = startChild(argv, log.string(), group);
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));  // the random moment itself, not a wait for an event
    ::kill(-pid, SIGKILL);
    waitChild(pid);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::kill(-pid, 0) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(::kill(-pid, 0) != 0);  // the group is gone (ESRCH)
}

std::vector<fs::path> partialsIn(const fs::path& dir) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".partial-") != std::string::npos) found.push_back(e.path());
    return found;
}

}  // namespace

TEST_CASE("run killed at 40 random moments: the output exists only whole, and a rerun completes", "[hardening][faults]") {
    const fs::path dir = freshDir("hardening-faults-run");
    const std::string scenario = quickScenarioVariant(dir.string(), "small", 200, 0.3, 0.2);
    const fs::path reference = dir / "reference";
    const long long runMs = timedRun({alprsimBinary(), "run", scenario, "--out", reference.string()}, dir / "reference.log");
    const std::string expected = readFile((reference / "results.json").string());

    const fs::path work = dir / "work";
    fs::create_directories(work);
    const fs::path out = work / "out";
    const std::vector<std::string> argv{alprsimBinary(), "run", scenario, "--out", out.string(), "--force"};
    std::mt19937 rng(kSeed);
    std::uniform_int_distribution<long long> moment(0, runMs * 6 / 5);
    for (int i = 0; i < 40; ++i) {
        const long long at = moment(rng);
        INFO("kill " << i << " at " << at << " ms of a " << runMs << " ms run");
        killAfter(argv, dir / "killed.log", at);
        if (fs::exists(out)) CHECK(readFile((out / "results.json").string()) == expected);  // whole, or not there
        for (const auto& e : fs::directory_iterator(work)) {
            const std::string name = e.path().filename().string();
            CHECK((name == "out" || name.rfind("out.partial-", 0) == 0));  // never a name that looks complete
        }
    }
    const auto rerun = runProcess(argv);
    INFO(rerun.output);
    REQUIRE(rerun.exitCode == 0);
    CHECK(readFile((out / "results.json").string()) == expected);
    CHECK(partialsIn(work).empty());  // what the killed runs left was cleared
}

TEST_CASE("sweep killed at 12 random moments resumes to the summary of a sweep never interrupted", "[hardening][faults]") {
    SweepFixture f("faults");
    const fs::path sweep = f.writeSweep(f.cameraSweep({1, 2}));
    const long long sweepMs =
        timedRun({alprsimBinary(), "sweep", sweep.string(), "--out", (f.dir / "reference").string(), "--jobs", "2"},
                 f.dir / "reference.log");
    const std::string expected = readFile((f.dir / "reference" / "summary.csv").string());

    const fs::path out = f.dir / "out";
    const std::vector<std::string> argv{alprsimBinary(), "sweep", sweep.string(), "--out", out.string(), "--jobs", "2"};
    std::mt19937 rng(kSeed);
    std::uniform_int_distribution<long long> moment(0, sweepMs * 6 / 5);
    for (int i = 0; i < 12; ++i) {
        const long long at = moment(rng);
        INFO("kill " << i << " at " << at << " ms of a " << sweepMs << " ms sweep");
        killAfter(argv, f.dir / "killed.log", at);
        if (fs::exists(out / "summary.csv")) CHECK(readFile((out / "summary.csv").string()) == expected);
        if (!fs::exists(out / "runs")) continue;
        for (const auto& e : fs::directory_iterator(out / "runs")) {
            const std::string name = e.path().filename().string();
            if (name.find(".partial-") == std::string::npos)
                CHECK(fs::exists(e.path() / "results.json"));  // a run folder only whole
        }
    }
    const auto resumed = f.sweep(sweep, out, {"--jobs", "2"});
    INFO(resumed.output);
    REQUIRE(resumed.exitCode == 0);
    CHECK(readFile((out / "summary.csv").string()) == expected);
    CHECK(partialsIn(out / "runs").empty());
}
