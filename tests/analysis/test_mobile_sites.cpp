// Reads of mobile cameras (patrol cars) are placed where they were made: at sites on the road
// edge under each read's lat/lon, not at the patrol car's record (where its shift started).
// Run directories are written here by the writers `alprsim run` uses.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "analysis/adversary_view.h"
#include "analysis/place_inference.h"
#include "analysis/trip_table.h"
#include "analysis/reconstructibility.h"
#include "analysis_fixtures.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/edge_locator.h"
#include "sim/road_network_io.h"
#include "sim/trip_log.h"
#include "store/read_store.h"
#include "store/store_network.h"

using namespace alprsim;
using namespace alprsim::testing;
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "alprsim-mobile-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// An avenue east, e0..e3 (500 m each), and its other side west, w3..w0, 3.2 m north of it (as
// SUMO's lane-0 centre lines of a two-way street lie).
RoadNetwork avenue() {
    RoadBuilder b;
    for (int i = 0; i < 4; ++i) b.edge("e" + std::to_string(i), {500.0 * i, 0}, {500.0 * (i + 1), 0});
    for (int i = 3; i >= 0; --i) b.edge("w" + std::to_string(i), {500.0 * (i + 1), 3.2}, {500.0 * i, 3.2});
    return b.build();
}

LatLon at(double x, double y) { return RoadBuilder::wgs({x, y}); }

struct Camera {
    std::string id, agency, kind;
};

struct MobileRead {
    std::string plate, camera, vehicle;
    double time;
    LatLon where;
};

// A run directory: roads.json, vehicles.csv (homes), trips.csv, reads.sqlite with the cameras'
// records (patrol cars registered where their shift started: the start of e0) and, unless
// `geojson` is false, cameras.geojson with their kinds.
void writeRun(const fs::path& dir, const std::vector<Camera>& cameras, const std::vector<MobileRead>& reads, bool geojson = true,
              bool storeNetwork = false) {
    const RoadNetwork roads = avenue();
    writeFileAtomically(dir / "roads.json", roadNetworkToJson(roads).dump());
    // car1 lives on e3, car2 on w0; each drives once a day at 08:00 (west, then back at 18:00).
    writeFileAtomically(dir / "vehicles.csv",
                        "vehicle,plate,household,home_edge,work_edge\ncar1,111AA1,h1,e3,\ncar2,222BB2,h2,w0,\n");
    std::vector<TripRecord> trips;
    for (int day = 0; day < 3; ++day)
        for (const auto& [car, plate] : {std::pair<std::string, std::string>{"car1", "111AA1"}, {"car2", "222BB2"}}) {
            TripRecord out, back;
            out.plan = TripPlan{car + "-out" + std::to_string(day),    car,  plate, day * kDay + 8 * 3600,
                                roads.edgeIndices({"w3", "w2", "w1"}), 1500, 0,     "commute"};
            out.depart = out.plan.plannedDepart;
            out.arrive = out.depart + 150;
            back.plan = TripPlan{car + "-back" + std::to_string(day),   car,  plate, day * kDay + 18 * 3600,
                                 roads.edgeIndices({"e1", "e2", "e3"}), 1500, 0,     "return-home"};
            back.depart = back.plan.plannedDepart;
            back.arrive = back.depart + 150;
            trips.push_back(out);
            trips.push_back(back);
        }
    writeFileAtomically(dir / "trips.csv", tripsCsv(trips, roads, std::vector<size_t>(trips.size(), 0)));
    ReadStore store = ReadStore::create(dir / "reads.sqlite");
    std::vector<CameraRecord> records;
    nlohmann::json features = nlohmann::json::array();
    for (const Camera& c : cameras) {
        const bool patrol = c.kind == "patrol";
        const size_t edge = patrol ? 0 : 2;
        const double position = patrol ? 0.0 : 250.0;
        records.push_back({c.id, c.agency, roads.edges()[edge].id, position, roads.pointAlong(edge, position)});
        const LatLon p = roads.pointAlong(edge, position);
        features.push_back({{"type", "Feature"},
                            {"geometry", {{"type", "Point"}, {"coordinates", {p.lon, p.lat}}}},
                            {"properties", {{"id", c.id}, {"agency", c.agency}, {"kind", c.kind}}}});
    }
    store.addCameras(records);
    std::vector<Read> rows;
    std::vector<ReadTruth> truth;
    for (const MobileRead& r : reads) {
        rows.push_back({r.plate, r.time, r.camera, r.where, 0.9});
        truth.push_back({r.vehicle, r.vehicle == "car1" ? "111AA1" : "222BB2"});
    }
    store.insert(rows, truth);
    if (storeNetwork) {  // every agency pools its reads in the state store
        StoreSettings settings;
        settings.sharing.mode = SharingMode::Pooled;
        StoreNetwork network = StoreNetwork::create(dir / "stores", settings, records, HotList());
        network.record(rows, truth);
        network.checkpoint();
    }
    if (geojson)
        writeFileAtomically(dir / "cameras.geojson",
                            nlohmann::json{{"type", "FeatureCollection"}, {"features", features}}.dump());
}

const AnalysisCamera& cameraOf(const AnalysisData& d, const AnalysisRead& r) { return d.cameras[r.camera]; }

}  // namespace

TEST_CASE("the edge locator finds the edge and position under a point") {
    const RoadNetwork roads = avenue();
    const EdgeLocator locator(roads);
    // 1 m south of the eastbound centre line, 1,130 m along: e2 at 130 m.
    auto fix = locator.nearest(at(1130, -1), 50);
    REQUIRE(fix);
    CHECK(roads.edges()[fix->edge].id == "e2");
    CHECK(fix->position == Approx(130).margin(0.01));
    CHECK(fix->distance == Approx(1).margin(0.01));
    // 1 m north of the westbound one: w1, which runs from x = 1000 to 500, at 1000 - 640 = 360 m.
    fix = locator.nearest(at(640, 4.2), 50);
    REQUIRE(fix);
    CHECK(roads.edges()[fix->edge].id == "w1");
    CHECK(fix->position == Approx(360).margin(0.01));
    // Far from every road: nothing within the limit, found with a larger one.
    CHECK_FALSE(locator.nearest(at(1000, 400), 100));
    fix = locator.nearest(at(1000, 400), 1000);
    REQUIRE(fix);
    CHECK(fix->distance == Approx(396.8).margin(0.01));
}

TEST_CASE("a patrol car's reads are placed at sites where they were made, not at its shift start") {
    TempDir dir;
    // patrol01 reads car1 on e1 at 100 m and car2 far away on w3 (x 1900 -> 100 m along w3);
    // patrol02 of the same agency reads car1 on e1 at 110 m (the same 40 m stretch, 80-120 m);
    // Cambridge's patrol car reads car1 there too (its own site).
    writeRun(dir.path(),
             {{"patrol01", "Brookline", "patrol"},
              {"patrol02", "Brookline", "patrol"},
              {"cam-cam", "Cambridge", "patrol"},
              {"fixed1", "Brookline", "fixed"}},
             {{"222BB2", "patrol01", "car2", 3500, at(1900, 3.7)},  // first, on the later edge (w3 after e1)
              {"111AA1", "patrol01", "car1", 3600, at(600, -0.5)},
              {"111AA1", "patrol02", "car1", 3800, at(610, 0.4)},
              {"111AA1", "cam-cam", "car1", 3900, at(605, 0.0)},
              {"111AA1", "fixed1", "car1", 4000, at(1250, 0)}});
    const AnalysisData d = loadRunDirectory(dir.path());
    REQUIRE(d.reads.size() == 5);
    const AnalysisCamera& first = cameraOf(d, d.reads[1]);
    const AnalysisCamera& second = cameraOf(d, d.reads[0]);
    CHECK(first.kind == AnalysisCamera::Kind::MobileSite);
    CHECK(d.roads.edges()[first.edge].id == "e1");
    CHECK(first.position == Approx(100));  // the middle of 80-120 m
    CHECK(first.agency == "Brookline");
    CHECK(first.id == "mobile:Brookline@e1:2");
    CHECK(d.roads.edges()[second.edge].id == "w3");
    CHECK(second.position == Approx(100));
    CHECK(haversineMetres(first.where, second.where) > 1200);
    CHECK(haversineMetres(first.where, at(600, 0)) < 1);
    CHECK(haversineMetres(second.where, at(1900, 3.2)) < 1);
    // Shared by the agency's patrol cars, not across agencies.
    CHECK(d.reads[2].camera == d.reads[1].camera);
    CHECK(d.reads[3].camera != d.reads[1].camera);
    CHECK(cameraOf(d, d.reads[3]).agency == "Cambridge");
    // The fixed camera keeps its reads and place; the patrol cars' own records get no reads.
    CHECK(cameraOf(d, d.reads[4]).id == "fixed1");
    CHECK(cameraOf(d, d.reads[4]).kind == AnalysisCamera::Kind::Fixed);
    for (const AnalysisRead& r : d.reads) CHECK(cameraOf(d, r).kind != AnalysisCamera::Kind::Mobile);
    size_t sites = 0;
    for (const AnalysisCamera& c : d.cameras) sites += c.kind == AnalysisCamera::Kind::MobileSite;
    CHECK(sites == 3);
    CHECK(d.cameras.size() == 4 + 3);
    CHECK(d.agencies() == std::vector<std::string>{"Brookline", "Cambridge"});
    // Sites come after the listed cameras, ordered by agency, edge index and stretch, not in the
    // order reads made them (w3's came first).
    CHECK(d.cameras[4].id == "mobile:Brookline@e1:2");
    CHECK(d.cameras[5].id == "mobile:Brookline@w3:2");
    CHECK(d.cameras[6].id == "mobile:Cambridge@e1:2");
}

TEST_CASE("a car read by patrol cars at home at night gets its home inferred there, not at the shift start") {
    TempDir dir;
    // car1 is parked on e3 (1,500-2,000 m) every night; patrol cars pass at 02:00 and 23:00 and
    // read it between 245 and 258 m along e3 (one 40 m stretch). car2 is never read.
    std::vector<MobileRead> reads;
    const double along[] = {245, 258, 250};
    for (int day = 0; day < 3; ++day) {
        reads.push_back(
            {"111AA1", day % 2 ? "patrol02" : "patrol01", "car1", day * kDay + 2 * 3600, at(1500 + along[day], -0.3)});
        reads.push_back({"111AA1", "patrol01", "car1", day * kDay + 23 * 3600, at(1500 + along[2 - day], 0.2)});
    }
    writeRun(dir.path(), {{"patrol01", "Brookline", "patrol"}, {"patrol02", "Brookline", "patrol"}}, reads);
    const AnalysisData d = loadRunDirectory(dir.path());
    const ReadsByPlate byPlate =
        ReadsByPlate::group(d, AdversaryView{"pooled", {}, std::numeric_limits<double>::infinity(), d.endTime()}.visibleReads(d));
    REQUIRE(byPlate.size() == 1);
    const uint32_t home = inferPlaces(byPlate, PlaceKind::Home, AnalysisConfig{})[0];
    REQUIRE(home != kNoIndex);
    CHECK(d.roads.edges()[d.cameras[home].edge].id == "e3");
    // 10 m from the middle of the true home edge (the shift start is 1,750 m from it).
    CHECK(haversineMetres(d.cameras[home].where, d.roads.midpoint(d.roads.indexOf("e3"))) < 20);
    const PlaceCounts counts = evaluatePlaces(d, byPlate, PlaceKind::Home, AnalysisConfig{});
    REQUIRE(counts.available);
    CHECK(counts.vehicles == 2);
    CHECK(counts.inferred == 1);
    CHECK(counts.correct == 1);

    // And through the whole analysis, as `alprsim analyze` reports it.
    const AnalysisOutput out = analyzeRunDirectory(dir.path(), AnalysisConfig{});
    const nlohmann::json& views = out.reconstructibility.at("views");
    bool seen = false;
    for (const auto& v : views)
        if (v.at("view") == "pooled")
            for (const auto& r : v.at("by_retention"))
                if (r.at("retention") == "forever") {
                    CHECK(r.at("home").at("correct") == 1);
                    seen = true;
                }
    CHECK(seen);
}

TEST_CASE("without cameras.geojson a read made away from its camera is an input error naming the file") {
    TempDir dir;
    writeRun(dir.path(), {{"patrol01", "Brookline", "patrol"}}, {{"111AA1", "patrol01", "car1", 3600, at(600, -0.5)}}, false);
    try {
        loadRunDirectory(dir.path());
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.file().find("cameras.geojson") != std::string::npos);
        CHECK(std::string(e.what()).find("patrol01") != std::string::npos);
    }
}

TEST_CASE("a camera missing from cameras.geojson, or a mobile read off the roads, is an input error") {
    TempDir dir;
    SECTION("camera not listed") {
        writeRun(dir.path(), {{"patrol01", "Brookline", "patrol"}}, {{"111AA1", "patrol01", "car1", 3600, at(600, -0.5)}});
        writeFileAtomically(dir.path() / "cameras.geojson", R"({"type": "FeatureCollection", "features": []})");
        CHECK_THROWS_AS(loadRunDirectory(dir.path()), InputError);
    }
    SECTION("unknown kind") {
        writeRun(dir.path(), {{"patrol01", "Brookline", "drone"}}, {{"111AA1", "patrol01", "car1", 3600, at(600, -0.5)}});
        CHECK_THROWS_AS(loadRunDirectory(dir.path()), InputError);
    }
    SECTION("read 300 m off the avenue") {
        writeRun(dir.path(), {{"patrol01", "Brookline", "patrol"}}, {{"111AA1", "patrol01", "car1", 3600, at(600, 300)}});
        CHECK_THROWS_AS(loadRunDirectory(dir.path()), InputError);
    }
}

TEST_CASE("fixed cameras are analysed as before, with or without cameras.geojson") {
    TempDir with, without;
    const std::vector<Camera> cameras = {{"fixed1", "Brookline", "fixed"}, {"fixed2", "Boston", "fixed"}};
    std::vector<MobileRead> reads;
    for (int day = 0; day < 3; ++day) {
        reads.push_back({"111AA1", "fixed1", "car1", day * kDay + 18 * 3600 + 60, at(1250, 0)});
        reads.push_back({"222BB2", "fixed2", "car2", day * kDay + 18 * 3600 + 70, at(1250, 0)});
    }
    writeRun(with.path(), cameras, reads, true);
    writeRun(without.path(), cameras, reads, false);
    const AnalysisData d = loadRunDirectory(with.path());
    REQUIRE(d.cameras.size() == 2);
    for (const AnalysisCamera& c : d.cameras) {
        CHECK(c.kind == AnalysisCamera::Kind::Fixed);
        CHECK(d.roads.edges()[c.edge].id == "e2");
        CHECK(c.position == 250.0);
    }
    for (const AnalysisRead& r : d.reads) CHECK(d.cameras[r.camera].id == (r.vehicle == 0 ? "fixed1" : "fixed2"));
    const AnalysisOutput a = analyzeRunDirectory(with.path(), AnalysisConfig{});
    const AnalysisOutput b = analyzeRunDirectory(without.path(), AnalysisConfig{});
    CHECK(a.reconstructibility.dump() == b.reconstructibility.dump());
    writeAnalysisFiles(with.path(), a);
    writeAnalysisFiles(without.path(), b);
    CHECK(readTextFile(with.path() / "trips.csv") == readTextFile(without.path() / "trips.csv"));
    CHECK(a.exampleTrips.dump() == b.exampleTrips.dump());
}

TEST_CASE("the stores of a store network hold a patrol car's reads at the same sites") {
    TempDir dir;
    writeRun(dir.path(), {{"patrol01", "Brookline", "patrol"}, {"cam-cam", "Cambridge", "patrol"}},
             {{"111AA1", "patrol01", "car1", 3600, at(600, -0.5)},
              {"222BB2", "patrol01", "car2", 3700, at(1900, 3.7)},
              {"111AA1", "cam-cam", "car1", 3900, at(605, 0.0)}},
             true, true);
    const AnalysisData d = loadRunDirectory(dir.path());  // each store's read matched to the run's (same site)
    REQUIRE(d.stores);
    CHECK(d.stores->state.reads == std::vector<uint32_t>{0, 1, 2});
    REQUIRE(d.stores->agencies.size() == 2);
    CHECK(d.stores->agencies[0].store == "Brookline");
    CHECK(d.stores->agencies[0].reads == std::vector<uint32_t>{0, 1});
    CHECK(d.stores->agencies[1].reads == std::vector<uint32_t>{2});
    CHECK(d.cameras[d.reads[0].camera].id == "mobile:Brookline@e1:2");
    CHECK(d.cameras[d.reads[2].camera].id == "mobile:Cambridge@e1:2");
}
