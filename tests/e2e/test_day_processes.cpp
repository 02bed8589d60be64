// Days run as separate processes (`run --day-processes N`, pipeline/day_parts.h): the merged run has
// the same trips as a run in one process, about the same reads (traffic no longer meets across
// midnight), and is itself reproducible byte for byte.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv.h"
#include "store/read_store.h"
#include "tests/support/process.h"
#include "tests/support/run_files.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Two days of Brookline at half a percent of its population, with agency stores; trips look
// for a faster route every `reroutePeriod` seconds (0: never).
std::string twoDayScenario(const std::string& dir, double reroutePeriod = 0) {
    const json s = {{"extends", test::sourceDir() + "/scenarios/brookline-week.json"},
                    {"name", "two-days"},
                    {"time", {{"duration_hours", 48}}},
                    {"simulation", {{"reroute_period_s", reroutePeriod}}},
                    {"demand", {{"scale", 0.005}}}};
    const std::string path = dir + "/two-days-" + std::to_string(int(reroutePeriod)) + ".json";
    std::ofstream(path) << s.dump();
    return path;
}

// trips.csv with only the planned columns: trip, vehicle, plate, planned_depart, origin,
// destination, route_length_m, route_edges.
std::string plannedColumns(const std::string& tripsCsv) {
    std::istringstream in(tripsCsv);
    alprsim::CsvReader csv(in, "trips.csv");
    const auto kept = [](const std::vector<std::string>& row) {
        std::vector<std::string> out;
        for (size_t i = 0; i < row.size(); ++i)
            if (i <= 3 || (i >= 7 && i <= 10)) out.push_back(row[i]);
        return alprsim::csvRow(out);
    };
    std::string out = kept(csv.header());
    while (csv.next()) out += kept(csv.row());
    return out;
}

}  // namespace

TEST_CASE("A multi-day run with a process per day has the same trips as one process", "[e2e][days]") {
    const std::string dir = test::freshDir("e2e-days");
    const std::string scenario = twoDayScenario(dir);
    const auto one = test::runProcess({test::alprsimBinary(), "run", scenario, "--out", dir + "/one"});
    INFO(one.output);
    REQUIRE(one.exitCode == 0);
    const auto split =
        test::runProcess({test::alprsimBinary(), "run", scenario, "--out", dir + "/split", "--day-processes", "2"});
    INFO(split.output);
    REQUIRE(split.exitCode == 0);

    const json a = json::parse(test::readFile(dir + "/one/results.json"));
    const json b = json::parse(test::readFile(dir + "/split/results.json"));
    CHECK(one.output.find("departure hours differ from the 2001 NHTS profile by weekday") != std::string::npos);
    CHECK(a["simulated"]["day_processes"] == 1);
    CHECK(b["simulated"]["day_processes"] == 2);
    CHECK(b["simulated"]["days"] == 2);
    CHECK(a["counts"]["trips_planned"] == b["counts"]["trips_planned"]);
    CHECK(b["counts"]["trips_completed"] == b["counts"]["trips_planned"]);
    CHECK(plannedColumns(test::readFile(dir + "/one/trips.csv")) == plannedColumns(test::readFile(dir + "/split/trips.csv")));
    // Every read is accounted for: correct + misread, and the stores saw each of them.
    const double readsOne = a["counts"]["reads"], readsSplit = b["counts"]["reads"];
    CHECK(readsSplit > 0);
    CHECK(readsSplit == Approx(readsOne).epsilon(0.05));
    CHECK(b["counts"]["reads_correct"].get<double>() + b["counts"]["reads_misread"].get<double>() == readsSplit);
    CHECK(b["hot_list"]["reads_recorded"] == b["counts"]["reads"]);
    // False alerts are counted by cause, and the run's figures stand beside the field's bands.
    for (const json* r : {&a, &b}) {
        int64_t byCause = 0;
        for (const auto& [cause, n] : (*r)["hot_list"]["false_alerts_by_cause"].items()) byCause += n.get<int64_t>();
        CHECK(byCause == (*r)["hot_list"]["false_alerts"].get<int64_t>());
        REQUIRE((*r)["field_record"].size() == 5);
        for (const json& row : (*r)["field_record"])
            if (row["figure"] == "hit_share_of_reads")
                CHECK(row["simulated"].get<double>() == Approx((*r)["hot_list"]["hit_share"].get<double>()).margin(1e-6));
    }
    CHECK(b["sensing"]["fixed"]["cameras"] == a["sensing"]["fixed"]["cameras"]);
    CHECK(b["sensing"]["fixed"]["captured"].get<double>() ==
          Approx(a["sensing"]["fixed"]["captured"].get<double>()).epsilon(0.05));
    CHECK_FALSE(fs::exists(dir + "/split/days"));  // the day parts are merged and gone

    // Reproducible: the same split run again gives the same results, byte for byte.
    const auto again =
        test::runProcess({test::alprsimBinary(), "run", scenario, "--out", dir + "/again", "--day-processes", "2"});
    REQUIRE(again.exitCode == 0);
    CHECK(test::readFile(dir + "/again/results.json") == test::readFile(dir + "/split/results.json"));
    CHECK(test::readFile(dir + "/again/trips.csv") == test::readFile(dir + "/split/trips.csv"));
}

TEST_CASE("Day processes hand the routes their rerouted trips drove back to the merged run", "[e2e][days][reroute]") {
    const std::string dir = test::freshDir("e2e-days-reroute");
    for (const auto& [period, out] : {std::pair{60.0, dir + "/adaptive"}, {0.0, dir + "/fixed"}}) {
        const auto r =
            test::runProcess({test::alprsimBinary(), "run", twoDayScenario(dir, period), "--out", out, "--day-processes", "2"});
        INFO(r.output);
        REQUIRE(r.exitCode == 0);
    }
    const json a = json::parse(test::readFile(dir + "/adaptive/results.json"));
    CHECK(a["counts"]["trips_rerouted"].get<int>() > 0);  // set only from the day parts' outcomes
    const size_t changed = test::checkDrivenRoutes(dir + "/adaptive", dir + "/fixed");
    CHECK(changed > 0);
}

TEST_CASE("A day outside the scenario is refused, naming the option", "[e2e][days]") {
    const std::string dir = test::freshDir("e2e-days-bad");
    const auto r =
        test::runProcess({test::alprsimBinary(), "run", twoDayScenario(dir), "--out", dir + "/day9", "--only-day", "9"});
    CHECK(r.exitCode == 2);
    CHECK(r.output.find("--only-day 9") != std::string::npos);
    CHECK(r.output.find("0 to 1") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/day9"));
}

TEST_CASE("A day process places the fixed cameras its run lists instead of planning the first day again", "[e2e][days]") {
    const std::string dir = test::freshDir("e2e-days-cameras");
    const std::string scenario = twoDayScenario(dir);
    const auto dayRun = [&](const std::string& out, std::vector<std::string> extra) {
        std::vector<std::string> args = {test::alprsimBinary(), "run", scenario, "--out", dir + "/" + out, "--only-day", "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        return test::runProcess(args);
    };
    const auto planned = dayRun("planned", {});
    INFO(planned.output);
    REQUIRE(planned.exitCode == 0);
    // The list a run with --day-processes writes (days/cameras.json), from the planned sites.
    json list = json::array();
    for (const CameraRecord& c : ReadStore::open(dir + "/planned/reads.sqlite").cameras())
        list.push_back({{"id", c.id}, {"agency", c.agency}, {"edge", c.edge}, {"position", c.position}});
    REQUIRE(list.size() > 1);
    std::ofstream(dir + "/all.json") << json{{"cameras", list}}.dump();
    std::ofstream(dir + "/first.json") << json{{"cameras", {list[0]}}}.dump();

    // The same sites give the same day, byte for byte; one site gives that site's reads alone.
    const auto listed = dayRun("listed", {"--cameras-from", dir + "/all.json"});
    INFO(listed.output);
    REQUIRE(listed.exitCode == 0);
    for (const char* file : {"reads.sqlite", "outcomes.csv", "part.json"})
        CHECK(test::readFile(dir + "/listed/" + file) == test::readFile(dir + "/planned/" + file));
    REQUIRE(dayRun("one", {"--cameras-from", dir + "/first.json"}).exitCode == 0);
    const ReadStore one = ReadStore::open(dir + "/one/reads.sqlite");
    REQUIRE(one.cameras().size() == 1);
    CHECK(one.cameras()[0].id == list[0]["id"].get<std::string>());
    int64_t reads = 0;
    one.forEachReadWithTruth([&](const Read& r, const ReadTruth&) {
        CHECK(r.camera == list[0]["id"].get<std::string>());
        ++reads;
    });
    CHECK(reads < ReadStore::open(dir + "/planned/reads.sqlite").readCount());

    // A list without a camera's position, or the option without --only-day, exits 2 naming it.
    list[0].erase("position");
    std::ofstream(dir + "/bad.json") << json{{"cameras", list}}.dump();
    const auto bad = dayRun("bad", {"--cameras-from", dir + "/bad.json"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.output.find("bad.json") != std::string::npos);
    CHECK(bad.output.find("/cameras/0/position") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/bad"));
    const auto whole =
        test::runProcess({test::alprsimBinary(), "run", scenario, "--out", dir + "/whole", "--cameras-from", dir + "/all.json"});
    CHECK(whole.exitCode == 2);
    CHECK(whole.output.find("--only-day") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/whole"));
}
