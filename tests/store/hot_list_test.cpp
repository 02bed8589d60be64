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
    const HotList list = HotList::draw(spec, fleet(4000), Rng::stream(2, "hot-list"));
    const auto stolen = std::count_if(list.entries().begin(), list.entries().end(),
                                      [](const FlaggedVehicle& f) { return f.reason == "stolen"; });
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
