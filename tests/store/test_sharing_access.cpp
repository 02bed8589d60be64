// Who can search what under each sharing policy, the audit trail every search leaves, the
// hot-list alerts, and a network opened again after the run.
#include <catch2/catch.hpp>

#include "store/back_office.h"
#include "store/store_network.h"
#include "store_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {
// Amherst and Boston pool with the state; Brookline refused (MISSION.md); State Police owns no
// cameras but may search the pool.
StoreSettings settingsFor(SharingMode mode) {
    StoreSettings s;
    s.sharing.mode = mode;
    s.sharing.participants = std::vector<std::string>{"Amherst", "Boston", "State Police"};
    return s;
}

const std::vector<CameraRecord> kCameras = cameras({"Amherst", "Boston", "Brookline"}, 2);
const CameraRecord& cam(const std::string& agency, int i) {
    for (const CameraRecord& c : kCameras)
        if (c.agency == agency && c.id == agency + "-cam" + std::to_string(i)) return c;
    throw std::logic_error("no camera");
}

// AAA111 passes Amherst; the stolen SST100 passes Amherst; BRK500 passes Brookline.
StoreNetwork networkWithReads(const std::filesystem::path& dir, SharingMode mode) {
    const HotList hotList({{"SST100", "stolen-car", "stolen"}}, 0.0);
    StoreNetwork network = StoreNetwork::create(dir, settingsFor(mode), kCameras, hotList);
    network.record({readAt(cam("Amherst", 0), "AAA111", 100.0), readAt(cam("Amherst", 1), "AAA111", 200.0),
                    readAt(cam("Amherst", 0), "SST100", 300.0), readAt(cam("Brookline", 0), "BRK500", 400.0)},
                   {{"v1", "AAA111"}, {"v1", "AAA111"}, {"stolen-car", "SST100"}, {"v2", "BRK500"}});
    return network;
}

size_t historySize(StoreNetwork& network, const std::string& agency, const std::string& plate) {
    return BackOffice(network, agency).history(1000.0, plate, 0.0, 1000.0).size();
}
}  // namespace

TEST_CASE("under local sharing an agency finds only its own reads", "[store][sharing]") {
    ScratchDir dir;
    StoreNetwork network = networkWithReads(dir.path(), SharingMode::Local);
    CHECK(network.stateStore().readCount() == 0);
    CHECK(historySize(network, "Amherst", "AAA111") == 2);
    CHECK(historySize(network, "Boston", "AAA111") == 0);
    CHECK(historySize(network, "Boston", "SST100") == 0);
    CHECK(historySize(network, "State Police", "AAA111") == 0);
    CHECK(BackOffice(network, "Boston").plateSearch(1000.0, "*", 0.0, 1000.0).empty());
    CHECK(BackOffice(network, "Boston").searchableStores() == std::vector<std::string>{"Boston"});
}

TEST_CASE("under pooled sharing participants find every participant's reads in the state store", "[store][sharing]") {
    ScratchDir dir;
    StoreNetwork network = networkWithReads(dir.path(), SharingMode::Pooled);
    CHECK(network.stateStore().readCount() == 3);  // Brookline's read stays home
    BackOffice boston(network, "Boston");
    const std::vector<FoundRead> found = boston.history(1000.0, "AAA111", 0.0, 1000.0);
    REQUIRE(found.size() == 2);
    CHECK(found[0].store == "state");
    CHECK(found[0].read.camera == cam("Amherst", 0).id);
    CHECK(historySize(network, "State Police", "AAA111") == 2);
    CHECK(historySize(network, "Amherst", "AAA111") == 2);  // own and pooled copies counted once
    CHECK(historySize(network, "Boston", "BRK500") == 0);
    CHECK(historySize(network, "Brookline", "AAA111") == 0);  // refused the program: no pool access
    CHECK(historySize(network, "Brookline", "BRK500") == 1);
}

TEST_CASE("under hits-only sharing only hot-list hits leave the agency", "[store][sharing]") {
    ScratchDir dir;
    StoreNetwork network = networkWithReads(dir.path(), SharingMode::HitsOnly);
    CHECK(network.stateStore().readCount() == 1);
    CHECK(historySize(network, "Boston", "SST100") == 1);
    CHECK(historySize(network, "Boston", "AAA111") == 0);
    CHECK(historySize(network, "Amherst", "AAA111") == 2);
}

TEST_CASE("every search leaves an audit row in each store it searched", "[store][audit]") {
    ScratchDir dir;
    StoreNetwork network = networkWithReads(dir.path(), SharingMode::Pooled);
    BackOffice boston(network, "Boston");
    const size_t found = boston.history(500.0, "AAA111", 0.0, 1000.0).size();
    boston.whereWas(510.0, "AAA111", 150.0, 160.0);
    boston.plateSearch(520.0, "AA?111", 0.0, 1000.0);
    boston.coTravel(530.0, "AAA111", 0.0, 1000.0, 300.0, 1);
    boston.dwells(540.0, "AAA111", 0.0, 1000.0, 60.0);
    boston.overnight(550.0, "AAA111", 0.0, 1000.0);
    BackOffice(network, "Brookline").history(560.0, "AAA111", 0.0, 1000.0);

    const std::vector<AuditEntry> state = network.stateStore().auditLog();
    const std::vector<AuditEntry> own = network.agencyStore("Boston").auditLog();
    const std::vector<std::string> kinds{"history", "where_was", "plate_search", "co_travel", "dwell", "overnight"};
    REQUIRE(state.size() == kinds.size());  // Brookline may not search the pool, so it left no row there
    REQUIRE(own.size() == kinds.size());
    for (size_t i = 0; i < kinds.size(); ++i) {
        CHECK(state[i].agency == "Boston");
        CHECK(state[i].kind == kinds[i]);
        CHECK(state[i].simTime == 500.0 + 10.0 * static_cast<double>(i));
        CHECK(own[i].rows == 0);  // Boston's own cameras never saw AAA111
    }
    CHECK(state[0].rows == static_cast<int64_t>(found));
    CHECK(state[0].params == R"({"from":0.0,"plate":"AAA111","to":1000.0})");
    CHECK(state[1].rows == 2);  // the last read before 150 and the first after 160
    CHECK(state[2].rows == 2);
    const std::vector<AuditEntry> brookline = network.agencyStore("Brookline").auditLog();
    REQUIRE(brookline.size() == 1);
    CHECK(brookline[0].agency == "Brookline");
    CHECK(network.agencyStore("Amherst").auditLog().empty());
}

TEST_CASE("alerts are true for the flagged vehicle and false for misreads and cloned plates", "[store][hotlist]") {
    ScratchDir dir;
    StoreSettings settings;
    const HotList hotList({{"SST100", "stolen-car", "stolen"}, {"WNT200", "wanted-car", "wanted"}}, 50.0);
    StoreNetwork network = StoreNetwork::create(dir.path(), settings, kCameras, hotList);
    const int64_t alerts =
        network.record({readAt(cam("Boston", 0), "SST100", 40.0),      // before the list is in force: no alert
                        readAt(cam("Boston", 0), "SST100", 400.0),     // the stolen car: true
                        readAt(cam("Amherst", 1), "SST100", 300.0),    // a misread of another car: false
                        readAt(cam("Amherst", 0), "SST100", 500.0),    // the stolen car's plate on another car: false
                        readAt(cam("Brookline", 1), "SST100", 900.0),  // the stolen car again: true, but not the first
                        readAt(cam("Boston", 1), "OTH999", 450.0)},
                       {{"stolen-car", "SST100"},
                        {"stolen-car", "SST100"},
                        {"other", "S5T100"},
                        {"clone", "SST100"},
                        {"stolen-car", "SST100"},
                        {"v9", "OTH999"}});
    CHECK(alerts == 4);
    const HotListReport report = network.hotListReport();
    CHECK(report.readsRecorded == 6);
    CHECK(report.alerts == 4);
    CHECK(report.trueAlerts == 2);
    CHECK(report.falseAlerts == 2);
    CHECK(report.hitShare() == Approx(4.0 / 6.0));
    CHECK(report.falseAlertShare() == Approx(0.5));
    REQUIRE(report.detections.size() == 2);
    CHECK(report.detections[0].flagged.vehicle == "stolen-car");
    REQUIRE(report.detections[0].firstTrueAlert.has_value());
    CHECK(*report.detections[0].firstTrueAlert == 350.0);  // 400 - 50
    CHECK_FALSE(report.detections[1].firstTrueAlert.has_value());
}

TEST_CASE("false alerts are counted by cause: misread, same characters, stale", "[store][hotlist]") {
    ScratchDir dir;
    StoreSettings settings;
    HotList::Upkeep upkeep;
    upkeep.refreshSeconds = 1000.0;                                     // the list as held is refreshed at 0, 1000, 2000, ...
    upkeep.statesReadShare = 0.0;                                       // readers match characters alone
    HotList hotList({{"SST100", "stolen-car", "stolen", "MA", 1500.0},  // recovered at 1500
                     {"NYS700", "", "stolen", "NY"}},                   // a New York car outside the simulation
                    0.0, upkeep);
    hotList.setRegistry({{"stolen-car", "MA"}, {"ma-car", "MA"}, {"other", "MA"}});
    StoreNetwork network = StoreNetwork::create(dir.path(), settings, kCameras, hotList);
    network.record({readAt(cam("Boston", 0), "SST100", 400.0),     // the stolen car: true
                    readAt(cam("Boston", 1), "SST100", 500.0),     // another car misread: misread
                    readAt(cam("Amherst", 0), "NYS700", 600.0),    // a Massachusetts car with the New York plate's characters
                    readAt(cam("Amherst", 1), "SST100", 1700.0),   // the recovered car before the refresh: stale
                    readAt(cam("Amherst", 1), "SST100", 2100.0)},  // after the refresh: no alert
                   {{"stolen-car", "SST100"},
                    {"other", "SST10O"},
                    {"ma-car", "NYS700"},
                    {"stolen-car", "SST100"},
                    {"stolen-car", "SST100"}});
    const HotListReport report = network.hotListReport();
    CHECK(report.alerts == 4);
    CHECK(report.trueAlerts == 1);
    CHECK(report.falseAlerts == 3);
    CHECK(report.falseAlertsByCause.at(HotListReport::kMisread) == 1);
    CHECK(report.falseAlertsByCause.at(HotListReport::kSameCharacters) == 1);
    CHECK(report.falseAlertsByCause.at(HotListReport::kStale) == 1);
    CHECK(report.entriesOutside == 1);
    REQUIRE(report.detections.size() == 1);  // the outside car's entry is nothing to find
    network.checkpoint();
    const StoreNetwork reopened = StoreNetwork::open(dir.path());
    CHECK(reopened.hotListReport().falseAlertsByCause == report.falseAlertsByCause);
    REQUIRE(reopened.hotList().entries().size() == 2);
    CHECK(reopened.hotList().entries()[1].clearedAt == 1500.0);
    CHECK(reopened.hotList().entries()[0].state == "NY");
    CHECK(reopened.hotList().upkeep().refreshSeconds == 1000.0);
}

TEST_CASE("a reader that reads the state raises no alert for another state's plate", "[store][hotlist]") {
    ScratchDir dir;
    HotList::Upkeep upkeep;
    upkeep.statesReadShare = 1.0;
    HotList hotList({{"NYS700", "", "stolen", "NY"}}, 0.0, upkeep);
    hotList.setRegistry({{"ma-car", "MA"}, {"ny-car", "NY"}});
    StoreNetwork network = StoreNetwork::create(dir.path(), StoreSettings{}, kCameras, hotList);
    CHECK(network.record({readAt(cam("Boston", 0), "NYS700", 600.0), readAt(cam("Boston", 0), "NYS700", 700.0)},
                         {{"ma-car", "NYS700"}, {"ny-car", "NYS700"}}) == 1);
}

TEST_CASE("the stores outlive the run: opened again they answer the same", "[store]") {
    ScratchDir dir;
    std::vector<FoundRead> before;
    {
        StoreNetwork network = networkWithReads(dir.path(), SharingMode::Pooled);
        before = BackOffice(network, "Boston").history(1000.0, "AAA111", 0.0, 1000.0);
        network.checkpoint();
    }
    StoreNetwork reopened = StoreNetwork::open(dir.path());
    CHECK(reopened.sharing().mode == SharingMode::Pooled);
    CHECK(reopened.agencies() == std::vector<std::string>{"Amherst", "Boston", "Brookline", "State Police"});
    REQUIRE(reopened.hotList().entries().size() == 1);
    CHECK(reopened.hotList().entries()[0].vehicle == "stolen-car");
    const std::vector<FoundRead> after = BackOffice(reopened, "Boston").history(1000.0, "AAA111", 0.0, 1000.0);
    REQUIRE(after.size() == before.size());
    for (size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].read.time == before[i].read.time);
        CHECK(after[i].store == before[i].store);
    }
    CHECK(reopened.agencyStore("Boston").auditLog().size() == 2);  // the search before and the one after
    // Reads keep arriving after reopening, routed by the cameras the stores remember.
    reopened.record({readAt(cam("Boston", 1), "NEW777", 1100.0)}, {{"v7", "NEW777"}});
    CHECK(reopened.stateStore().plateHistory("NEW777", 0, 2000).size() == 1);
}

TEST_CASE("unknown agencies and cameras are refused", "[store]") {
    ScratchDir dir;
    StoreNetwork network = networkWithReads(dir.path(), SharingMode::Pooled);
    CHECK_THROWS_AS(BackOffice(network, "Springfield"), std::out_of_range);
    CHECK_THROWS_AS(network.record({Read{"X1", 1.0, "no-such-camera", {}, 1.0}}, {{"v", "X1"}}), std::logic_error);
}

namespace {
// Everything a run leaves in its stores, as text: reads with truth, alerts with truth, audits.
std::string dumpOf(StoreNetwork& network) {
    std::string out;
    std::vector<std::string> names = network.agencies();
    names.push_back(StoreNetwork::kStateOwner);
    for (const std::string& name : names) {
        ReadStore& store = name == StoreNetwork::kStateOwner ? network.stateStore() : network.agencyStore(name);
        out += "# " + name + "\n";
        store.forEachReadWithTruth([&](const Read& r, const ReadTruth& t) {
            out += r.plate + " " + std::to_string(r.time) + " " + r.camera + " " + t.vehicle + "\n";
        });
        store.forEachAlertWithTruth([&](const Alert& a, const AlertTruth& t) {
            out += "alert " + a.readPlate + " " + std::to_string(a.time) + " " + std::to_string(t.correct) + "\n";
        });
        for (const AuditEntry& e : store.auditLog()) out += "audit " + e.agency + " " + e.kind + " " + e.params + "\n";
    }
    return out;
}

std::string runSeeded(const std::filesystem::path& dir, uint64_t seed) {
    Rng rng = Rng::stream(seed, "determinism");
    std::vector<Registration> fleet;
    for (int i = 0; i < 100; ++i) fleet.push_back({"veh" + std::to_string(i), "P" + std::to_string(1000 + i)});
    HotListSpec spec;
    spec.share = 0.1;
    StoreNetwork network = StoreNetwork::create(dir, settingsFor(SharingMode::Pooled), kCameras,
                                                HotList::draw(spec, fleet, Rng::stream(seed, "hot-list")));
    std::vector<Read> reads;
    std::vector<ReadTruth> truth;
    for (int i = 0; i < 500; ++i) {
        const Registration& v = fleet[rng.below(fleet.size())];
        reads.push_back(readAt(kCameras[rng.below(kCameras.size())], v.plate, rng.uniform(0.0, 5000.0)));
        truth.push_back({v.vehicle, v.plate});
    }
    network.record(reads, truth);
    BackOffice office(network, "Boston");
    for (int i = 0; i < 5; ++i) office.coTravel(5000.0, fleet[rng.below(fleet.size())].plate, 0.0, 5000.0, 120.0, 1);
    return dumpOf(network);
}
}  // namespace

TEST_CASE("the same inputs and seed give the same stores", "[store][determinism]") {
    ScratchDir a, b, c;
    const std::string first = runSeeded(a.path(), 11);
    CHECK(first.size() > 10000);
    CHECK(first == runSeeded(b.path(), 11));
    CHECK(first != runSeeded(c.path(), 12));
}

TEST_CASE("by agreement an agency's reads go to its named neighbours' stores, and to no one else", "[store][sharing]") {
    ScratchDir dir;
    StoreSettings settings;  // local: nothing reaches the state store
    settings.sharing.agreements["Brookline"] = {"Boston"};
    settings.sharing.agreements["Amherst"] = {"Brookline"};  // a sharer whose name sorts before its partner's
    {
        StoreNetwork network = StoreNetwork::create(dir.path(), settings, kCameras, HotList{});
        network.record({readAt(cam("Brookline", 0), "BRK500", 400.0), readAt(cam("Amherst", 0), "AAA111", 100.0)},
                       {{"v2", "BRK500"}, {"v1", "AAA111"}});
        CHECK(network.stateStore().readCount() == 0);
        CHECK(historySize(network, "Brookline", "BRK500") == 1);
        CHECK(historySize(network, "Boston", "BRK500") == 1);   // Brookline shares with Boston
        CHECK(historySize(network, "Amherst", "BRK500") == 0);  // one way: Amherst gets nothing back
        CHECK(historySize(network, "Amherst", "AAA111") == 1);  // its own store keeps its own reads
        CHECK(historySize(network, "Brookline", "AAA111") == 1);
        CHECK(historySize(network, "Boston", "AAA111") == 0);  // one way, and not passed on
        CHECK(historySize(network, "Brookline", "BRK500") == 1);
    }
    // The agreement is kept with the stores: opened again, the network says the same.
    StoreNetwork reopened = StoreNetwork::open(dir.path());
    CHECK(reopened.sharing().sharesWith("Brookline") == std::vector<std::string>{"Boston"});
    CHECK(reopened.sharing().sharesWith("Boston").empty());
    CHECK(historySize(reopened, "Boston", "BRK500") == 1);
}
