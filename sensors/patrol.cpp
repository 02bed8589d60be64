#include "sensors/patrol.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "core/error.h"
#include "sensors/fixed_camera.h"
#include "sim/road_network.h"
#include "sim/simulation.h"

namespace alprsim {

namespace {

constexpr size_t kRouteChunk = 40;       // edges added to a route at a time
constexpr size_t kExtendWhenLeft = 15;   // ... when no more than this many remain ahead (short edges go fast)
constexpr double kMaxClosingSpeed = 70;  // m/s: two cars passing at highway speed
constexpr size_t kStopLookAhead = 5;     // route edges ahead searched for a street to pull over on
constexpr double kStopMinEdgeM = 20.0;   // ... long enough to stop halfway along, clear of the junctions
constexpr double kStandstillMps = 0.1;

// Streets a car may pull over on: with a kerb, long enough.
bool mayPullOver(const RoadEdge& e) { return e.length >= kStopMinEdgeM && hasKerbside(e.roadClass); }

// OSM imports name the two directions of a way "123" and "-123".
bool isReverse(const std::string& a, const std::string& b) { return a == "-" + b || b == "-" + a; }

// Edges of the largest strongly connected part of the edge graph: from any of them a car can
// reach any other and come back, so a patrol that stays on them never ends in a dead end (a
// cul-de-sac without a turnaround, or a road the extract cut off).
std::vector<bool> mainComponent(const RoadNetwork& network) {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    const auto& edges = network.edges();
    Graph graph(edges.size());
    for (size_t i = 0; i < edges.size(); ++i)
        for (size_t to : edges[i].successors) boost::add_edge(i, to, graph);
    std::vector<int> component(edges.size(), 0);
    const int count = boost::strong_components(
        graph, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, graph)));
    std::vector<size_t> sizes(std::max(count, 1), 0);
    for (int c : component) ++sizes[c];
    const int largest = static_cast<int>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
    std::vector<bool> inside(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) inside[i] = component[i] == largest;
    return inside;
}

// Per edge, the fewest edges a car on it drives to reach an edge of `town` (0 on the town's own),
// over the edges of `inside`; UINT32_MAX where there is no way.
std::vector<uint32_t> edgesToTown(const RoadNetwork& network, const std::vector<bool>& inside, const std::string& town) {
    const auto& edges = network.edges();
    std::vector<std::vector<size_t>> predecessors(edges.size());
    for (size_t i = 0; i < edges.size(); ++i)
        if (inside[i])
            for (size_t s : edges[i].successors)
                if (inside[s]) predecessors[s].push_back(i);
    std::vector<uint32_t> steps(edges.size(), UINT32_MAX);
    std::vector<size_t> frontier;
    for (size_t i = 0; i < edges.size(); ++i)
        if (inside[i] && boost::iequals(edges[i].town, town)) {
            steps[i] = 0;
            frontier.push_back(i);
        }
    for (size_t next = 0; next < frontier.size(); ++next)  // breadth first, backwards
        for (size_t p : predecessors[frontier[next]])
            if (steps[p] == UINT32_MAX) {
                steps[p] = steps[frontier[next]] + 1;
                frontier.push_back(p);
            }
    return steps;
}

}  // namespace

CameraModel patrolCameraDefaults() {
    CameraModel m;
    m.focalLengthMm = 8.0;
    m.rangeM = 20.0;
    m.mountHeightM = 1.7;
    m.focusDistanceM = 10.0;
    m.exposureMs = 0.5;
    return m;
}

size_t PatrolConfig::cars() const {
    size_t n = 0;
    for (const AgencyFleet& f : fleets) n += f.cars;
    return n;
}

std::string patrolCarPrefix(const PatrolConfig& config, const AgencyFleet& fleet) {
    if (!config.byAgency) return "patrol";
    return agencyIdPrefix(fleet.agency) + "-patrol";
}

PatrolFleet::PatrolFleet(const PatrolConfig& config, const RoadNetwork& network, Simulation& sim, uint64_t seed)
    : PatrolFleet(config, network, seed, sim.time(), sim.stepLength()) {
    for (Car& car : cars_) {
        std::vector<std::string> route;
        for (size_t e : car.route) route.push_back(network.edges()[e].id);
        sim.addVehicle(car.vehicle, route, sim.time(), RouteChoice::AsGiven);
    }
}

PatrolFleet::PatrolFleet(const PatrolConfig& config, const RoadNetwork& network, uint64_t seed, double now, double stepLength)
    : config_(config), network_(network), drivable_(mainComponent(network)) {
    shiftEnd_ = now + config.shiftHours * 3600;
    // A vehicle within range at some instant of a step is, at one end of the step, no further
    // than half a step's closing distance beyond the range (plus a car length for its plates).
    watchRadius_ = config.camera.rangeM + kMaxClosingSpeed * stepLength / 2 + 10.0;
    for (size_t f = 0; f < config_.fleets.size(); ++f) startFleet(f, seed, now);
}

void PatrolFleet::startFleet(size_t index, uint64_t seed, double now) {
    const AgencyFleet& fleet = config_.fleets[index];
    const auto& edges = network_.edges();
    edgesHome_.push_back(edgesToTown(network_, drivable_, fleet.town));
    std::vector<size_t> streets;  // town edges from which the patrol can go on inside the town
    for (size_t i = 0; i < edges.size(); ++i) {
        if (!drivable_[i] || !boost::iequals(edges[i].town, fleet.town)) continue;
        for (size_t s : edges[i].successors)
            if (boost::iequals(edges[s].town, fleet.town)) {
                streets.push_back(i);
                break;
            }
    }
    if (fleet.cars > 0 && streets.empty())
        throw InputError(fleet.source, fleet.townPath, "a town with streets in this network; '" + fleet.town + "' has none");
    // Each car's draws are keyed by its name and number, not by its place in the run: adding
    // another agency's fleet leaves this one's routes and stops as they were.
    const std::string prefix = patrolCarPrefix(config_, fleet);
    for (size_t i = 0; i < fleet.cars; ++i) {
        Car car{fmt::format("{}{:02}", prefix, i + 1), index, Rng::stream(seed, prefix, i)};
        Rng stopRng = Rng::stream(seed, prefix + "-stops", i);  // apart from the route's draws
        car.stops = shiftStops(config_.shiftHours * 3600, config_.stationaryShare, config_.stopMinutes * 60, stopRng);
        for (Stop& stop : car.stops) stop.start += now;
        const size_t start = streets[car.rng.below(streets.size())];
        std::vector<std::string> route = {edges[start].id};
        ++car.visits[start];
        for (const std::string& e : walk(car, start, kRouteChunk)) route.push_back(e);
        car.routeEdges = route.size();
        setRoute(car, route);
        Camera cam;
        cam.id = car.vehicle;
        cam.agency = fleet.agency;
        cam.kind = CameraKind::Patrol;
        cam.edge = edges[start].id;
        cam.position = 0.0;
        cam.where = network_.pointAlong(start, 0.0);
        cam.town = edges[start].town;
        cameras_.push_back(cam);
        vehicleIds_.push_back(car.vehicle);
        cars_.push_back(std::move(car));
    }
}

std::vector<size_t> PatrolFleet::waysOn(const Car& car, size_t at) const {
    const auto& all = network_.edges();
    const std::vector<uint32_t>& home = edgesHome_[car.fleet];  // 0: in its town
    for (bool inTownOnly : {true, false}) {
        for (bool allowReverse : {false, true}) {
            std::vector<size_t> options;
            uint32_t nearest = UINT32_MAX;
            for (size_t s : all[at].successors) {
                if (!drivable_[s] || (inTownOnly && home[s] != 0)) continue;
                if (!allowReverse && isReverse(all[s].id, all[at].id)) continue;
                if (home[s] < nearest) {
                    options.clear();
                    nearest = home[s];
                }
                if (home[s] == nearest) options.push_back(s);
            }
            if (!options.empty()) return options;
        }
    }
    return {};
}

std::vector<std::string> PatrolFleet::walk(Car& car, size_t from, size_t edges) const {
    std::vector<std::string> out;
    size_t at = from;
    for (size_t n = 0; n < edges; ++n) {
        const std::vector<size_t> options = waysOn(car, at);
        if (options.empty()) break;  // a dead end with no way on: the route ends here
        int fewest = INT32_MAX;
        for (size_t s : options) fewest = std::min(fewest, car.visits[s]);
        std::vector<size_t> least;
        for (size_t s : options)
            if (car.visits[s] == fewest) least.push_back(s);
        at = least[car.rng.below(least.size())];
        ++car.visits[at];
        out.push_back(network_.edges()[at].id);
    }
    return out;
}

void PatrolFleet::setRoute(Car& car, const std::vector<std::string>& route) const {
    car.route.clear();
    for (const std::string& e : route) car.route.push_back(network_.contains(e) ? network_.indexOf(e) : SIZE_MAX);
}

void PatrolFleet::extendRoute(Car& car, int index, Simulation& sim) const {
    // The route itself is fetched only when it is about to run out.
    if (index < 0 || static_cast<long>(car.routeEdges) - index > static_cast<long>(kExtendWhenLeft)) return;
    const std::vector<std::string> route = sim.routes().get(car.vehicle);
    car.routeEdges = route.size();
    setRoute(car, route);
    if (route.size() - static_cast<size_t>(index) > kExtendWhenLeft) return;
    if (!network_.contains(route.back())) return;
    std::vector<std::string> ahead(route.begin() + index, route.end());
    for (const std::string& e : walk(car, network_.indexOf(route.back()), kRouteChunk)) ahead.push_back(e);
    sim.routes().set(car.vehicle, ahead);
    // SUMO keeps the edges already driven in front of the new route and goes on counting the
    // index from the old route's start (measured: a 41-edge route extended at index 26 reads
    // back as 81 edges, index 26).
    std::vector<std::string> whole(route.begin(), route.begin() + index);
    whole.insert(whole.end(), ahead.begin(), ahead.end());
    car.routeEdges = whole.size();
    setRoute(car, whole);
}

std::vector<CameraPose> PatrolFleet::rigPoses(const VehicleState& car, const PatrolConfig& config) {
    const double heading = (90.0 - car.angleDeg) * M_PI / 180.0;
    const double cx = std::cos(heading), cy = std::sin(heading);
    const double tilt = std::atan2(config.camera.mountHeightM - PlateDimensions::kCentreHeightM, config.aimDistanceM);
    std::vector<CameraPose> poses;
    for (double mount : config.mountHeadingsDeg) {
        CameraPose p;
        // On the roof, halfway along the car (SUMO's position is the front bumper).
        p.position = {car.position.x - cx * car.length / 2, car.position.y - cy * car.length / 2, config.camera.mountHeightM};
        p.headingRad = heading - mount * M_PI / 180.0;
        p.tiltDownRad = tilt;
        p.velocity = {cx * car.speed, cy * car.speed, 0.0};
        poses.push_back(p);
    }
    return poses;
}

std::vector<CameraRig> PatrolFleet::update(Simulation& sim) { return advance(sim, true); }

void PatrolFleet::drive(Simulation& sim) { advance(sim, false); }

std::vector<CameraRig> PatrolFleet::advance(Simulation& sim, bool watch) {
    std::vector<CameraRig> rigs(watch ? cars_.size() : 0);
    const double now = sim.time();
    for (size_t i = 0; i < cars_.size(); ++i) {
        Car& car = cars_[i];
        std::optional<VehicleState> state;
        VehicleState motion;
        motion.id = car.vehicle;
        if (sim.vehicles().motion(car.vehicle, motion)) {
            if (car.length <= 0) car.length = sim.vehicles().length(car.vehicle);
            motion.length = car.length;
            state = motion;
        }
        car.onRoad = state.has_value();
        if (!state) {
            car.hasLast = false;
            car.edge = car.previousEdge = SIZE_MAX;
            continue;
        }
        if (!car.watched) {
            if (watch) sim.subscriptions().watchAround(car.vehicle, watchRadius_);
            car.watched = true;
            car.firstSeen = now - sim.stepLength();
        }
        car.lastSeen = now;
        // One cheap call a step: where the car is on its route (inside a junction: the edge it
        // just left), before the route is extended.
        const int index = sim.routes().indexOrMinusOne(car.vehicle);
        const size_t edge = index >= 0 && static_cast<size_t>(index) < car.route.size() ? car.route[index] : SIZE_MAX;
        if (edge != car.edge) {
            car.previousEdge = car.edge;
            car.edge = edge;
        }
        if (now < shiftEnd_) extendRoute(car, index, sim);
        if (now < shiftEnd_) stopIfDue(car, index, now, sim);
        if (state->speed < kStandstillMps) car.stillSeconds += sim.stepLength();
        if (watch && car.hasLast) {
            const auto before = rigPoses(car.last, config_);
            const auto after = rigPoses(*state, config_);
            for (size_t c = 0; c < before.size(); ++c) rigs[i].push_back({before[c], after[c]});
        }
        car.last = *state;
        car.hasLast = true;
    }
    return rigs;
}

std::vector<PatrolFleet::Stop> PatrolFleet::shiftStops(double shiftSeconds, double share, double stopSeconds, Rng& rng) {
    std::vector<Stop> stops;
    if (share <= 0 || shiftSeconds <= 0) return stops;
    const size_t n = std::max<size_t>(1, static_cast<size_t>(std::lround(share * shiftSeconds / stopSeconds)));
    const double period = shiftSeconds / n, seconds = share * shiftSeconds / n;
    for (size_t k = 0; k < n; ++k) stops.push_back({k * period + rng.uniform() * std::max(0.0, period - seconds), seconds});
    return stops;
}

void PatrolFleet::stopIfDue(Car& car, int index, double now, Simulation& sim) const {
    if (car.nextStop >= car.stops.size() || now < car.stops[car.nextStop].start || index < 0) return;
    // Only with the route long enough that it is not extended while the car stands (SUMO keeps
    // the stop; the route's bookkeeping here need not follow a change under it).
    const size_t at = static_cast<size_t>(index);
    if (car.routeEdges <= at + kStopLookAhead + kExtendWhenLeft || car.route.size() != car.routeEdges) return;
    for (size_t k = at + 1; k <= at + kStopLookAhead; ++k) {
        if (car.route[k] == SIZE_MAX) continue;
        const RoadEdge& e = network_.edges()[car.route[k]];
        if (!mayPullOver(e)) continue;
        if (sim.vehicles().parkFor(car.vehicle, e.id, e.length / 2, car.stops[car.nextStop].seconds)) {
            ++car.nextStop;
            return;
        }
    }
}

std::vector<size_t> PatrolFleet::stopsMade() const {
    std::vector<size_t> made;
    for (const Car& car : cars_) made.push_back(car.nextStop);
    return made;
}

std::vector<double> PatrolFleet::hoursStill() const {
    std::vector<double> hours;
    for (const Car& car : cars_) hours.push_back(car.stillSeconds / 3600.0);
    return hours;
}

std::vector<double> PatrolFleet::hoursOnRoad() const {
    std::vector<double> hours;
    for (const Car& car : cars_) hours.push_back(car.firstSeen < 0 ? 0.0 : (car.lastSeen - car.firstSeen) / 3600.0);
    return hours;
}

}  // namespace alprsim
