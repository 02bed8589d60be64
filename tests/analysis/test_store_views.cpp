// The pooled view of a run with a store network is what the state store holds under the
// sharing rules, not the union of every agency's reads: an agency that does not share (local,
// hits-only, or not a participant) contributes only what the rules let through.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "analysis/reconstructibility.h"
#include "analysis/trip_table.h"
#include "analysis_fixtures.h"
#include "core/error.h"
#include "core/files.h"
#include "sim/road_network_io.h"
#include "store/read_store.h"
#include "store/store_network.h"

using namespace alprsim;
using namespace alprsim::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFlagged = "123AB4";  // car A's plate, on the hot list
constexpr const char* kClean = "777ZZ7";    // car B's plate

// Two cars drive east along the straight road one morning; Brookline's camera (west, on s0) and
// Boston's (east, on s3) read both. The run keeps every read in reads.sqlite and, per `settings`,
// in its store network (stores/).
class StoreRun {
public:
    explicit StoreRun(const StoreSettings& settings, bool extraStateRead = false) {
        std::string pattern = (fs::temp_directory_path() / "alprsim-store-views-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
        const RoadNetwork roads = straightRoad();
        writeFileAtomically(path_ / "roads.json", roadNetworkToJson(roads).dump());
        std::vector<TripRecord> trips;
        const std::vector<std::pair<std::string, std::string>> cars = {{"carA", kFlagged}, {"carB", kClean}};
        for (size_t i = 0; i < cars.size(); ++i) {
            TripRecord t;
            t.plan = TripPlan{"trip-" + cars[i].first,
                              cars[i].first,
                              cars[i].second,
                              7 * 3600.0 + 10 * i,
                              roads.edgeIndices({"s0", "s1", "s2", "s3"}),
                              800,
                              0,
                              "commute"};
            t.depart = t.plan.plannedDepart;
            t.arrive = t.depart + 100;
            trips.push_back(t);
        }
        writeFileAtomically(path_ / "trips.csv", tripsCsv(trips, roads, {2, 2}));
        const std::vector<CameraRecord> cameras = {{"west", "Brookline", "s0", 50, roads.pointAlong(0, 50)},
                                                   {"east", "Boston", "s3", 150, roads.pointAlong(3, 150)}};
        std::vector<Read> reads;
        std::vector<ReadTruth> truth;
        for (size_t i = 0; i < cars.size(); ++i) {
            const double depart = 7 * 3600.0 + 10 * i;
            reads.push_back({cars[i].second, depart + 5, "west", roads.pointAlong(0, 50), 0.9});
            reads.push_back({cars[i].second, depart + 80, "east", roads.pointAlong(3, 150), 0.9});
            truth.push_back({cars[i].first, cars[i].second});
            truth.push_back({cars[i].first, cars[i].second});
        }
        ReadStore all = ReadStore::create(path_ / "reads.sqlite");
        all.addCameras(cameras);
        all.insert(reads, truth);
        const HotList hotList({{kFlagged, "carA", "stolen"}}, 0.0);
        StoreNetwork network = StoreNetwork::create(path_ / "stores", settings, cameras, hotList);
        network.record(reads, truth);
        if (extraStateRead)  // a read nobody made: the stores no longer match the run's record
            network.stateStore().insert({{kClean, 9 * 3600.0, "east", roads.pointAlong(3, 150), 0.9}}, {{"carB", kClean}});
        network.checkpoint();
    }
    ~StoreRun() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

const nlohmann::json& view(const nlohmann::json& section, const std::string& name) {
    for (const auto& v : section.at("views"))
        if (v.at("view") == name) return v;
    throw std::runtime_error("no view " + name);
}

const nlohmann::json& forever(const nlohmann::json& section, const std::string& name) {
    for (const auto& r : view(section, name).at("by_retention"))
        if (r.at("retention") == "forever") return r;
    throw std::runtime_error("no forever entry for " + name);
}

StoreSettings sharing(SharingMode mode, std::optional<std::vector<std::string>> participants = std::nullopt) {
    StoreSettings s;
    s.sharing.mode = mode;
    s.sharing.participants = std::move(participants);
    return s;
}

}  // namespace

TEST_CASE("hits-only sharing: the pooled view holds only the hot-list hits") {
    StoreRun run(sharing(SharingMode::HitsOnly));
    const nlohmann::json s = analyzeRunDirectory(run.path(), AnalysisConfig{}).reconstructibility;
    CHECK(s.at("pooled_source") == "state_store");
    CHECK(s.at("store_network").at("sharing_mode") == "hits-only");
    const auto& pooled = view(s, "pooled");
    CHECK(pooled.at("source").at("kind") == "state_store");
    CHECK(pooled.at("source").at("files") == nlohmann::json{"stores/state.sqlite"});
    CHECK(pooled.at("agencies") == nlohmann::json{"Boston", "Brookline"});
    // Car A's two reads were hits and went to the state store; car B's stayed with each agency.
    CHECK(forever(s, "pooled").at("reads_visible") == 2);
    CHECK(forever(s, "pooled").at("trips").at("linked") == 1);
    CHECK(forever(s, "pooled").at("trips").at("observed") == 1);
    CHECK(forever(s, "pooled").at("identities").at("identities") == 1);
    // Every agency store together still holds all four reads: both trips linked.
    CHECK(forever(s, "all-agencies").at("reads_visible") == 4);
    CHECK(forever(s, "all-agencies").at("trips").at("linked") == 2);
    CHECK(view(s, "local:Boston").at("source").at("kind") == "agency_store");
    CHECK(forever(s, "local:Boston").at("reads_visible") == 2);
    CHECK(s.at("trip_levels_view") == "all-agencies");
}

TEST_CASE("pooled sharing with one participant: the other agency's reads stay out of the pooled view") {
    StoreRun run(sharing(SharingMode::Pooled, std::vector<std::string>{"Boston"}));
    const nlohmann::json s = analyzeRunDirectory(run.path(), AnalysisConfig{}).reconstructibility;
    CHECK(view(s, "pooled").at("agencies") == nlohmann::json{"Boston"});
    CHECK(s.at("store_network").at("contributors") == nlohmann::json{"Boston"});
    // Only Boston's east camera: both cars observed once, neither linked, no route.
    const auto& pooled = forever(s, "pooled");
    CHECK(pooled.at("reads_visible") == 2);
    CHECK(pooled.at("trips").at("observed") == 2);
    CHECK(pooled.at("trips").at("linked") == 0);
    CHECK(pooled.at("trips").at("route_reconstructed") == 0);
    CHECK(forever(s, "all-agencies").at("trips").at("route_reconstructed") == 2);
}

TEST_CASE("local sharing: the state store, and so the pooled view, holds nothing") {
    StoreRun run(sharing(SharingMode::Local));
    const AnalysisOutput out = analyzeRunDirectory(run.path(), AnalysisConfig{});
    const nlohmann::json& s = out.reconstructibility;
    CHECK(view(s, "pooled").at("agencies") == nlohmann::json::array());
    CHECK(forever(s, "pooled").at("reads_visible") == 0);
    CHECK(forever(s, "pooled").at("trips").at("observed") == 0);
    CHECK(forever(s, "local:Brookline").at("reads_visible") == 2);
    CHECK(forever(s, "all-agencies").at("reads_visible") == 4);
    // Trip levels come from every agency store together, so they still show both full trips.
    writeAnalysisFiles(run.path(), out);
    CHECK(readTextFile(run.path() / "trips.csv").find(",2,full,1,1.0000\n") != std::string::npos);
    CHECK(plainReconstructibilitySummary(s).find("Pooled view (the state store)") == 0);
}

TEST_CASE("a run without a store network labels its pooled view as the union of reads") {
    StoreRun run(sharing(SharingMode::Pooled));
    fs::remove_all(run.path() / "stores");
    const nlohmann::json s = analyzeRunDirectory(run.path(), AnalysisConfig{}).reconstructibility;
    CHECK(s.at("pooled_source") == "union_of_reads");
    CHECK_FALSE(s.contains("store_network"));
    CHECK(view(s, "pooled").at("source").at("kind") == "union_of_reads");
    CHECK(forever(s, "pooled").at("reads_visible") == 4);
    CHECK(s.at("trip_levels_view") == "pooled");
    CHECK(s.at("views").size() == 3);  // pooled, local:Boston, local:Brookline; no all-agencies
}

TEST_CASE("a state store holding a read the run never made is an input error naming the store") {
    StoreRun run(sharing(SharingMode::Pooled), /*extraStateRead=*/true);
    try {
        analyzeRunDirectory(run.path(), AnalysisConfig{});
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.file().find("state.sqlite") != std::string::npos);
    }
}
