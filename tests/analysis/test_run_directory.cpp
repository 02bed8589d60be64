// The run directory as analysis reads it: roads.json, trips.csv, reads.sqlite (and vehicles.csv),
// written here by the same writers `alprsim run` uses, then analysed end to end.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "analysis/reconstructibility.h"
#include "analysis/trip_table.h"
#include "analysis_fixtures.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/road_network_io.h"
#include "store/read_store.h"

using namespace alprsim;
using namespace alprsim::testing;
namespace fs = std::filesystem;

namespace {

class RunDir {
public:
    RunDir() {
        std::string pattern = (fs::temp_directory_path() / "alprsim-analysis-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
        write();
    }
    ~RunDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }
    const RoadNetwork& roads() const { return roads_; }
    const std::vector<TripRecord>& trips() const { return trips_; }
    const std::vector<CameraRecord>& cameras() const { return cameras_; }
    const std::vector<Read>& reads() const { return reads_; }
    const std::vector<ReadTruth>& truth() const { return truth_; }

private:
    // One car driving east along the straight road on two mornings, read at both ends each time.
    void write() {
        const RoadNetwork& roads = roads_;
        writeFileAtomically(path_ / "roads.json", roadNetworkToJson(roads).dump());
        std::vector<TripRecord>& trips = trips_;
        for (int day = 0; day < 2; ++day) {
            TripRecord t;
            t.plan = TripPlan{"trip" + std::to_string(day),
                              "car",
                              "123AB4",
                              day * kDay + 7 * 3600,
                              roads.edgeIndices({"s0", "s1", "s2", "s3"}),
                              800,
                              static_cast<uint32_t>(day),
                              "commute"};
            t.depart = t.plan.plannedDepart;
            t.arrive = t.depart + 100;
            trips.push_back(t);
        }
        writeFileAtomically(path_ / "trips.csv", tripsCsv(trips, roads, {2, 2}));
        ReadStore store = ReadStore::create(path_ / "reads.sqlite");
        cameras_ = {{"west", "Brookline", "s0", 50, roads.pointAlong(0, 50)},
                    {"east", "Boston", "s3", 150, roads.pointAlong(3, 150)}};
        store.addCameras(cameras_);
        std::vector<Read>& reads = reads_;
        std::vector<ReadTruth>& truth = truth_;
        for (int day = 0; day < 2; ++day) {
            reads.push_back({"123AB4", day * kDay + 7 * 3600 + 5, "west", roads.pointAlong(0, 50), 0.9});
            reads.push_back({"123AB4", day * kDay + 7 * 3600 + 80, "east", roads.pointAlong(3, 150), 0.9});
            truth.push_back({"car", "123AB4"});
            truth.push_back({"car", "123AB4"});
        }
        store.insert(reads, truth);
    }
    fs::path path_;
    RoadNetwork roads_ = straightRoad();
    std::vector<TripRecord> trips_;
    std::vector<CameraRecord> cameras_;
    std::vector<Read> reads_;
    std::vector<ReadTruth> truth_;
};

const nlohmann::json& entry(const nlohmann::json& section, const std::string& view, const std::string& retention) {
    for (const auto& v : section.at("views"))
        if (v.at("view") == view)
            for (const auto& r : v.at("by_retention"))
                if (r.at("retention") == retention) return r;
    throw std::runtime_error("no entry " + view + " " + retention);
}

}  // namespace

TEST_CASE("a run directory is analysed per view and retention, with levels and example trips") {
    RunDir run;
    const AnalysisOutput out = analyzeRunDirectory(run.path(), AnalysisConfig{});
    const nlohmann::json& s = out.reconstructibility;
    CHECK(s.at("simulated_days") == 2);
    CHECK(s.at("population_known") == false);
    CHECK(s.at("views").size() == 3);  // pooled, local:Boston, local:Brookline
    CHECK(s.at("views")[0].at("by_retention").size() == AnalysisConfig::defaultRetentions().size());

    const auto& pooled = entry(s, "pooled", "forever");
    CHECK(pooled.at("reads_visible") == 4);
    CHECK(pooled.at("trips").at("route_reconstructed") == 2);
    CHECK(pooled.at("trips").at("full") == 2);
    CHECK(pooled.at("inferred_trips").at("matched") == 2);
    CHECK(pooled.at("home").at("available") == false);
    // The audit is at the end of the run, 20 s after the last read: 3 minutes still hold the
    // second morning's two reads, and nothing of the first.
    CHECK(entry(s, "pooled", "3m").at("reads_visible") == 2);
    CHECK(entry(s, "pooled", "3m").at("trips").at("linked") == 1);
    CHECK(entry(s, "pooled", "2d").at("trips").at("linked") == 2);
    CHECK(entry(s, "local:Boston", "forever").at("trips").at("observed") == 2);
    CHECK(entry(s, "local:Boston", "forever").at("trips").at("linked") == 0);

    const std::string plainTrips = readTextFile(run.path() / "trips.csv");
    writeAnalysisFiles(run.path(), out);
    const std::string annotated = readTextFile(run.path() / "trips.csv");
    CHECK(annotated.find("observed_reads,level,endpoints_exposed,route_coverage\n") != std::string::npos);
    CHECK(annotated.find(",2,full,1,1.0000\n") != std::string::npos);
    CHECK(annotated.size() > plainTrips.size());
    size_t routes = 0;
    for (const auto& f : out.exampleTrips.at("features"))
        routes += f.at("properties").at("kind") == "inferred_route" || f.at("properties").at("kind") == "true_route";
    CHECK(routes == 4);

    // Same inputs, same bytes; and analysing the annotated trips.csv again changes nothing.
    const AnalysisOutput again = analyzeRunDirectory(run.path(), AnalysisConfig{});
    CHECK(again.reconstructibility.dump() == s.dump());
    writeAnalysisFiles(run.path(), analyzeRunDirectory(run.path(), AnalysisConfig{}));
    CHECK(readTextFile(run.path() / "trips.csv") == annotated);
}

TEST_CASE("a run analysing itself from memory gets the data its folder gives `alprsim analyze`") {
    RunDir run;
    const std::string vehicles = "vehicle,plate,household,home_edge,work_edge\ncar,123AB4,h1,s0,\n";
    writeFileAtomically(run.path() / "vehicles.csv", vehicles);
    writeFileAtomically(run.path() / "cameras.geojson", R"({"type": "FeatureCollection", "features": [
        {"properties": {"id": "west", "kind": "fixed"}}, {"properties": {"id": "east", "kind": "fixed"}}]})");
    // In memory the times are exact; trips.csv holds them to the hundredth, and the memory's
    // are taken as trips.csv holds them.
    std::vector<TripRecord> inMemory = run.trips();
    for (TripRecord& t : inMemory) {
        t.depart += 0.004;
        t.arrive += 0.004;
    }
    // The run's read log holds the reads in the order they were made, not necessarily by time.
    ReadLog log;
    for (size_t i = run.reads().size(); i-- > 0;) log.add(run.reads()[i], run.truth()[i]);
    const AnalysisData fromFolder = loadRunDirectory(run.path());
    AnalysisData fromMemory = loadRunDirectory(run.path(), {run.roads(), vehicles, inMemory, run.cameras(), log});
    REQUIRE(fromMemory.trips.size() == fromFolder.trips.size());
    for (size_t i = 0; i < fromFolder.trips.size(); ++i) {
        CHECK(fromMemory.trips[i].id == fromFolder.trips[i].id);
        CHECK(fromMemory.trips[i].depart == fromFolder.trips[i].depart);
        CHECK(fromMemory.trips[i].arrive == fromFolder.trips[i].arrive);
        CHECK(fromMemory.trips[i].route == fromFolder.trips[i].route);
        CHECK(inMemory[i].plan.route.empty());  // lent to the data, not copied
    }
    REQUIRE(fromMemory.reads.size() == fromFolder.reads.size());
    for (size_t i = 0; i < fromFolder.reads.size(); ++i) {
        const AnalysisRead &m = fromMemory.reads[i], &f = fromFolder.reads[i];
        CHECK(std::tie(m.time, m.plate, m.camera, m.vehicle, m.trip) == std::tie(f.time, f.plate, f.camera, f.vehicle, f.trip));
    }
    CHECK(fromMemory.plates == fromFolder.plates);
    CHECK(fromMemory.cameras.size() == fromFolder.cameras.size());
    CHECK(fromMemory.populationKnown);
    CHECK(fromMemory.vehicles.at(0).homeEdge == fromFolder.vehicles.at(0).homeEdge);
    const AnalysisOutput out = analyzeData(fromMemory, AnalysisConfig{});
    CHECK(out.reconstructibility.dump() == analyzeRunDirectory(run.path(), AnalysisConfig{}).reconstructibility.dump());

    // The routes go back to the trips, and trips.csv written once with the outcomes is the
    // file `alprsim analyze` annotates.
    returnRoutes(fromMemory, inMemory);
    CHECK(inMemory[0].plan.route == run.trips()[0].plan.route);
    std::ostringstream once;
    writeTripsCsv(once, run.trips(), run.roads(), {2, 2}, &out.tripOutcomes);
    writeAnalysisFiles(run.path(), analyzeRunDirectory(run.path(), AnalysisConfig{}));
    CHECK(once.str() == readTextFile(run.path() / "trips.csv"));
}

TEST_CASE("with vehicles.csv the homes are measured") {
    RunDir run;
    writeFileAtomically(run.path() / "vehicles.csv", "vehicle,plate,household,home_edge,work_edge\ncar,123AB4,h1,s0,\n");
    const AnalysisOutput out = analyzeRunDirectory(run.path(), AnalysisConfig{});
    const auto& home = entry(out.reconstructibility, "pooled", "forever").at("home");
    CHECK(home.at("available") == true);
    CHECK(home.at("vehicles") == 1);
    CHECK(home.at("correct") == 1);  // read at west (50 m from s0's middle) first thing on both mornings
    CHECK(entry(out.reconstructibility, "pooled", "forever").at("work").at("available") == false);  // nobody works
}

TEST_CASE("a malformed run directory is an input error naming the file and field") {
    RunDir run;
    SECTION("missing column") {
        writeFileAtomically(run.path() / "trips.csv", "trip,vehicle,plate,depart,arrive\nt,car,123AB4,1,2\n");
        try {
            analyzeRunDirectory(run.path(), AnalysisConfig{});
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(e.file().find("trips.csv") != std::string::npos);
            CHECK(std::string(e.what()).find("route_edges") != std::string::npos);
        }
    }
    SECTION("unknown edge in vehicles.csv") {
        writeFileAtomically(run.path() / "vehicles.csv", "vehicle,plate,household,home_edge,work_edge\ncar,123AB4,h1,nowhere,\n");
        CHECK_THROWS_AS(analyzeRunDirectory(run.path(), AnalysisConfig{}), InputError);
    }
    SECTION("no reads") {
        fs::remove(run.path() / "reads.sqlite");
        CHECK_THROWS_AS(analyzeRunDirectory(run.path(), AnalysisConfig{}), InputError);
    }
}
