// Parked cars as patrol cameras see them (sensors/parked.h): placed where their trips leave
// them, read by a patrol car driving their street and not by one a block away, gone once they
// drive off; deterministic. Hand-built streets, no SUMO.
#include <catch2/catch.hpp>

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
    // Binomial(2000, 0.3): 600 +- 20.5; within 4 sigma.
    CHECK(parked.parkedOnStreet() >= 518);
    CHECK(parked.parkedOnStreet() <= 682);
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
