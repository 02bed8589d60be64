// The run's read log: the reads a run made, held in memory, given back in the order its
// reads.sqlite gives them (what the run's own analysis reads instead of the file).
#include <catch2/catch.hpp>

#include <tuple>

#include "store/read_log.h"
#include "store/read_store.h"
#include "store_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {
// A read as either side gives it: names, time and place.
using Seen = std::tuple<std::string, double, std::string, std::string, double, double>;
}  // namespace

TEST_CASE("the read log gives the reads in the order reads.sqlite gives them back", "[store]") {
    ScratchDir dir;
    const CameraRecord a = camera("Boston", 0, 1), b = camera("Boston", 0, 2);
    ReadStore store = ReadStore::create(dir.path() / "reads.sqlite");
    store.addCameras({a, b});
    ReadLog log;
    // Out of time order, several at one time (in the same millisecond and not), across days,
    // in two batches as the run's sink inserts them.
    const std::vector<std::vector<std::pair<Read, ReadTruth>>> batches = {
        {{readAt(a, "P1", 90000.0), {"v1", "P1"}},
         {readAt(b, "P2", 50.0), {"v2", "P2"}},
         {readAt(a, "P3", 50.0), {"v3", "P3"}},
         {readAt(b, "P4", 50.0004), {"v1", "P1"}}},
        {{readAt(a, "P5", 50.0), {"v2", "P2"}}, {readAt(b, "P1", 10.0), {"v1", "P1"}}, {readAt(a, "P6", 90000.0), {"v3", "P3"}}}};
    for (const auto& batch : batches) {
        std::vector<Read> reads;
        std::vector<ReadTruth> truth;
        for (const auto& [r, t] : batch) {
            reads.push_back(r);
            truth.push_back(t);
            log.add(r, t);
        }
        store.insert(reads, truth);
    }
    std::vector<Seen> fromStore, fromLog;
    store.forEachReadWithTruth([&](const Read& r, const ReadTruth& t) {
        fromStore.emplace_back(r.plate, r.time, r.camera, t.vehicle, r.where.lat, r.where.lon);
    });
    CHECK(log.entries().front().time == 90000.0);  // as added, until asked for time order
    for (const ReadLog::Entry& e : log.inTimeOrder())
        fromLog.emplace_back(log.plates()[e.plate], e.time, log.cameras()[e.camera], log.vehicles()[e.vehicle], e.where.lat,
                             e.where.lon);
    REQUIRE(fromStore.size() == 7);
    CHECK(fromLog == fromStore);
    CHECK(std::get<0>(fromLog[1]) == "P2");  // of the three at 50 s, in the order made
    CHECK(std::get<0>(fromLog[3]) == "P5");
    CHECK(log.plates().size() == 6);  // names interned once (true plates among them)
    CHECK(log.vehicles().size() == 3);
}

TEST_CASE("a read log gives each read back as it was added, truth and confidence with it", "[store]") {
    const CameraRecord a = camera("Boston", 0, 1);
    Read read = readAt(a, "7XY123", 3600.5);
    read.confidence = 0.625;
    ReadLog log;
    log.add(read, {"car-9", "7XV123"});
    const ReadLog::Entry& e = log.entries().at(0);
    const Read back = log.read(e);
    CHECK(std::tie(back.plate, back.time, back.camera, back.where.lat, back.where.lon, back.confidence) ==
          std::tie(read.plate, read.time, read.camera, read.where.lat, read.where.lon, read.confidence));
    CHECK(log.truth(e).vehicle == "car-9");
    CHECK(log.truth(e).truePlate == "7XV123");
}
