// One read store: the evaluation API, what the file keeps across opening, and purging.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "store/read_store.h"
#include "store_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

TEST_CASE("a read store keeps reads, truth and cameras, and opens again", "[store]") {
    ScratchDir dir;
    const auto path = dir.path() / "one.sqlite";
    const CameraRecord cam = camera("Boston", 0, 1);
    {
        ReadStore store = ReadStore::create(path);
        store.addCameras({cam});
        store.insert({readAt(cam, "1ABC23", 20.0), readAt(cam, "1ABC23", 10.0), readAt(cam, "9ZZZ99", 15.0)},
                     {{"veh1", "1ABC23"}, {"veh1", "1ABC23"}, {"veh2", "9ZZ999"}});
        store.setOwner("Boston");
        store.setRetention(RetentionPolicy::keepFor(3600.0, 86400.0));
        CHECK_THROWS_AS(ReadStore::create(path), InputError);
    }
    const ReadStore store = ReadStore::open(path);
    CHECK(store.readCount() == 3);
    CHECK(store.readsRecorded() == 3);
    CHECK(store.owner() == "Boston");
    CHECK(store.retention() == RetentionPolicy::keepFor(3600.0, 86400.0));
    REQUIRE(store.cameras().size() == 1);
    CHECK(store.cameras()[0].agency == "Boston");
    const std::vector<Read> history = store.plateHistory("1ABC23", 0.0, 100.0);
    REQUIRE(history.size() == 2);
    CHECK(history[0].time == 10.0);  // time order, not insertion order
    CHECK(history[1].camera == cam.id);
    CHECK(store.plateHistory("1ABC23", 11.0, 100.0).size() == 1);
    std::vector<std::string> truePlates;
    store.forEachReadWithTruth([&](const Read&, const ReadTruth& t) { truePlates.push_back(t.truePlate); });
    CHECK(truePlates == std::vector<std::string>{"1ABC23", "9ZZ999", "1ABC23"});
    CHECK(store.integrityCheck() == "ok");
}

TEST_CASE("opening something that is not a read store is the user's error", "[store]") {
    ScratchDir dir;
    CHECK_THROWS_AS(ReadStore::open(dir.path() / "missing.sqlite"), InputError);
    std::ofstream(dir.path() / "notes.sqlite") << "not a database";
    CHECK_THROWS_AS(ReadStore::open(dir.path() / "notes.sqlite"), InputError);
}

TEST_CASE("purge deletes what retention no longer allows, keeping hits longer", "[store][retention]") {
    ScratchDir dir;
    ReadStore store = ReadStore::create(dir.path() / "s.sqlite");
    const CameraRecord cam = camera("Nashua", 0, 0);
    store.setRetention(RetentionPolicy::keepFor(180.0, 86400.0));  // New Hampshire: 3 minutes unless a hit
    store.insert({readAt(cam, "AAA111", 0.0), readAt(cam, "BBB222", 0.0), readAt(cam, "CCC333", 200.0)},
                 {{"a", "AAA111"}, {"b", "BBB222"}, {"c", "CCC333"}}, {false, true, false});
    CHECK(store.purge(179.0) == 0);
    CHECK(store.purge(181.0) == 1);  // AAA111 is past 3 minutes; the hit BBB222 stays
    CHECK(store.plateHistory("AAA111", 0, 1e9).empty());
    CHECK(store.plateHistory("BBB222", 0, 1e9).size() == 1);
    CHECK(store.purge(86401.0) == 2);
    CHECK(store.readCount() == 0);
    CHECK(store.readsRecorded() == 3);
    int truthRows = 0;
    store.forEachReadWithTruth([&](const Read&, const ReadTruth&) { ++truthRows; });
    CHECK(truthRows == 0);
}

TEST_CASE("alerts and their truth are kept apart and read back in time order", "[store][hotlist]") {
    ScratchDir dir;
    ReadStore store = ReadStore::create(dir.path() / "s.sqlite");
    store.addAlerts({{50.0, "c1", "1A8C23", "1ABC23", "stolen"}, {20.0, "c2", "1ABC23", "1ABC23", "stolen"}},
                    {{"veh1", "veh9", false, "misread"}, {"veh1", "veh1", true, ""}});
    std::vector<std::pair<double, bool>> seen;
    std::vector<std::string> causes;
    store.forEachAlertWithTruth([&](const Alert& a, const AlertTruth& t) {
        seen.emplace_back(a.time, t.correct);
        causes.push_back(t.cause);
    });
    CHECK(seen == std::vector<std::pair<double, bool>>{{20.0, true}, {50.0, false}});
    CHECK(causes == std::vector<std::string>{"", "misread"});
}

TEST_CASE("reads in the same millisecond and reads out of time order all get a place", "[store]") {
    ScratchDir dir;
    const auto path = dir.path() / "s.sqlite";
    const CameraRecord cam = camera("Lowell", 0, 0);
    const auto insertAt = [&](ReadStore& store, const std::vector<double>& times) {
        std::vector<Read> reads;
        std::vector<ReadTruth> truth;
        for (double t : times) {
            reads.push_back(readAt(cam, "SAME1", t));
            truth.push_back({"v", "SAME1"});
        }
        store.insert(reads, truth);
    };
    {
        ReadStore store = ReadStore::create(path);
        insertAt(store, {5.0, 5.0, 5.0004, 100.0});
        insertAt(store, {5.0002, 5.0, -3.5, 100.0});  // older than the newest read, and before time 0
        CHECK_THROWS_AS(insertAt(store, {1e300}), std::invalid_argument);
        CHECK(store.readCount() == 8);  // the failed batch rolled back whole
    }
    ReadStore store = ReadStore::open(path);
    insertAt(store, {5.0, 100.0});  // keys continue after reopening
    const std::vector<Read> history = store.plateHistory("SAME1", -10.0, 200.0);
    std::vector<double> times;
    for (const Read& r : history) times.push_back(r.time);
    CHECK(times == std::vector<double>{-3.5, 5.0, 5.0, 5.0, 5.0, 5.0002, 5.0004, 100.0, 100.0, 100.0});
    CHECK(store.plateHistory("SAME1", 5.0001, 5.0003).size() == 1);
    CHECK(store.integrityCheck() == "ok");
}

TEST_CASE("whole expired days are dropped, their hits kept for the hit retention", "[store][retention]") {
    ScratchDir dir;
    const auto path = dir.path() / "s.sqlite";
    const CameraRecord cam = camera("Lowell", 0, 0);
    constexpr double kDay = 86400.0;
    {
        ReadStore store = ReadStore::create(path);
        store.setRetention(RetentionPolicy::keepFor(3600.0, 3 * kDay));
        std::vector<Read> reads;
        std::vector<ReadTruth> truth;
        std::vector<bool> hits;
        for (int day = 0; day < 3; ++day)
            for (int i = 0; i < 10; ++i) {
                reads.push_back(
                    readAt(cam, i == 0 ? "HIT" + std::to_string(day) : "P" + std::to_string(i), day * kDay + i * 600));
                truth.push_back({"v", reads.back().plate});
                hits.push_back(i == 0);
            }
        store.insert(reads, truth, hits);
        // Days 0 and 1 go but for their hits (9 + 9); of day 2, the 5 non-hits older than an hour.
        CHECK(store.purge(2 * kDay + 7200) == 23);
        CHECK(store.readCount() == 7);
    }
    ReadStore store = ReadStore::open(path);
    CHECK(store.readCount() == 7);
    CHECK(store.plateHistory("HIT0", 0, 3 * kDay).size() == 1);
    CHECK(store.plateHistory("P1", 0, 3 * kDay).empty());
    CHECK(store.plateHistory("P7", 0, 3 * kDay).size() == 1);  // day 2's, younger than an hour
    std::vector<double> times;
    store.forEachReadWithTruth([&](const Read& r, const ReadTruth& t) {
        times.push_back(r.time);
        CHECK(t.truePlate == r.plate);
    });
    CHECK(std::is_sorted(times.begin(), times.end()));
    CHECK(times.front() == 0.0);
    // A late read for a day already dropped gets a place, and goes at the next purge.
    store.insert({readAt(cam, "LATE", 10.0)}, {{"v", "LATE"}});
    CHECK(store.plateHistory("LATE", 0, kDay).size() == 1);
    CHECK(store.purge(2 * kDay + 7200) == 1);
    CHECK(store.purge(3 * kDay + 1) == 5);  // HIT0 reaches its 3-day hit retention, day 2's last 4 their hour
    CHECK(store.plateHistory("HIT0", 0, 3 * kDay).empty());
    CHECK(store.plateHistory("HIT1", 0, 3 * kDay).size() == 1);
    CHECK(store.readCount() == 2);
    CHECK(store.integrityCheck() == "ok");
}
