// Drawing the hot list from the fleet, and matching reads against it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/plate.h"
#include "store/hot_list.h"

using namespace alprsim;

namespace {
std::vector<Registration> fleet(size_t n) {
    PlateGenerator plates(Rng::stream(7, "test-plates"));
    std::vector<Registration> out;
    for (size_t i = 0; i < n; ++i) out.push_back({"veh" + std::to_string(i), plates.next()});
    return out;
}

std::set<std::string> flaggedVehicles(const HotList& list) {
    std::set<std::string> out;
    for (const FlaggedVehicle& f : list.entries()) out.insert(f.vehicle);
    return out;
}
}  // namespace

TEST_CASE("the hot list flags the configured share of distinct fleet vehicles", "[store][hotlist]") {
    const std::vector<Registration> vehicles = fleet(1000);
    HotListSpec spec;
    spec.share = 0.013;
    spec.sameCharactersElsewhere = 0.0;  // only the fleet's own vehicles
    const HotList list = HotList::draw(spec, vehicles, Rng::stream(1, "hot-list"));
    REQUIRE(list.entries().size() == 13);
    CHECK(flaggedVehicles(list).size() == 13);
    for (const FlaggedVehicle& f : list.entries()) {
        const auto it = std::find_if(vehicles.begin(), vehicles.end(), [&](const auto& r) { return r.vehicle == f.vehicle; });
        REQUIRE(it != vehicles.end());
        CHECK(it->plate == f.plate);
        CHECK((f.reason == "stolen" || f.reason == "wanted"));
    }
}

TEST_CASE("the hot list depends only on the fleet's contents and the seed", "[store][hotlist]") {
    std::vector<Registration> vehicles = fleet(500);
    HotListSpec spec;
    spec.share = 0.02;
    const HotList first = HotList::draw(spec, vehicles, Rng::stream(5, "hot-list"));
    std::reverse(vehicles.begin(), vehicles.end());
    const HotList reordered = HotList::draw(spec, vehicles, Rng::stream(5, "hot-list"));
    const HotList otherSeed = HotList::draw(spec, vehicles, Rng::stream(6, "hot-list"));
    CHECK(flaggedVehicles(first) == flaggedVehicles(reordered));
    for (size_t i = 0; i < first.entries().size(); ++i) CHECK(first.entries()[i].reason == reordered.entries()[i].reason);
    CHECK(flaggedVehicles(first) != flaggedVehicles(otherSeed));
}

TEST_CASE("hot-list reasons follow their weights", "[store][hotlist]") {
    HotListSpec spec;
    spec.share = 1.0;
    spec.reasons = {{"stolen", 1.0}, {"wanted", 3.0}};
    spec.sameCharactersElsewhere = 0.0;
    const HotList list = HotList::draw(spec, fleet(4000), Rng::stream(2, "hot-list"));
    const auto stolen =
        std::count_if(list.entries().begin(), list.entries().end(), [](const FlaggedVehicle& f) { return f.reason == "stolen"; });
    // Binomial(4000, 0.25): sd about 27, so +-150 is more than five sd.
    CHECK(stolen > 850);
    CHECK(stolen < 1150);
}

TEST_CASE("reads match the hot list only once it is in force", "[store][hotlist]") {
    const HotList list({{"1ABC23", "veh1", "stolen"}}, 3600.0);
    CHECK(list.match("1ABC23", 3599.0) == nullptr);
    REQUIRE(list.match("1ABC23", 3600.0) != nullptr);
    CHECK(list.match("1ABC23", 4000.0)->vehicle == "veh1");
    CHECK(list.match("1ABC28", 4000.0) == nullptr);
    CHECK_THROWS_AS(HotList({{"1ABC23", "veh1", "stolen"}, {"1ABC23", "veh2", "wanted"}}, 0.0), std::invalid_argument);
}

TEST_CASE("other states' plates with a fleet plate's characters are listed at the list's density", "[store][hotlist]") {
    const std::vector<Registration> vehicles = fleet(20000);
    HotListSpec spec;
    spec.share = 0.01;
    spec.sameCharactersElsewhere = 2.0;
    const HotList list = HotList::draw(spec, vehicles, Rng::stream(3, "hot-list"));
    size_t outside = 0;
    for (const FlaggedVehicle& f : list.entries()) {
        if (!f.vehicle.empty()) {
            CHECK(f.state == "MA");
            continue;
        }
        ++outside;
        CHECK(f.state != "MA");  // a Massachusetts fleet plate's twin is another state's
        CHECK(std::any_of(vehicles.begin(), vehicles.end(), [&](const Registration& r) { return r.plate == f.plate; }));
    }
    // 20000 * (1 - exp(-0.02)) = 396 expected, less the few whose characters are flagged already;
    // Binomial sd about 20, so +-100 is five sd.
    CHECK(outside > 296);
    CHECK(outside < 496);
    HotListSpec without = spec;
    without.sameCharactersElsewhere = 0.0;
    const HotList plain = HotList::draw(without, vehicles, Rng::stream(3, "hot-list"));
    CHECK(plain.entries().size() == 200);
    CHECK(flaggedVehicles(plain) == [&] {
        std::set<std::string> fleetOnly = flaggedVehicles(list);
        fleetOnly.erase("");
        return fleetOnly;
    }());
}

TEST_CASE("a read whose state is read does not match another state's listed plate", "[store][hotlist]") {
    const HotList list({{"ABC1234", "", "stolen", "NY"}, {"1AB234", "veh1", "wanted", "MA"}}, 0.0);
    CHECK(list.match("ABC1234", 10.0) != nullptr);        // characters only
    CHECK(list.match("ABC1234", 10.0, "MA") == nullptr);  // the reader saw a Massachusetts plate
    CHECK(list.match("ABC1234", 10.0, "NY") != nullptr);
    CHECK(list.match("1AB234", 10.0, "MA") != nullptr);
}

TEST_CASE("the share of reads whose state is read follows the setting and is the same on every call", "[store][hotlist]") {
    HotList::Upkeep upkeep;
    upkeep.statesReadShare = 0.3;
    upkeep.stateSeed = 99;
    const HotList list({}, 0.0, upkeep);
    int read = 0;
    for (int i = 0; i < 10000; ++i) {
        const bool r = list.readsState("cam" + std::to_string(i % 7), i * 1.5, "PL" + std::to_string(i));
        CHECK(r == list.readsState("cam" + std::to_string(i % 7), i * 1.5, "PL" + std::to_string(i)));
        read += r;
    }
    CHECK(read > 2800);  // Binomial(10000, 0.3): sd 46
    CHECK(read < 3200);
}

TEST_CASE("a cleared entry stays on the list as held until the next refresh", "[store][hotlist]") {
    HotList::Upkeep daily;
    daily.refreshSeconds = 86400.0;
    const HotList list({{"1AB234", "veh1", "stolen", "MA", 30000.0}}, 0.0, daily);
    CHECK(list.removedAt(list.entries()[0]) == 86400.0);
    CHECK(list.match("1AB234", 29999.0) != nullptr);
    CHECK(list.match("1AB234", 50000.0) != nullptr);  // cleared but still listed: a stale alert
    CHECK(list.match("1AB234", 86400.0) == nullptr);
    const HotList atOnce({{"1AB234", "veh1", "stolen", "MA", 30000.0}}, 0.0);
    CHECK(atOnce.match("1AB234", 30000.0) == nullptr);
    CHECK(atOnce.match("1AB234", 29999.0) != nullptr);
}

TEST_CASE("entries clear at the configured rate", "[store][hotlist]") {
    HotListSpec spec;
    spec.share = 1.0;
    spec.clearedPerDay = 0.1;
    const HotList list = HotList::draw(spec, fleet(5000), Rng::stream(4, "hot-list"));
    const auto clearedWithinADay = std::count_if(list.entries().begin(), list.entries().end(),
                                                 [](const FlaggedVehicle& f) { return f.clearedAt < 86400.0; });
    // 5000 * (1 - exp(-0.1)) = 476; sd about 21.
    CHECK(clearedWithinADay > 376);
    CHECK(clearedWithinADay < 576);
}
