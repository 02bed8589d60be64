#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {
std::string quickScenario() { return test::sourceDir() + "/scenarios/quick.json"; }

test::ProcessResult runQuick(const std::string& out) {
    return test::runProcess({test::alprsimBinary(), "run", quickScenario(), "--out", out});
}

size_t lineCount(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }
}  // namespace

TEST_CASE("quick.json runs end to end, twice byte for byte the same, on one thread or all cores", "[e2e]") {
    const std::string dir = test::freshDir("e2e-quick");
    const std::string a = dir + "/a", b = dir + "/b";
    const auto first = runQuick(a);
    INFO(first.output);
    REQUIRE(first.exitCode == 0);
    for (const char* f : {"results.json", "reads.sqlite", "trips.csv", "cameras.geojson"}) CHECK(fs::exists(fs::path(a) / f));
    CHECK(first.output.find("trips were read at least once") != std::string::npos);
    // random-od demand has no daily profile to hold against the survey's, and says so.
    CHECK(first.output.find("departure hours not compared with the 2001 NHTS profile (random-od demand") != std::string::npos);

    const json r = json::parse(test::readFile(a + "/results.json"));
    CHECK(r["seed"] == 7);
    CHECK(r["scenario"]["name"] == "quick");
    CHECK(r["counts"]["vehicles"] == 300);
    CHECK(r["counts"]["cameras"] == 8);
    // Most trips finish within the hour (departures end at 30 minutes).
    CHECK(r["counts"]["trips_completed"].get<int>() >= 270);
    CHECK(r["counts"]["reads"].get<int>() > 100);
    // The caveat appears exactly when more than 1% of trips were teleported or never entered.
    CHECK((r["demand"]["teleported_share"].get<double>() > 0.01 || r["demand"]["never_entered_share"].get<double>() > 0.01) ==
          (first.output.find("a realistic run stays under") != std::string::npos));
    const json& m = r["metrics"]["trip_coverage"];
    CHECK(m["reads_unattributed"] == 0);
    CHECK(m["reads_attributed"] == r["counts"]["reads"]);
    CHECK(m["share_observed"].get<double>() > 0.2);
    CHECK(m["share_linked"].get<double>() <= m["share_observed"].get<double>());
    // Every edge of the Allston extract lies in Boston or Cambridge.
    for (const auto& [town, n] : r["network"]["edges_by_town"].items()) CHECK((town == "Boston" || town == "Cambridge"));

    const std::string trips = test::readFile(a + "/trips.csv");
    CHECK(lineCount(trips) == 301);
    const json cams = json::parse(test::readFile(a + "/cameras.geojson"));
    REQUIRE(cams["features"].size() == 8);
    const auto& c = cams["features"][0]["geometry"]["coordinates"];
    CHECK(c[0].get<double>() == Approx(-71.12).margin(0.05));  // lon first, WGS84
    CHECK(c[1].get<double>() == Approx(42.36).margin(0.05));

    // The second run on one worker thread (as a sweep job would be): results do not depend on it.
    const auto second = test::runProcess({test::alprsimBinary(), "run", quickScenario(), "--out", b, "--threads", "1"});
    REQUIRE(second.exitCode == 0);
    CHECK(test::readFile(a + "/results.json") == test::readFile(b + "/results.json"));
    CHECK(test::readFile(a + "/trips.csv") == test::readFile(b + "/trips.csv"));
    CHECK(test::readFile(a + "/cameras.geojson") == test::readFile(b + "/cameras.geojson"));

    // An existing output is not overwritten without --force.
    const auto again = runQuick(a);
    CHECK(again.exitCode == 2);
    CHECK(again.output.find("--force") != std::string::npos);
}

namespace {
// quick.json made ten times busier, so that a signal surely arrives mid-simulation.
std::string slowScenario(const std::string& dir) { return test::quickScenarioVariant(dir, "slow", 3000, 3, 2); }

// Starts a run, waits until its staging directory exists and SUMO has begun, then sends sig.
int interruptRun(const std::string& out, int sig) {
    const std::string scenario = slowScenario(fs::path(out).parent_path().parent_path().string());
    ChildOptions quiet;
    quiet.outputFile = "/dev/null";
    const pid_t pid = startChild({test::alprsimBinary(), "run", scenario, "--out", out}, quiet);
    const fs::path parent = fs::path(out).parent_path();
    const std::string staging = fs::path(out).filename().string() + ".partial-" + std::to_string(pid);
    auto running = [&] { return childRunning(pid); };
    // The event: the read store exists, so the simulation is about to start or under way (it
    // runs for many seconds more). No clock: a loaded machine only makes the wait longer.
    while (!fs::exists(parent / staging / "reads.sqlite") && running())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(running());  // still running: the signal lands mid-run
    kill(pid, sig);
    return waitChild(pid);
}
}  // namespace

TEST_CASE("A run killed midway leaves no complete-looking output", "[e2e]") {
    const std::string dir = test::freshDir("e2e-kill") + "/out";
    fs::create_directories(dir);
    const std::string out = dir + "/run";
    const int code = interruptRun(out, SIGKILL);
    CHECK(code == 128 + SIGKILL);
    CHECK_FALSE(fs::exists(out));
    // Whatever is left has the staging name and no results.json.
    for (const auto& entry : fs::directory_iterator(dir)) {
        CHECK(entry.path().filename().string().find(".partial-") != std::string::npos);
        CHECK_FALSE(fs::exists(entry.path() / "results.json"));
    }
}

TEST_CASE("SIGTERM stops a run cleanly and removes its partial output", "[e2e]") {
    const std::string dir = test::freshDir("e2e-term") + "/out";
    fs::create_directories(dir);
    const int code = interruptRun(dir + "/run", SIGTERM);
    CHECK(code == 130);
    CHECK(fs::is_empty(dir));
}

TEST_CASE(
    "Mesoscopic teleports are counted: every trip SUMO's log says jumped ahead is marked teleported, and trips that never "
    "entered are counted",
    "[e2e]") {
    // 5,000 cars released within six minutes on Harvard Square's streets jam them; SUMO's meso
    // model then lets stuck vehicles jump ahead ("waited too long"), which it reports only in
    // its log, and drops those whose origin stays full for 15 minutes, which it reports nowhere.
    const std::string dir = test::freshDir("e2e-meso-teleports");
    json s = json::parse(test::readFile(test::quickScenarioVariant(dir, "jam", 5000, 0.5, 0.1)));
    s["simulation"]["model"] = "mesoscopic";
    std::ofstream(dir + "/jam.json") << s.dump();
    const auto run = test::runProcess({test::alprsimBinary(), "run", dir + "/jam.json", "--out", dir + "/out"});
    INFO(run.output);
    REQUIRE(run.exitCode == 0);

    std::set<std::string> inLog;
    std::ifstream log(dir + "/out/sumo.log");
    const std::string marker = "Teleporting vehicle '";
    for (std::string line; std::getline(log, line);)
        if (const size_t at = line.find(marker); at != std::string::npos)
            inLog.insert(line.substr(at + marker.size(), line.find('\'', at + marker.size()) - at - marker.size()));
    REQUIRE(inLog.size() > 10);

    const json r = json::parse(test::readFile(dir + "/out/results.json"));
    const double end = r["simulated"]["end_s"].get<double>();
    std::set<std::string> marked;
    size_t neverEntered = 0, departed = 0;
    std::ifstream trips(dir + "/out/trips.csv");
    std::string line;
    std::getline(trips, line);
    REQUIRE(line.rfind("trip,vehicle,plate,planned_depart,depart,arrive,teleported,", 0) == 0);
    while (std::getline(trips, line)) {
        std::vector<std::string> f;
        for (size_t start = 0, comma = 0; comma != std::string::npos; start = comma + 1)
            f.push_back(line.substr(start, (comma = line.find(',', start)) - start));
        if (f.at(6) == "1") marked.insert(f.at(0));
        if (!f.at(4).empty())
            ++departed;
        else if (std::stod(f.at(3)) + 900 <= end)
            ++neverEntered;  // SUMO's --max-depart-delay
    }
    CHECK(marked == inLog);
    CHECK(r["counts"]["trips_teleported"] == inLog.size());
    CHECK(r["counts"]["trips_departed"] == departed);
    CHECK(neverEntered > 10);
    CHECK(r["demand"]["trips_never_entered"] == neverEntered);
    CHECK(r["demand"]["never_entered_share"].get<double>() ==
          Approx(double(neverEntered) / (departed + neverEntered)).epsilon(1e-4));
    // Past the 1% a realistic run stays under, the summary says the figures need a caveat.
    REQUIRE(r["demand"]["teleported_share"].get<double>() > 0.01);
    REQUIRE(r["demand"]["never_entered_share"].get<double>() > 0.01);
    char expected[160];
    std::snprintf(expected, sizeof expected,
                  "Warning: %.2f%% of trips teleported and %.2f%% never entered the network, more than the 1%%",
                  100 * r["demand"]["teleported_share"].get<double>(), 100 * r["demand"]["never_entered_share"].get<double>());
    CHECK(run.output.find(expected) != std::string::npos);
    CHECK(run.output.find("a realistic run stays under: the mesoscopic model") != std::string::npos);
    CHECK(run.output.find(std::to_string(neverEntered) + " trips whose origin stayed full for 15 minutes") != std::string::npos);
}
