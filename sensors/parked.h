#pragma once
// Parked vehicles, as patrol cameras see them. A car is parked where its trips leave it: at
// the origin edge of its first known trip until that trip departs, and at the destination
// edge of each trip from the moment it arrives until the car's next trip departs (ground truth
// from the simulation's departures and arrivals, step by step). A car that left the network
// (a commute to work beyond it, through traffic) is not parked anywhere in it.
//
// Where it stands. A share of parking stays is on the street (`onStreetShare`); the rest are
// in driveways, garages and lots, out of a patrol camera's sight. Whether a car parks on the
// street at a place, and which stall along the kerb it wants, is drawn once per (car, edge)
// from the seed, so a car comes back to the same spot at home every night: at the right-hand
// kerb of the edge it arrived on (or leaves from), parallel to the traffic, its centre
// `kerbOffsetM` right of lane 0's centre line. A kerb holds as many stalls of `stallLengthM` as
// fit between the `junctionClearanceM` left clear at either end; a car takes the free stall
// nearest the one it wants, else the nearest free one on the street's other kerb, else (both
// kerbs full) it parks off the street, as a driver finding no space goes to a lot or garage.
// Cars stand nose to tail, one per stall, so the car behind a parked car hides its rear plate
// from a camera looking along the kerb. Motorways, trunk roads and ramps have no kerbside
// parking.
//
// Cost. Parked cars are indexed by edge; a patrol car asks for the cars on the edge it drives
// (and the opposite side of the same street), never for all of them. Free of SUMO: tests feed
// it trips, departures and arrivals directly.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/road_network.h"
#include "sim/sumo_vehicles.h"
#include "sim/trip_log.h"

namespace alprsim {

// Whether a road of this class has a kerb to park at (motorways, trunk roads and ramps do not).
bool hasKerbside(const std::string& roadClass);

struct ParkingConfig {
    // Share of parking stays on the street, visible to a passing patrol car. A modelling
    // assumption, not a measurement (see docs/sensing.md, "Parked vehicles").
    double onStreetShare = 0.3;
    double kerbOffsetM = 2.8;         // half a 3.2 m travel lane plus half a 2.4 m parking lane
    double junctionClearanceM = 6.1;  // 20 ft: no parking that close to an intersection (Massachusetts)
    double vehicleLengthM = 5.0;      // SUMO's default passenger car, as every simulated car
    // One parallel-parking stall: 21 ft (6.4 m), Baltimore County (Maryland)'s stall for a
    // regular car (reference.com, "What Is a Parallel Parking Space Size?"); US parallel stalls
    // are 20 to 24 ft long (Wikipedia, "Parking space").
    double stallLengthM = 6.4;
};

class ParkedVehicles {
public:
    ParkedVehicles(const ParkingConfig& config, const RoadNetwork& network, uint64_t seed);

    // Learns trips (the car making each, where it starts and ends). A car seen for the first
    // time is parked at the origin of its earliest trip among these, until that trip departs.
    void addTrips(const std::vector<TripPlan>& plans);
    // The simulation's events of one step, arrivals first: a car that arrives and leaves again
    // within the step is driving at its end.
    void arrived(const std::string& trip);
    void departed(const std::string& trip);

    // Cars parked on the street along `edge`, within `radius` metres of `at`, appended to `out`
    // (speed 0, ids made by parkedId).
    void near(size_t edge, Point2 at, double radius, std::vector<VehicleState>& out) const;
    // The edge of the same street in the other direction (its other kerb), or SIZE_MAX.
    size_t reverseOf(size_t edge) const { return reverse_[edge]; }

    // A parked car's id as cameras see it: the trip it arrived with (or will leave with),
    // marked so that it never collides with a moving vehicle's id.
    static std::string parkedId(const std::string& trip) { return kPrefix + trip; }
    // The trip of a parked id; false if `id` is not one.
    static bool tripOfParkedId(const std::string& id, std::string& trip);

    size_t parkedOnStreet() const { return onStreet_; }
    size_t parkedOffStreet() const { return offStreet_; }
    // Stays meant for the street that found both kerbs full and went off the street (so far).
    size_t turnedAway() const { return turnedAway_; }
    // Stalls on the kerb of `edge` (0: no parking there).
    size_t stallsOn(size_t edge) const { return edge < stalls_.size() ? stalls_[edge].size() : 0; }
    const ParkingConfig& config() const { return config_; }

private:
    static constexpr const char* kPrefix = "parked:";
    struct Trip {
        uint32_t car = 0;
        size_t origin = SIZE_MAX, destination = SIZE_MAX;  // SIZE_MAX: not a parking place (outside)
    };
    struct Car {
        std::string id;
        int driving = 0;         // trips under way
        size_t edge = SIZE_MAX;  // where it is parked on the street; SIZE_MAX: not on a street
        size_t slot = 0;         // its index in onEdge_[edge]
        size_t stall = 0;        // its stall on that kerb
        bool parked = false;     // parked (on or off the street)
        VehicleState state;      // as a camera sees it, when on the street
    };
    void park(uint32_t car, size_t edge, const std::string& trip);
    void unpark(uint32_t car);
    size_t placeOf(size_t edge, bool origin, const std::string& purpose) const;
    // The free stall on `edge`'s kerb nearest `wanted` (a share of the kerb's length); SIZE_MAX
    // if the kerb has none free.
    size_t freeStallNear(size_t edge, double wanted) const;
    void takeStall(uint32_t car, size_t edge, size_t stall, const std::string& trip);

    ParkingConfig config_;
    const RoadNetwork& network_;
    uint64_t seed_;
    std::vector<size_t> reverse_;
    std::vector<bool> kerbside_;  // per edge: may have kerbside parking
    std::unordered_map<std::string, uint32_t> carIndex_;
    std::vector<Car> cars_;
    std::unordered_map<std::string, Trip> trips_;  // trips not yet arrived
    std::vector<std::vector<uint32_t>> onEdge_;    // per edge: cars parked on its kerb
    std::vector<std::vector<bool>> stalls_;        // per edge: its kerb's stalls, true where taken
    size_t onStreet_ = 0, offStreet_ = 0, turnedAway_ = 0;
};

}  // namespace alprsim
