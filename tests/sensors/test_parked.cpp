// Parked cars as patrol cameras see them (sensors/parked.h): placed where their trips leave
// them, read by a patrol car driving their street and not by one a block away, gone once they
// drive off; deterministic. Hand-built streets, no SUMO.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sensors/parked.h"
#include "sensors/pass_tracker.h"
#include "sensors/patrol.h"

using namespace alprsim;

namespace {

// One direction of a straight street from (x0, y) to (x1, y), lane 0's centre line.
RoadEdge street(const std::string& id, const std::string& from, const std::string& to, double x0, double x1, double y,
                const std::string& roadClass = "residential") {
    RoadEdge e;
    e.id = id;
    e.fromJunction = from;
    e.toJunction = to;
    e.length = std::abs(x1 - x0);
    e.maxSpeed = 13.9;
    e.lanes = 1;
    e.shape = {{x0, y}, {x1, y}};
    e.roadClass = roadClass;
    return e;
}

// Two-way streets 200 m long: "a" (east) and "-a" (west) along y = 0, "b" and "-b" a block
// north (y = 80), "c" far away, and a motorway "m".
RoadNetwork streets() {
    return RoadNetwork({street("a", "J0", "J1", 0, 200, -1.6), street("-a", "J1", "J0", 200, 0, 1.6),
                        street("b", "J2", "J3", 0, 200, 78.4), street("-b", "J3", "J2", 200, 0, 81.6),
                        street("c", "J4", "J5", 0, 200, 500), street("m", "J6", "J7", 0, 400, -300, "motorway")});
}

TripPlan trip(const std::string& id, const std::string& vehicle, const std::vector<std::string>& route,
              double depart = 8 * 3600) {
    TripPlan p;
    p.trip = id;
    p.vehicle = vehicle;
    p.plate = vehicle;
    p.plannedDepart = depart;
    p.route = streets().edgeIndices(route);  // the networks of these tests are streets()
    p.purpose = "errand";
    return p;
}

// Drives a patrol car east along y = -1.6 from x = -20 to x = 220 at 10 m/s (one-second
// steps, noon), its cameras given the parked cars along street "a" (both kerbs) each step, as
// SensorArray does. Returns the trips of the parked cars it captured, with their counts.
std::map<std::string, int> patrolStreetA(const ParkedVehicles& parked, const RoadNetwork& net) {
    PatrolConfig config;  // front and rear cameras, 8 mm lenses, 20 m range
    PassTracker tracker(0, config.camera, AmbientConditions{});
    std::vector<Capture> out;
    const auto carAt = [](double t) { return VehicleState{"patrol", {-20.0 + 10.0 * t, -1.6}, 90.0, 10.0, 5.0}; };
    const size_t a = net.indexOf("a");
    const double noon = 12 * 3600;
    for (double t = 1; t <= 24; ++t) {
        CameraRig rig;
        const auto before = PatrolFleet::rigPoses(carAt(t - 1), config);
        const auto after = PatrolFleet::rigPoses(carAt(t), config);
        for (size_t i = 0; i < before.size(); ++i) rig.push_back({before[i], after[i]});
        std::vector<VehicleState> near;
        parked.near(a, carAt(t).position, 60.0, near);
        parked.near(parked.reverseOf(a), carAt(t).position, 60.0, near);
        tracker.step(noon + t - 1, noon + t, rig, near, out);
    }
    tracker.finish(out);
    std::map<std::string, int> read;
    for (const Capture& c : out) {
        std::string t;
        REQUIRE(ParkedVehicles::tripOfParkedId(c.trip, t));
        ++read[t];
        CHECK(c.speed == 0.0);
        CHECK(c.distanceM <= config.camera.rangeM);
    }
    return read;
}

}  // namespace

TEST_CASE("a patrol car reads the cars parked along its street, not those a block away", "[sensors][patrol][parked]") {
    const RoadNetwork net = streets();
    ParkingConfig everyone;
    everyone.onStreetShare = 1.0;  // every stay on the street: who is read is up to the cameras
    ParkedVehicles parked(everyone, net, 7);
    parked.addTrips({
        trip("near.0", "near", {"a", "c"}),             // parked on street a (this kerb) until it leaves
        trip("across.0", "across", {"-a", "c"}),        // across the street (the other kerb)
        trip("block.0", "block", {"b", "c"}),           // a block north
        trip("blockback.0", "blockback", {"-b", "c"}),  // a block north, the nearer kerb of that street
        trip("gone.0", "gone", {"a", "c"}),             // parked on street a, but drives away
        trip("home.0", "home", {"c", "a"}),             // not here yet: comes home to street a
        trip("home.1", "home", {"a", "c"}, 18 * 3600),  // its later trip: not where it starts the day
    });
    CHECK(parked.parkedOnStreet() == 6);  // everyone but "home", at c until home.0 leaves
    parked.departed("gone.0");
    parked.departed("home.0");
    parked.arrived("home.0");  // parked on street a from now on, under the trip it came with
    CHECK(parked.parkedOnStreet() == 5);

    const std::map<std::string, int> read = patrolStreetA(parked, net);
    // Once each for this pass: the cars along street a, both kerbs; none from a block away,
    // and not the car that drove off.
    CHECK(read == std::map<std::string, int>{{"near.0", 1}, {"across.0", 1}, {"home.0", 1}});

    SECTION("a car that drove away is not read where it was parked") {
        parked.departed("near.0");
        const auto after = patrolStreetA(parked, net);
        CHECK(after.count("near.0") == 0);
        CHECK(after.count("home.0") == 1);
    }
    SECTION("a car that comes back is read where it parks again") {
        parked.departed("near.0");
        parked.arrived("near.0");  // at street c
        parked.addTrips({trip("near.1", "near", {"c", "-a"}, 13 * 3600)});
        parked.departed("near.1");
        parked.arrived("near.1");
        const auto after = patrolStreetA(parked, net);
        CHECK(after.count("near.0") == 0);
        CHECK(after.count("near.1") == 1);
    }
}

TEST_CASE("parked cars stand at the kerb, off motorways, a seeded share on the street", "[sensors][parked]") {
    const RoadNetwork net = streets();
    std::vector<TripPlan> plans;
    for (int i = 0; i < 2000; ++i) {
        const std::string v = "v" + std::to_string(i);
        plans.push_back(trip(v + ".0", v, {i % 2 ? "a" : "-b", "c"}));
    }
    plans.push_back(trip("fast.0", "fast", {"m", "c"}));
    ParkedVehicles parked(ParkingConfig{}, net, 7);  // the default share, 0.3
    parked.addTrips(plans);
    // Binomial(2000, 0.3) stays meant for the street: 600 +- 20.5; within 4 sigma. Each street
    // has 2 x 29 stalls (200 m less 2 x 6.1 m clear, 6.4 m stalls): the rest find the kerbs full.
    const size_t wanted = parked.parkedOnStreet() + parked.turnedAway();
    CHECK(wanted >= 518);
    CHECK(wanted <= 682);
    CHECK(parked.stallsOn(net.indexOf("a")) == 29);
    CHECK(parked.stallsOn(net.indexOf("m")) == 0);
    CHECK(parked.parkedOnStreet() == 4 * 29);  // a, -a, b and -b all full
    CHECK(parked.parkedOnStreet() + parked.parkedOffStreet() == 2001);

    std::vector<VehicleState> onA, onMotorway;
    parked.near(net.indexOf("a"), {100, 0}, 1e6, onA);
    parked.near(net.indexOf("m"), {200, -300}, 1e6, onMotorway);
    CHECK(onMotorway.empty());
    REQUIRE(!onA.empty());
    for (const VehicleState& v : onA) {
        CHECK(v.position.y == Approx(-1.6 - 2.8));  // right of the eastbound lane
        CHECK(v.angleDeg == Approx(90.0));          // parallel to the traffic
        CHECK(v.position.x - v.length >= 6.1 - 1e-9);
        CHECK(v.position.x <= 200 - 6.1 + 1e-9);
        CHECK(v.speed == 0.0);
    }

    SECTION("the same seed places the same cars at the same spots; another seed does not") {
        ParkedVehicles again(ParkingConfig{}, net, 7), other(ParkingConfig{}, net, 8);
        again.addTrips(plans);
        other.addTrips(plans);
        std::vector<VehicleState> onAagain, onAother;
        again.near(net.indexOf("a"), {100, 0}, 1e6, onAagain);
        other.near(net.indexOf("a"), {100, 0}, 1e6, onAother);
        const auto spots = [](const std::vector<VehicleState>& v) {
            std::map<std::string, std::pair<double, double>> m;
            for (const VehicleState& s : v) m[s.id] = {s.position.x, s.position.y};
            return m;
        };
        CHECK(spots(onAagain) == spots(onA));
        CHECK(spots(onAother) != spots(onA));
    }
}

TEST_CASE("a kerb holds as many cars as it has stalls, nose to tail, then the other kerb, then none",
          "[sensors][parked]") {
    const RoadNetwork net = streets();
    ParkingConfig everyone;
    everyone.onStreetShare = 1.0;
    ParkedVehicles parked(everyone, net, 3);
    std::vector<TripPlan> plans;
    for (int i = 0; i < 70; ++i) plans.push_back(trip("k" + std::to_string(i) + ".0", "k" + std::to_string(i), {"a", "c"}));
    parked.addTrips(plans);
    const size_t stalls = parked.stallsOn(net.indexOf("a"));
    REQUIRE(stalls == 29);
    CHECK(parked.parkedOnStreet() == 2 * stalls);  // this kerb full, then the one across
    CHECK(parked.turnedAway() == 70 - 2 * stalls);
    CHECK(parked.parkedOffStreet() == 70 - 2 * stalls);

    std::vector<VehicleState> onA, across;
    parked.near(net.indexOf("a"), {100, 0}, 1e6, onA);
    parked.near(net.indexOf("-a"), {100, 0}, 1e6, across);
    REQUIRE(onA.size() == stalls);
    CHECK(across.size() == stalls);
    std::vector<double> fronts;
    for (const VehicleState& v : onA) fronts.push_back(v.position.x);
    std::sort(fronts.begin(), fronts.end());
    for (size_t i = 1; i < fronts.size(); ++i) CHECK(fronts[i] - fronts[i - 1] == Approx(6.4));  // one a stall
    for (const VehicleState& v : across) CHECK(std::fmod(v.angleDeg + 360.0, 360.0) == Approx(270.0));  // facing west

    SECTION("a car that leaves frees its stall for the next") {
        parked.departed("k0.0");
        CHECK(parked.parkedOnStreet() == 2 * stalls - 1);
        parked.addTrips({trip("late.0", "late", {"c", "a"})});
        parked.departed("late.0");
        parked.arrived("late.0");
        CHECK(parked.parkedOnStreet() == 2 * stalls);
        CHECK(parked.turnedAway() == 70 - 2 * stalls);
    }
    SECTION("cars nose to tail hide each other's plates from a patrol driving past") {
        // Only the row's ends show a plate to the cameras looking along the kerb (the first
        // car's rear plate ahead, the last car's front plate behind); across the street the
        // plates are seen past the row at a wider angle, and are hidden too.
        const std::map<std::string, int> read = patrolStreetA(parked, net);
        size_t total = 0;
        for (const auto& [trip, n] : read) total += n;
        CHECK(total >= 2);
        CHECK(total < 58 / 4);  // of 58 parked cars
    }
}

TEST_CASE("a patrol shift's stops take the stated share of it, spread over the shift", "[sensors][patrol]") {
    Rng rng = Rng::stream(11, "stops");
    const double shift = 8 * 3600;
    const auto stops = PatrolFleet::shiftStops(shift, 0.25, 36 * 60, rng);
    REQUIRE(stops.size() == 3);  // round(0.25 x 480 / 36) = round(3.33)
    double total = 0.0, lastEnd = 0.0;
    for (size_t k = 0; k < stops.size(); ++k) {
        total += stops[k].seconds;
        CHECK(stops[k].start >= k * shift / 3);  // one in each third of the shift
        CHECK(stops[k].start + stops[k].seconds <= (k + 1) * shift / 3 + 1e-9);
        CHECK(stops[k].start >= lastEnd);
        lastEnd = stops[k].start + stops[k].seconds;
    }
    CHECK(total == Approx(0.25 * shift));  // 40 minutes each: the share exactly

    Rng same = Rng::stream(11, "stops"), other = Rng::stream(12, "stops");
    CHECK(PatrolFleet::shiftStops(shift, 0.25, 36 * 60, same)[1].start == stops[1].start);
    CHECK(PatrolFleet::shiftStops(shift, 0.25, 36 * 60, other)[1].start != stops[1].start);
    CHECK(PatrolFleet::shiftStops(shift, 0.0, 36 * 60, rng).empty());
    CHECK(PatrolFleet::shiftStops(3600, 0.25, 36 * 60, rng).size() == 1);  // at least one: 15 minutes
}
