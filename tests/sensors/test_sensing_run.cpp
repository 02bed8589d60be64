// Fixed border cameras and patrol cars in a real run, through the CLI (libsumo allows one
// simulation per process).
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/files.h"
#include "sim/towns.h"
#include "tests/support/process.h"

using namespace alprsim;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {
test::ProcessResult run(const std::string& scenario, const std::string& out, const std::string& threads = "") {
    std::vector<std::string> argv{test::alprsimBinary(), "run", scenario, "--out", out};
    if (!threads.empty()) argv.insert(argv.end(), {"--threads", threads});
    return test::runProcess(argv);
}
size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

struct StoredRead {
    std::string camera;
    LatLon where;  // the patrol car's position as it read
};

// Every read an agency's store holds (all its day partitions), read with the SQLite C API.
std::vector<StoredRead> storedReads(const fs::path& store) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    const auto rows = [db](const std::string& sql, auto&& onRow) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        while (sqlite3_step(stmt) == SQLITE_ROW) onRow(stmt);
        sqlite3_finalize(stmt);
    };
    const auto text = [](sqlite3_stmt* st, int column) {
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, column)));
    };
    std::vector<std::string> partitions;
    rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'reads_d*'",
         [&](sqlite3_stmt* st) { partitions.push_back(text(st, 0)); });
    std::vector<StoredRead> reads;
    for (const std::string& table : partitions)
        rows("SELECT camera, lat, lon FROM " + table, [&](sqlite3_stmt* st) {
            reads.push_back({text(st, 0), {sqlite3_column_double(st, 1), sqlite3_column_double(st, 2)}});
        });
    sqlite3_close(db);
    return reads;
}

// The patrol cars' features of a cameras.geojson, by id.
std::map<std::string, json> patrolFeatures(const std::string& file) {
    std::map<std::string, json> out;
    const json cameras = json::parse(test::readFile(file));
    for (const json& f : cameras["features"])
        if (f["properties"]["kind"] == "patrol") out[f["properties"]["id"].get<std::string>()] = f;
    return out;
}
}  // namespace

TEST_CASE("border cameras and patrol cars read traffic, deterministically", "[sensors][run]") {
    const std::string scenario = test::sourceDir() + "/scenarios/patrol-quick.json";
    const std::string dir = test::freshDir("sensing-run");
    // Two threads: the cameras' trackers work on a thread of their own while SUMO steps.
    const auto first = run(scenario, dir + "/a", "2");
    INFO(first.output);
    REQUIRE(first.exitCode == 0);
    const json r = json::parse(test::readFile(dir + "/a/results.json"));
    const json& sensing = r["sensing"];
    CHECK(sensing["fixed"]["cameras"] == 3);
    CHECK(sensing["fixed"]["captured"].get<int>() > 0);
    const json& patrol = sensing["patrol"];
    REQUIRE(patrol["cars"].size() == 2);
    CHECK(patrol["patrol_hours"].get<double>() > 1.5);  // two cars over the one-hour run
    CHECK(patrol["captured"].get<int>() > 0);
    CHECK(patrol["reads_per_patrol_hour"].get<double>() > 0);
    // Cars parked where their trips left them (30% on the street by default) are read too, and
    // counted apart from moving ones.
    CHECK(patrol["captured_parked"].get<int>() > 0);
    CHECK(patrol["captured_moving"].get<int>() > 0);
    CHECK(patrol["captured_moving"].get<int>() + patrol["captured_parked"].get<int>() == patrol["captured"].get<int>());
    CHECK(patrol["parked_reads_per_patrol_hour"].get<double>() > 0);
    // Reads come only from captures (patrol cars are not captured); recognition may fail to
    // read some of them.
    CHECK(r["counts"]["reads"].get<int>() > 0);
    CHECK(r["counts"]["reads"].get<int>() <= sensing["fixed"]["captured"].get<int>() + patrol["captured"].get<int>());
    CHECK(r["counts"]["cameras"] == 5);

    const json cams = json::parse(test::readFile(dir + "/a/cameras.geojson"));
    REQUIRE(cams["features"].size() == 5);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(cams["features"][i]["properties"]["kind"] == "fixed");
        CHECK(cams["features"][i]["properties"]["town"] == "Cambridge");  // the fence into Cambridge
    }
    CHECK(cams["features"][4]["properties"]["kind"] == "patrol");
    const std::string add = test::readFile(dir + "/a/cameras.add.xml");
    CHECK(count(add, "<poi ") == 5);
    CHECK(count(add, "type=\"alpr-camera\"") == 3);

    // Again on one thread (the trackers on SUMO's): the same captures, read in the same order.
    const auto second = run(scenario, dir + "/b", "1");
    REQUIRE(second.exitCode == 0);
    for (const char* f : {"results.json", "trips.csv", "cameras.geojson", "cameras.add.xml", "reads.sqlite"})
        CHECK(test::readFile(dir + "/a/" + f) == test::readFile(dir + "/b/" + f));
}

TEST_CASE("a budget the border cannot meet is a bad input naming the path", "[sensors][run]") {
    const std::string dir = test::freshDir("sensing-bad-border");
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/patrol-quick.json"));
    s["cameras"]["count"] = 4;  // the extract has 3 roads into Cambridge
    const std::string file = dir + "/too-many.json";
    { std::ofstream(file) << s.dump(2); }
    // The OSM file is found on the data path (not beside this temporary scenario).
    const auto result = run(file, dir + "/out");
    INFO(result.output);
    CHECK(result.exitCode == 2);
    CHECK(result.output.find("/cameras/count") != std::string::npos);
    CHECK(result.output.find("edges entering Cambridge") != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
}

TEST_CASE("fixed cameras read mesoscopic runs about as often as microscopic ones", "[sensors][run][meso]") {
    // Mesoscopic vehicles jump segment by segment; the cameras poll their watched edges and
    // dead-reckon the vehicles on them (sensors/sensor_array.h). On the same demand both models
    // must give reads, and close numbers of them (measured on quick.json with edge polling: 610
    // microscopic, 595 mesoscopic).
    const std::string dir = test::freshDir("sensing-meso");
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/quick.json"));
    std::map<std::string, int> reads;
    for (const std::string model : {"microscopic", "mesoscopic"}) {
        s["simulation"]["model"] = model;
        const std::string file = dir + "/" + model + ".json";
        { std::ofstream(file) << s.dump(2); }
        const auto result = run(file, dir + "/" + model);
        INFO(result.output);
        REQUIRE(result.exitCode == 0);
        const json r = json::parse(test::readFile(dir + "/" + model + "/results.json"));
        CHECK(r["simulated"]["model"] == model);
        reads[model] = r["sensing"]["fixed"]["captured"].get<int>();
    }
    CHECK(reads["microscopic"] > 100);
    CHECK(reads["mesoscopic"] > 0);
    CHECK(std::abs(reads["mesoscopic"] - reads["microscopic"]) <= 0.15 * reads["microscopic"]);
}

TEST_CASE("patrol cars pull over at the kerb for their stops and stand still there", "[sensors][run][patrol]") {
    // A 1-hour shift: one stop of a quarter of it (15 minutes) starting within its first 45
    // minutes, made through SUMO's parking stop. Without stops the cars stand still only at
    // lights and in queues.
    const std::string dir = test::freshDir("sensing-patrol-stops");
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/patrol-quick.json"));
    s["cameras"]["patrol"]["shift_hours"] = 1;
    std::map<double, std::vector<double>> still;  // share -> each car's hours standing still
    for (const double share : {0.25, 0.0}) {
        s["cameras"]["patrol"]["stationary_share"] = share;
        const std::string name = share > 0 ? "stops" : "no-stops";
        const std::string file = dir + "/" + name + ".json";
        { std::ofstream(file) << s.dump(2); }
        const auto result = run(file, dir + "/" + name);
        INFO(result.output);
        REQUIRE(result.exitCode == 0);
        const json patrol = json::parse(test::readFile(dir + "/" + name + "/results.json"))["sensing"]["patrol"];
        CHECK(patrol["parked_turned_away_kerbs_full"].get<int>() >= 0);
        for (const json& car : patrol["cars"]) {
            CHECK(car["stops"].get<int>() == (share > 0 ? 1 : 0));
            CHECK(car["hours_standing_still"].get<double>() <= car["hours_on_road"].get<double>());
            still[share].push_back(car["hours_standing_still"].get<double>());
        }
    }
    REQUIRE(still[0.25].size() == 2);
    for (size_t car = 0; car < 2; ++car) {
        CHECK(still[0.25][car] >= 0.25 - 0.01);                 // the whole stop, the run outlasting it
        CHECK(still[0.25][car] >= still[0.0][car] + 0.25 / 2);  // mostly more than lights and queues
    }
}

TEST_CASE("every agency's patrol cars drive its own town and their reads go to its store", "[sensors][run][patrol]") {
    // patrol-quick's network (Allston and Harvard Square) with two agencies' fleets, each
    // keeping its reads (local sharing: an agency's store holds its own cameras' reads only).
    const std::string dir = test::freshDir("sensing-two-fleets");
    json s = json::parse(test::readFile(test::sourceDir() + "/scenarios/patrol-quick.json"));
    s["cameras"] = {{"placement", "agencies"}};
    s["agencies"] = {{"by_agency", {{"Boston", {{"patrol", 2}}}, {"Cambridge", {{"program", "none"}, {"patrol", 1}}}}}};
    { std::ofstream(dir + "/both.json") << s.dump(2); }
    s["agencies"]["by_agency"].erase("Cambridge");
    { std::ofstream(dir + "/boston.json") << s.dump(2); }
    for (const std::string name : {"both", "boston"}) {
        const auto result = run(dir + "/" + name + ".json", dir + "/" + name);
        INFO(result.output);
        REQUIRE(result.exitCode == 0);
    }

    const json patrol = json::parse(test::readFile(dir + "/both/results.json"))["sensing"]["patrol"];
    const std::map<std::string, std::string> agencyOf = {
        {"boston-patrol01", "Boston"}, {"boston-patrol02", "Boston"}, {"cambridge-patrol01", "Cambridge"}};
    REQUIRE(patrol["cars"].size() == agencyOf.size());
    std::map<std::string, double> hours, reads;  // per agency, from its cars
    for (const json& car : patrol["cars"]) {
        CHECK(car["agency"] == agencyOf.at(car["id"].get<std::string>()));
        hours[car["agency"]] += car["hours_on_road"].get<double>();
        reads[car["agency"]] += car["reads"].get<double>();
    }
    REQUIRE(patrol["by_agency"].size() == 2);
    for (const auto& [agency, fleet] : patrol["by_agency"].items()) {
        CHECK(fleet["reads"].get<double>() == reads[agency]);
        CHECK(fleet["reads"].get<double>() > 0);
        CHECK(fleet["patrol_hours"].get<double>() == Approx(hours[agency]).margin(0.02));
        CHECK(fleet["reads_per_patrol_hour"].get<double>() ==
              Approx(fleet["reads"].get<double>() / fleet["patrol_hours"].get<double>()).margin(0.01));
    }

    // Each agency's store holds its own cars' reads, nearly all made in its own town (a car
    // whose town's street leads only out of it takes the shortest way back: sensors/patrol.h).
    const TownMap towns = TownMap::load(findDataFile("ma/towns.geojson", dataSearchPath(".")));
    for (const std::string agency : {"Boston", "Cambridge"}) {
        const std::string store = dir + "/both/stores/agency-" + (agency == "Boston" ? "boston" : "cambridge") + ".sqlite";
        const std::vector<StoredRead> stored = storedReads(store);
        CHECK(stored.size() > 10);
        size_t inTown = 0;
        for (const StoredRead& r : stored) {
            CHECK(agencyOf.at(r.camera) == agency);
            const Town* town = towns.townAt(r.where);
            inTown += town && town->name == agency;
        }
        INFO(agency << ": " << inTown << " of " << stored.size() << " reads made in its town");
        CHECK(inTown >= 0.8 * stored.size());
    }
    // Each car starts its shift on a street of its agency's town.
    for (const auto& [id, feature] : patrolFeatures(dir + "/both/cameras.geojson"))
        CHECK(feature["properties"]["town"] == agencyOf.at(id));

    // Cambridge's fleet added: Boston's cars keep their ids and start where they did (their
    // routes' draws are keyed by agency and number: tests/sensors/test_patrol_fleets.cpp).
    const auto bostonAlone = patrolFeatures(dir + "/boston/cameras.geojson");
    const auto withCambridge = patrolFeatures(dir + "/both/cameras.geojson");
    REQUIRE(bostonAlone.size() == 2);
    REQUIRE(withCambridge.size() == 3);
    for (const auto& [id, feature] : bostonAlone) CHECK(withCambridge.at(id) == feature);
}
