#include "sensors/parked.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/rng.h"
#include "sensors/fixed_camera.h"

namespace alprsim {

bool hasKerbside(const std::string& roadClass) {
    return roadClass != "motorway" && roadClass != "trunk" && roadClass.find("_link") == std::string::npos;
}

ParkedVehicles::ParkedVehicles(const ParkingConfig& config, const RoadNetwork& network, uint64_t seed)
    : config_(config), network_(network), seed_(seed) {
    const auto& edges = network.edges();
    reverse_.assign(edges.size(), SIZE_MAX);
    kerbside_.assign(edges.size(), false);
    onEdge_.assign(edges.size(), {});
    stalls_.assign(edges.size(), {});
    std::map<std::pair<std::string, std::string>, size_t> byJunctions;
    for (size_t e = 0; e < edges.size(); ++e) {
        byJunctions.emplace(std::make_pair(edges[e].fromJunction, edges[e].toJunction), e);
        kerbside_[e] = hasKerbside(edges[e].roadClass);
        const double room = edges[e].length - 2 * config.junctionClearanceM;
        if (kerbside_[e] && room >= config.stallLengthM)
            stalls_[e].assign(static_cast<size_t>(room / config.stallLengthM), false);
    }
    for (size_t e = 0; e < edges.size(); ++e) {
        if (edges[e].fromJunction.empty() || edges[e].fromJunction == edges[e].toJunction) continue;
        const auto it = byJunctions.find({edges[e].toJunction, edges[e].fromJunction});
        if (it != byJunctions.end()) reverse_[e] = it->second;
    }
}

size_t ParkedVehicles::placeOf(size_t e, bool origin, const std::string& purpose) const {
    if (purpose == "through") return SIZE_MAX;
    // A trip that starts where the extract cut a road comes from beyond the network; one that
    // ends at such a place leaves it.
    const RoadEdge& edge = network_.edges().at(e);
    if (origin ? edge.startsAtDeadEnd : edge.endsAtDeadEnd) return SIZE_MAX;
    return e;
}

void ParkedVehicles::addTrips(const std::vector<TripPlan>& plans) {
    // Each new car's earliest trip (ties: the lower trip id), in plan order.
    std::vector<const TripPlan*> first;
    std::unordered_map<std::string, size_t> firstOf;
    for (const TripPlan& p : plans) {
        if (p.route.empty()) continue;
        auto known = carIndex_.find(p.vehicle);
        if (known == carIndex_.end()) {
            known = carIndex_.emplace(p.vehicle, static_cast<uint32_t>(cars_.size())).first;
            cars_.emplace_back();
            cars_.back().id = p.vehicle;
            firstOf.emplace(p.vehicle, first.size());
            first.push_back(&p);
        } else if (const auto f = firstOf.find(p.vehicle); f != firstOf.end()) {
            const TripPlan*& best = first[f->second];
            if (p.plannedDepart < best->plannedDepart || (p.plannedDepart == best->plannedDepart && p.trip < best->trip))
                best = &p;
        }
        trips_[p.trip] =
            Trip{known->second, placeOf(p.route.front(), true, p.purpose), placeOf(p.route.back(), false, p.purpose)};
    }
    for (const TripPlan* p : first) {
        const Trip& t = trips_.at(p->trip);
        if (t.origin != SIZE_MAX) park(t.car, t.origin, p->trip);
    }
}

void ParkedVehicles::park(uint32_t index, size_t edgeIndex, const std::string& trip) {
    unpark(index);
    Car& car = cars_[index];
    car.parked = true;
    Rng r = Rng::stream(seed_, "parked/" + car.id + "@" + network_.edges()[edgeIndex].id);
    const bool onStreet = r.uniform() < config_.onStreetShare && kerbside_[edgeIndex];
    const double wanted = r.uniform();
    if (onStreet) {
        // This kerb, else the same street's other kerb (the spot across the street).
        const size_t other = reverse_[edgeIndex];
        for (size_t kerb : {edgeIndex, other}) {
            if (kerb == SIZE_MAX) continue;
            const size_t stall = freeStallNear(kerb, kerb == edgeIndex ? wanted : 1.0 - wanted);
            if (stall == SIZE_MAX) continue;
            takeStall(index, kerb, stall, trip);
            return;
        }
        ++turnedAway_;
    }
    ++offStreet_;
}

size_t ParkedVehicles::freeStallNear(size_t edge, double wanted) const {
    const std::vector<bool>& taken = stalls_[edge];
    if (taken.empty()) return SIZE_MAX;
    const size_t n = taken.size();
    const size_t want = std::min(n - 1, static_cast<size_t>(wanted * n));
    for (size_t d = 0; d < n; ++d) {  // the nearest free stall, the one behind first
        if (want >= d && !taken[want - d]) return want - d;
        if (want + d < n && !taken[want + d]) return want + d;
    }
    return SIZE_MAX;
}

void ParkedVehicles::takeStall(uint32_t index, size_t edgeIndex, size_t stall, const std::string& trip) {
    Car& car = cars_[index];
    const RoadEdge& edge = network_.edges()[edgeIndex];
    // Centred in its stall: the front bumper half the spare length short of the stall's end.
    const double len = config_.vehicleLengthM, pitch = config_.stallLengthM;
    const double front = config_.junctionClearanceM + (stall + 1) * pitch - std::max(0.0, pitch - len) / 2;
    const RoadPoint p = pointOnEdge(edge, front);
    car.state.id = parkedId(trip);
    car.state.position = {p.at.x + p.dy * config_.kerbOffsetM, p.at.y - p.dx * config_.kerbOffsetM};  // right of travel
    car.state.angleDeg = 90.0 - std::atan2(p.dy, p.dx) * 180.0 / M_PI;
    car.state.speed = 0.0;
    car.state.length = len;
    car.edge = edgeIndex;
    car.stall = stall;
    stalls_[edgeIndex][stall] = true;
    car.slot = onEdge_[edgeIndex].size();
    onEdge_[edgeIndex].push_back(index);
    ++onStreet_;
}

void ParkedVehicles::unpark(uint32_t index) {
    Car& car = cars_[index];
    if (!car.parked) return;
    car.parked = false;
    if (car.edge == SIZE_MAX) {
        --offStreet_;
        return;
    }
    stalls_[car.edge][car.stall] = false;
    std::vector<uint32_t>& list = onEdge_[car.edge];
    list[car.slot] = list.back();
    cars_[list[car.slot]].slot = car.slot;
    list.pop_back();
    car.edge = SIZE_MAX;
    --onStreet_;
}

void ParkedVehicles::arrived(const std::string& trip) {
    const auto it = trips_.find(trip);
    if (it == trips_.end()) return;
    const Trip t = it->second;
    trips_.erase(it);
    Car& car = cars_[t.car];
    car.driving = std::max(0, car.driving - 1);
    if (car.driving == 0 && t.destination != SIZE_MAX) park(t.car, t.destination, trip);
}

void ParkedVehicles::departed(const std::string& trip) {
    const auto it = trips_.find(trip);
    if (it == trips_.end()) return;
    ++cars_[it->second.car].driving;
    unpark(it->second.car);
}

void ParkedVehicles::near(size_t edge, Point2 at, double radius, std::vector<VehicleState>& out) const {
    if (edge >= onEdge_.size()) return;
    for (uint32_t index : onEdge_[edge]) {
        const VehicleState& v = cars_[index].state;
        const double dx = v.position.x - at.x, dy = v.position.y - at.y;
        if (dx * dx + dy * dy <= radius * radius) out.push_back(v);
    }
}

bool ParkedVehicles::tripOfParkedId(const std::string& id, std::string& trip) {
    const size_t n = std::char_traits<char>::length(kPrefix);
    if (id.compare(0, n, kPrefix) != 0) return false;
    trip = id.substr(n);
    return true;
}

}  // namespace alprsim
