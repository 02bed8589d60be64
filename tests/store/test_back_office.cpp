// The back-office searches: wildcard plates, where-was, co-travel, stops and nights, areas.
#include <catch2/catch.hpp>

#include <set>

#include "core/error.h"
#include "store/back_office.h"
#include "store_fixtures.h"

using namespace alprsim;
using namespace alprsim::testing;

namespace {

struct OneAgency {
    ScratchDir dir;
    std::vector<CameraRecord> cams = cameras({"Lowell"}, 5);
    StoreSettings settings;  // named: GCC 12 warns (maybe-uninitialized) on a temporary's map here
    StoreNetwork network = StoreNetwork::create(dir.path(), settings, cams, HotList{});
    BackOffice office{network, "Lowell"};

    void add(int camera, const std::string& plate, double time, const std::string& truePlate = "") {
        network.record({readAt(cams.at(camera), plate, time)}, {{"v-" + plate, truePlate.empty() ? plate : truePlate}});
    }
};

std::set<std::string> platesOf(const std::vector<FoundRead>& reads) {
    std::set<std::string> out;
    for (const FoundRead& f : reads) out.insert(f.read.plate);
    return out;
}
}  // namespace

TEST_CASE("wildcard search finds the misread variants of a plate", "[store][backoffice]") {
    OneAgency s;
    s.add(0, "4ABC12", 10.0);
    s.add(1, "4A8C12", 20.0, "4ABC12");  // B read as 8
    s.add(2, "4ABC72", 30.0, "4ABC12");  // 1 read as 7
    s.add(3, "4ABG12", 40.0, "4ABC12");  // C read as G
    s.add(4, "7XYZ99", 50.0);
    using Plates = std::set<std::string>;
    CHECK(platesOf(s.office.plateSearch(100.0, "4A?C?2", 0.0, 100.0)) == Plates{"4A8C12", "4ABC12", "4ABC72"});
    CHECK(platesOf(s.office.plateSearch(100.0, "4a[8b]c12", 0.0, 100.0)) == Plates{"4A8C12", "4ABC12"});
    CHECK(platesOf(s.office.plateSearch(100.0, "4A*", 0.0, 100.0)) == Plates{"4A8C12", "4ABC12", "4ABC72", "4ABG12"});
    CHECK(platesOf(s.office.plateSearch(100.0, "*12", 0.0, 100.0)) == Plates{"4A8C12", "4ABC12", "4ABG12"});
    CHECK(platesOf(s.office.plateSearch(100.0, "4A*", 25.0, 100.0)) == Plates{"4ABC72", "4ABG12"});
    CHECK_THROWS_AS(s.office.plateSearch(100.0, "4A%", 0.0, 100.0), InputError);
    CHECK_THROWS_AS(s.office.plateSearch(100.0, "4A[8B", 0.0, 100.0), InputError);
    CHECK_THROWS_AS(s.office.plateSearch(100.0, "' OR 1=1 --", 0.0, 100.0), InputError);
}

TEST_CASE("where was this plate: the reads in the window and the ones around it", "[store][backoffice]") {
    OneAgency s;
    for (int i = 0; i < 5; ++i) s.add(i, "1ABC23", 100.0 * (i + 1));
    s.add(2, "9ZZZ99", 250.0);
    const WhereWas w = s.office.whereWas(1000.0, "1ABC23", 150.0, 350.0);
    REQUIRE(w.lastBefore.has_value());
    CHECK(w.lastBefore->read.time == 100.0);
    REQUIRE(w.during.size() == 2);
    CHECK(w.during[0].read.camera == s.cams[1].id);
    CHECK(w.during[1].read.time == 300.0);
    REQUIRE(w.firstAfter.has_value());
    CHECK(w.firstAfter->read.camera == s.cams[3].id);
    // Asked at time 320, the reads after it do not exist yet.
    const WhereWas early = s.office.whereWas(320.0, "1ABC23", 150.0, 350.0);
    CHECK(early.during.size() == 2);
    CHECK_FALSE(early.firstAfter.has_value());
}

TEST_CASE("co-travel finds the plates that keep turning up near the target", "[store][backoffice]") {
    OneAgency s;
    for (int i = 0; i < 4; ++i) {
        const double t = 1000.0 * (i + 1);
        s.add(i, "TARGET1", t);
        s.add(i, "FOLLOW2", t + 30.0);  // trails the target through four cameras
    }
    s.add(0, "ONCE333", 1000.0 - 20.0);   // near the target once
    s.add(1, "LATE444", 2000.0 + 600.0);  // at a shared camera, but ten minutes later
    s.add(4, "ELSE555", 1000.0);          // same time, another camera
    const std::vector<CoTraveller> three = s.office.coTravel(10000.0, "TARGET1", 0.0, 10000.0, 60.0, 3);
    REQUIRE(three.size() == 1);
    CHECK(three[0].plate == "FOLLOW2");
    CHECK(three[0].cameras == 4);
    CHECK(three[0].reads == 4);
    const std::vector<CoTraveller> one = s.office.coTravel(10000.0, "TARGET1", 0.0, 10000.0, 60.0, 1);
    REQUIRE(one.size() == 2);
    CHECK(one[0].plate == "FOLLOW2");
    CHECK(one[1].plate == "ONCE333");
    CHECK(s.office.coTravel(10000.0, "TARGET1", 0.0, 10000.0, 900.0, 1).size() == 3);  // a wider window takes LATE444
}

TEST_CASE("stops and overnight places come from the gaps between reads", "[store][backoffice]") {
    OneAgency s;
    // Home is past camera 0, work past camera 1; two commuting days and a third morning.
    for (int day = 0; day < 2; ++day) {
        const double d = day * kDay;
        s.add(0, "HOME123", d + 8 * kHour);
        s.add(1, "HOME123", d + 8.5 * kHour);
        s.add(2, "HOME123", d + 12 * kHour);  // lunch errand: a short stop
        s.add(1, "HOME123", d + 12.5 * kHour);
        s.add(1, "HOME123", d + 17 * kHour);
        s.add(0, "HOME123", d + 17.5 * kHour);
    }
    s.add(0, "HOME123", 2 * kDay + 8 * kHour);
    const double now = 3 * kDay;
    const std::vector<Dwell> long_stops = s.office.dwells(now, "HOME123", 0.0, now, 4 * kHour);
    REQUIRE(long_stops.size() == 4);  // two nights at home, two afternoons at work
    CHECK(long_stops[0].camera == s.cams[1].id);
    CHECK(long_stops[0].from == 12.5 * kHour);
    CHECK(long_stops[1].camera == s.cams[0].id);
    CHECK(long_stops[1].to - long_stops[1].from == Approx(14.5 * kHour));
    CHECK(s.office.dwells(now, "HOME123", 0.0, now, 3 * kHour).size() == 6);  // the mornings at work too
    const std::vector<OvernightPlace> nights = s.office.overnight(now, "HOME123", 0.0, now);
    REQUIRE(nights.size() == 1);
    CHECK(nights[0].camera == s.cams[0].id);
    CHECK(nights[0].nights == 2);
}

TEST_CASE("history can be limited to an area", "[store][backoffice]") {
    OneAgency s;
    for (int i = 0; i < 5; ++i) s.add(i, "AREA123", 10.0 * (i + 1));
    // Cameras are about 830 m apart in longitude at this latitude.
    const std::vector<FoundRead> near = s.office.history(100.0, "AREA123", 0.0, 100.0, Circle{s.cams[2].where, 900.0});
    REQUIRE(near.size() == 3);
    CHECK(near[0].read.camera == s.cams[1].id);
    CHECK(near[2].read.camera == s.cams[3].id);
    CHECK(s.office.history(100.0, "AREA123", 0.0, 100.0).size() == 5);
    const std::vector<AuditEntry> log = s.network.agencyStore("Lowell").auditLog();
    REQUIRE(log.size() == 2);
    CHECK(log[0].rows == 3);  // rows inside the area, not rows scanned
}
