// `alprsim sweep` with the local backend, driving the real CLI on a real (small) network.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include "core/csv.h"
#include "core/process.h"
#include "tests/support/text.h"
#include "tests/sweep/sweep_fixture.h"

using namespace alprsim;
namespace fs = std::filesystem;
using alprsim::test::contains;
using nlohmann::json;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    return out;
}

std::vector<std::string> runIds(const fs::path& out) {
    const json sweep = json::parse(test::readFile((out / "sweep.json").string()));
    std::vector<std::string> ids;
    for (const auto& r : sweep["runs"]) ids.push_back(r["id"]);
    return ids;
}

// A finished run's identity on disk: its results.json's inode and modification time.
std::pair<ino_t, long long> fileStamp(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return {st.st_ino, static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

// The "runs" column of summary.csv rows for one metric.
std::vector<std::string> runsColumn(const std::string& summary, const std::string& metric) {
    std::vector<std::string> out;
    for (const std::string& line : lines(summary)) {
        if (!contains(line, "," + metric + ",")) continue;
        const size_t at = line.find("," + metric + ",") + metric.size() + 2;
        out.push_back(line.substr(at, line.find(',', at) - at));
    }
    return out;
}

}  // namespace

TEST_CASE("A local sweep runs every run, summarises over seeds, and gives the same ids and summary again", "[sweep]") {
    test::SweepFixture f("local");
    const fs::path sweep = f.writeSweep(f.cameraSweep({1, 2}));
    const auto first = f.sweep(sweep, f.dir / "a", {"--jobs", "2"});
    INFO(first.output);
    REQUIRE(first.exitCode == 0);
    CHECK(contains(first.output, "4 runs; 0 already done, 4 run now, 0 failed"));

    const auto ids = runIds(f.dir / "a");
    REQUIRE(ids.size() == 4);
    for (const std::string& id : ids) CHECK(fs::exists(f.dir / "a" / "runs" / id / "results.json"));
    const json r0 = json::parse(test::readFile((f.dir / "a" / "runs" / ids[0] / "results.json").string()));
    CHECK(r0["seed"] == 1);
    CHECK(r0["counts"]["cameras"] == 2);
    CHECK(r0["scenario"]["demand"]["vehicles"] == 40);  // the tiny base, through "extends"

    const std::string summary = test::readFile((f.dir / "a" / "summary.csv").string());
    CHECK(lines(summary).at(0) == "point,/cameras/count,metric,runs,mean,stddev,ci95_low,ci95_high");
    CHECK(runsColumn(summary, "metrics.trip_coverage.share_observed") == std::vector<std::string>{"2", "2"});
    CHECK(contains(summary, "0,2,counts.cameras,2,2,0,2,2\n"));
    CHECK(contains(summary, "1,6,counts.cameras,2,6,0,6,6\n"));

    // A sweep's runs are forked from the sweep process, not executed anew: each gives what a
    // standalone `alprsim run` of its scenario gives, byte for byte.
    const auto solo = test::runProcess({test::alprsimBinary(), "run", (f.dir / "a" / "scenarios" / (ids[0] + ".json")).string(),
                                        "--out", (f.dir / "solo").string(), "--force"});
    REQUIRE(solo.exitCode == 0);
    for (const char* file : {"results.json", "trips.csv", "cameras.geojson"})
        CHECK(test::readFile((f.dir / "solo" / file).string()) ==
              test::readFile((f.dir / "a" / "runs" / ids[0] / file).string()));

    // The same sweep with one job, elsewhere: same ids, byte-identical summary.
    const auto second = f.sweep(sweep, f.dir / "b", {"--jobs", "1"});
    REQUIRE(second.exitCode == 0);
    CHECK(runIds(f.dir / "b") == ids);
    CHECK(test::readFile((f.dir / "b" / "summary.csv").string()) == summary);

    // A rerun into the first directory skips everything and leaves the runs alone.
    const auto stamp = fileStamp(f.dir / "a" / "runs" / ids[0] / "results.json");
    const auto rerun = f.sweep(sweep, f.dir / "a");
    INFO(rerun.output);
    REQUIRE(rerun.exitCode == 0);
    CHECK(contains(rerun.output, "4 already done, 0 run now"));
    CHECK(fileStamp(f.dir / "a" / "runs" / ids[0] / "results.json") == stamp);
    CHECK(test::readFile((f.dir / "a" / "summary.csv").string()) == summary);
}

TEST_CASE("A killed sweep resumes: finished runs are kept, half-written ones are redone and never counted", "[sweep]") {
    test::SweepFixture f("resume");
    const fs::path sweep = f.writeSweep(f.cameraSweep({1, 2, 3}));
    const fs::path out = f.dir / "out";

    // Start the sweep in its own process group and kill the group (sweep and its runs) with
    // SIGKILL once the first run has finished: nothing gets to clean up.
    ChildOptions group;
    group.ownProcessGroup = true;
    const pid_t pid = startChild({test::alprsimBinary(), "sweep", sweep.string(), "--out", out.string(), "--jobs", "1"}, group);
    auto finishedRuns = [&] {
        std::vector<std::string> done;
        std::error_code ec;
        if (fs::exists(out / "runs", ec))
            for (const auto& e : fs::directory_iterator(out / "runs"))
                if (fs::exists(e.path() / "results.json")) done.push_back(e.path().filename().string());
        return done;
    };
    // Waits for the event (a finished run), however long a loaded machine takes; only the
    // sweep's own end stops the wait otherwise.
    while (finishedRuns().empty() && childRunning(pid)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(-pid, SIGKILL);
    REQUIRE(waitChild(pid) == 128 + SIGKILL);

    const auto ids = runIds(out);
    REQUIRE(ids.size() == 6);
    const auto finished = finishedRuns();
    REQUIRE(!finished.empty());
    REQUIRE(finished.size() < ids.size());
    CHECK_FALSE(fs::exists(out / "summary.csv"));  // the killed sweep never summarised
    std::map<std::string, std::pair<ino_t, long long>> stamps;
    for (const std::string& id : finished) stamps[id] = fileStamp(out / "runs" / id / "results.json");

    // A run directory without results.json (as a crash of an older writer would leave) and a
    // staging directory of a dead process: neither is a finished run.
    std::string halfWritten;
    for (const std::string& id : ids)
        if (!stamps.count(id)) halfWritten = id;
    fs::create_directories(out / "runs" / halfWritten);
    std::ofstream(out / "runs" / halfWritten / "trips.csv") << "vehicle\n";
    fs::create_directories(out / "runs" / (halfWritten + ".partial-999999999"));

    const auto resumed = f.sweep(sweep, out, {"--jobs", "2"});
    INFO(resumed.output);
    REQUIRE(resumed.exitCode == 0);
    CHECK(contains(resumed.output, std::to_string(finished.size()) + " already done, " + std::to_string(6 - finished.size()) +
                                       " run now, 0 failed"));
    for (const auto& [id, stamp] : stamps) CHECK(fileStamp(out / "runs" / id / "results.json") == stamp);  // not redone
    for (const std::string& id : ids) CHECK(fs::exists(out / "runs" / id / "results.json"));
    CHECK(fs::exists(out / "runs" / halfWritten / "reads.sqlite"));  // redone in full
    for (const auto& e : fs::directory_iterator(out / "runs")) CHECK_FALSE(contains(e.path().filename().string(), ".partial-"));
    const std::string summary = test::readFile((out / "summary.csv").string());
    CHECK(runsColumn(summary, "metrics.trip_coverage.share_observed") == std::vector<std::string>{"3", "3"});
}

TEST_CASE("A failed run is reported with its log and does not stop the others; a rerun retries it", "[sweep]") {
    test::SweepFixture f("failure");
    // The second camera configuration names an edge the network does not have: the scenario
    // file is valid, and the run fails once it loads the network.
    const json sweep = {
        {"name", "fail"}, {"base", "tiny.json"}, {"seeds", {1}}, {"grid", {{{"path", "/cameras"}, {"values", json::parse(R"([
                            {"agency": "Boston", "placement": "busiest-edges", "count": 3},
                            {"agency": "Boston", "placement": "list", "sites": [{"edge": "no-such-edge"}]},
                            {"agency": "Boston", "placement": "busiest-edges", "count": 4}])")}}}}};
    const fs::path file = f.writeSweep(sweep);
    const auto result = f.sweep(file, f.dir / "out", {"--jobs", "2"});
    INFO(result.output);
    CHECK(result.exitCode == 1);
    CHECK(contains(result.output, "3 runs; 0 already done, 3 run now, 1 failed"));
    const auto ids = runIds(f.dir / "out");
    const fs::path log = f.dir / "out" / "logs" / (ids[1] + ".log");
    CHECK(contains(result.output, "run " + ids[1] + " failed (exit 2); log: " + log.string()));
    CHECK(contains(test::readFile(log.string()), "no-such-edge"));
    CHECK(fs::exists(f.dir / "out" / "runs" / ids[0] / "results.json"));
    CHECK(fs::exists(f.dir / "out" / "runs" / ids[2] / "results.json"));
    CHECK_FALSE(fs::exists(f.dir / "out" / "runs" / ids[1]));
    const std::string summary = test::readFile((f.dir / "out" / "summary.csv").string());
    CHECK(runsColumn(summary, "counts.cameras") == std::vector<std::string>{"1", "1"});  // points 0 and 2 only
    const std::string runs = test::readFile((f.dir / "out" / "runs.csv").string());
    CHECK(contains(runs, ids[1] + ",1,1,"));
    CHECK(contains(runs, ",failed,2," + log.string()));

    const auto again = f.sweep(file, f.dir / "out");
    CHECK(again.exitCode == 1);
    CHECK(contains(again.output, "3 runs; 2 already done, 1 run now, 1 failed"));
}

TEST_CASE("Bad sweep input exits 2 naming file, path and expectation, before any run starts", "[sweep]") {
    test::SweepFixture f("badinput");
    SECTION("an unknown field in the sweep file") {
        json sweep = f.cameraSweep({1});
        sweep["seed"] = 3;
        const fs::path file = f.writeSweep(sweep);
        const auto r = f.sweep(file, f.dir / "out");
        CHECK(r.exitCode == 2);
        CHECK(contains(r.output, file.string() + ": at /seed: a known field"));
    }
    SECTION("a parameter value the scenario loader rejects") {
        json sweep = f.cameraSweep({1});
        sweep["grid"][0] = {{"path", "/demand/vehicles"}, {"values", {10, -5}}};
        const auto r = f.sweep(f.writeSweep(sweep), f.dir / "out");
        INFO(r.output);
        CHECK(r.exitCode == 2);
        CHECK(contains(r.output, "at /demand/vehicles: a whole number from 1"));
        CHECK(contains(r.output, "(run p0001-s1-"));
        CHECK(fs::is_empty(f.dir / "out" / "runs"));
    }
}

TEST_CASE("The first shipped sweep runs, and its folder holds that sweep only", "[sweep][shipped]") {
    test::SweepFixture f("first");
    const fs::path out = f.dir / "first";
    ::setenv("ALPRSIM_PROGRESS_SECONDS", "0", 1);  // a progress line per run that ends
    const auto first = f.sweep(fs::path(test::sourceDir()) / "sweeps" / "first-sweep.json", out, {"--jobs", "2"});
    ::unsetenv("ALPRSIM_PROGRESS_SECONDS");
    INFO(first.output);
    REQUIRE(first.exitCode == 0);
    CHECK(contains(first.output, "Sweep first-sweep: 20 runs; 0 already done, 20 run now, 0 failed."));
    // Progress in a log that is not a terminal: runs ended, share done, time left.
    CHECK(contains(first.output, "sweep: "));
    CHECK(contains(first.output, "% done, 1 of 20 runs ended"));
    CHECK(contains(first.output, " left"));
    // Every finished run has its exit code.
    const std::vector<std::string> rows = lines(test::readFile((out / "runs.csv").string()));
    REQUIRE(rows.size() == 21);
    CHECK(rows[0] == "id,point,seed,/cameras/count,status,exit_code,log");
    std::istringstream runsCsv(test::readFile((out / "runs.csv").string()));
    CsvReader runs(runsCsv, "runs.csv");
    while (runs.next()) CHECK(runs.row().at(runs.column("exit_code")) == "0");
    // Resumed, the runs an earlier invocation finished keep their exit codes.
    REQUIRE(f.sweep(fs::path(test::sourceDir()) / "sweeps" / "first-sweep.json", out).exitCode == 0);
    CHECK(lines(test::readFile((out / "runs.csv").string())) == rows);

    // Another sweep into this folder is refused, and nothing of it is written there.
    const auto other = f.sweep(f.writeSweep(f.cameraSweep({1, 2})), out);
    INFO(other.output);
    CHECK(other.exitCode == 2);
    CHECK(contains(other.output, "it holds the runs of sweep \"first-sweep\""));
    CHECK(json::parse(test::readFile((out / "sweep.json").string()))["sweep"]["name"] == "first-sweep");
    CHECK(fs::directory_iterator(out / "scenarios") != fs::directory_iterator());
    size_t scenarios = 0;
    for (const auto& e : fs::directory_iterator(out / "scenarios")) scenarios += e.path().extension() == ".json";
    CHECK(scenarios == 20);

    // The same sweep edited (two seeds) goes on in its folder; the report counts its runs only.
    json edited = json::parse(test::readFile(test::sourceDir() + "/sweeps/first-sweep.json"));
    edited["seeds"] = {1, 2};
    edited["base"] = test::sourceDir() + "/scenarios/quick.json";
    const auto again = f.sweep(f.writeSweep(edited, "edited.json"), out);
    INFO(again.output);
    REQUIRE(again.exitCode == 0);
    CHECK(contains(again.output, "8 runs; 8 already done, 0 run now"));
    const auto report =
        test::runProcess({test::alprsimBinary(), "report", out.string(), "--out", (f.dir / "report.json").string()});
    INFO(report.output);
    REQUIRE(report.exitCode == 0);
    CHECK(contains(report.output, "(8 run(s), json)"));
    const json bundle = json::parse(test::readFile((f.dir / "report.json").string()));
    CHECK(bundle["runs"].size() == 8);
    CHECK(contains(bundle["notes"].dump(), "12 run folder(s) are not runs of the sweep its sweep.json describes"));
}

TEST_CASE("A finished run whose results.json is damaged is named and done again", "[sweep]") {
    test::SweepFixture f("damaged");
    const fs::path sweep = f.writeSweep(f.cameraSweep({1}));
    const fs::path out = f.dir / "out";
    REQUIRE(f.sweep(sweep, out).exitCode == 0);
    const auto ids = runIds(out);
    REQUIRE(ids.size() == 2);
    const fs::path damaged = out / "runs" / ids[0] / "results.json";
    const std::string whole = test::readFile(damaged.string());
    const std::string summary = test::readFile((out / "summary.csv").string());
    std::ofstream(damaged, std::ios::trunc) << whole.substr(0, whole.size() / 2);  // as a disk error or an editor could leave it

    const auto rerun = f.sweep(sweep, out);
    INFO(rerun.output);
    REQUIRE(rerun.exitCode == 0);
    CHECK(contains(rerun.output, "run " + ids[0] + ": " + damaged.string() + " is damaged (not valid JSON"));
    CHECK(contains(rerun.output, "1 already done, 1 run now, 0 failed"));
    CHECK(test::readFile(damaged.string()) == whole);  // done again, to the same bytes
    CHECK(test::readFile((out / "summary.csv").string()) == summary);
}
