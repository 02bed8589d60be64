#include "sim/simulation.h"

#include <libsumo/libsumo.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "sim/net_import.h"

namespace alprsim {

namespace {

std::atomic<bool> gRunning{false};

// SUMO's console messages, which libsumo writes to std::cerr as well as to its --log file. A
// run's terminal should show progress and the summary, not router chatter, so they are dropped
// (or passed on when there is no log). On the way, the buffer spots mesoscopic teleports:
// SUMO 1.15's meso model reports its "waited too long" teleports only as the message
// "Teleporting vehicle 'ID'; waited too long, ...", never through getStartingTeleportIDList.
class ConsoleSpotter : public std::streambuf {
public:
    std::streambuf* next = nullptr;    // where messages go on to; null: dropped
    bool spotting = false;             // mesoscopic runs only: microscopic ones have TraCI's list
    std::vector<std::string> spotted;  // vehicles that started a teleport, since last taken

protected:
    int overflow(int c) override {
        if (c == traits_type::eof()) return traits_type::not_eof(c);
        if (next) next->sputc(traits_type::to_char_type(c));
        if (c == '\n') {
            if (spotting) spot();
            line_.clear();
        } else if (line_.size() < 4096) {
            line_.push_back(traits_type::to_char_type(c));
        }
        return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        for (std::streamsize i = 0; i < n; ++i) overflow(traits_type::to_int_type(s[i]));
        return n;
    }
    int sync() override { return next ? next->pubsync() : 0; }

private:
    std::string line_;
    void spot() {
        static const std::string kMarker = "Teleporting vehicle '";
        const size_t at = line_.find(kMarker);
        if (at == std::string::npos) return;
        const size_t start = at + kMarker.size(), end = line_.find('\'', start);
        if (end != std::string::npos) spotted.push_back(line_.substr(start, end - start));
    }
};

ConsoleSpotter gConsole;

std::string formatNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

bool allowsPassengerCars(const std::string& laneId) {
    const std::vector<std::string> allowed = libsumo::Lane::getAllowed(laneId);
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), "passenger") != allowed.end();
}

std::vector<std::string> startArguments(const SimulationConfig& c) {
    std::vector<std::string> args = {
        "sumo", "--net-file", c.network.string(),
        "--begin", formatNumber(c.beginSeconds),
        "--step-length", formatNumber(c.stepLength),
        "--seed", std::to_string(c.seed),
        "--time-to-teleport", formatNumber(c.timeToTeleport),
        "--time-to-impatience", formatNumber(c.timeToImpatience),
        "--ignore-junction-blocker", formatNumber(c.ignoreJunctionBlocker),
        "--no-step-log", "true",
        "--duration-log.disable", "true",
        "--ignore-route-errors", "true",
        "--max-depart-delay", formatNumber(kMaxDepartDelaySeconds),
        "--no-warnings", "false"};
    if (!c.logFile.empty()) {
        args.push_back("--log");
        args.push_back(c.logFile.string());
    }
    if (c.model == TrafficModel::Mesoscopic) {
        args.push_back("--mesosim");
        args.push_back("true");
    }
    return args;
}

}  // namespace

Simulation::Simulation(const SimulationConfig& config)
    : stepLength_(config.stepLength), model_(config.model), reroutePeriod_(config.reroutePeriod) {
    if (gRunning.exchange(true)) throw std::logic_error("libsumo allows one simulation per process");
    ensureSumoHome();
    gConsole.next = config.logFile.empty() ? std::cerr.rdbuf() : nullptr;
    gConsole.spotting = config.model == TrafficModel::Mesoscopic;
    gConsole.spotted.clear();
    savedCerr_ = std::cerr.rdbuf(&gConsole);
    try {
        libsumo::Simulation::start(startArguments(config));
    } catch (const std::exception& e) {
        if (savedCerr_) std::cerr.rdbuf(savedCerr_);
        gRunning = false;
        throw std::runtime_error(std::string("SUMO could not start on ") + config.network.string() + ": " + e.what());
    }
}

Simulation::~Simulation() {
    try {
        libsumo::Simulation::close();
    } catch (...) {
        // Closing an already failed simulation must not turn into a second error.
    }
    if (savedCerr_) std::cerr.rdbuf(savedCerr_);
    gRunning = false;
}

RoadNetwork Simulation::roadNetwork() const {
    std::vector<RoadEdge> edges;
    for (const std::string& id : libsumo::Edge::getIDList()) {
        if (id.empty() || id[0] == ':') continue;  // junction-internal
        const std::string lane0 = id + "_0";
        if (!allowsPassengerCars(lane0)) continue;
        RoadEdge e;
        e.id = id;
        e.name = libsumo::Edge::getStreetName(id);
        e.length = libsumo::Lane::getLength(lane0);
        e.maxSpeed = libsumo::Lane::getMaxSpeed(lane0);
        e.lanes = libsumo::Edge::getLaneNumber(id);
        for (const auto& p : libsumo::Lane::getShape(lane0).value) {
            e.shape.push_back({p.x, p.y});
            const auto geo = libsumo::Simulation::convertGeo(p.x, p.y);
            e.shapeWgs84.push_back({geo.y, geo.x});
        }
        edges.push_back(std::move(e));
    }
    // Deterministic order whatever SUMO's internal order is.
    std::sort(edges.begin(), edges.end(), [](const RoadEdge& a, const RoadEdge& b) { return a.id < b.id; });
    RoadNetwork network(std::move(edges));
    for (RoadEdge& e : network.mutableEdges()) {
        for (int lane = 0; lane < e.lanes; ++lane) {
            for (const auto& link : libsumo::Lane::getLinks(e.id + "_" + std::to_string(lane))) {
                const std::string to = libsumo::Lane::getEdgeID(link.approachedLane);
                if (!network.contains(to)) continue;
                const size_t idx = network.indexOf(to);
                if (std::find(e.successors.begin(), e.successors.end(), idx) == e.successors.end()) e.successors.push_back(idx);
            }
        }
        std::sort(e.successors.begin(), e.successors.end());
    }
    return network;
}

std::vector<std::string> Simulation::fastestRoute(const std::string& fromEdge, const std::string& toEdge) const {
    try {
        return libsumo::Simulation::findRoute(fromEdge, toEdge, "DEFAULT_VEHTYPE").edges;
    } catch (const libsumo::TraCIException&) {
        return {};
    }
}

void Simulation::addVehicle(const std::string& id, const std::vector<std::string>& route, double depart, RouteChoice choice) {
    const std::string routeId = "r:" + id;
    libsumo::Route::add(routeId, route);
    libsumo::Vehicle::add(id, routeId, "DEFAULT_VEHTYPE", formatNumber(depart), "best", "base", "max");
    if (reroutePeriod_ > 0 && choice == RouteChoice::Adaptive) adaptive_.insert(id);
}

void Simulation::step() {
    libsumo::Simulation::step();
    events_.departed = libsumo::Simulation::getDepartedIDList();
    events_.arrived = libsumo::Simulation::getArrivedIDList();
    if (model_ == TrafficModel::Mesoscopic) {
        events_.teleported = std::move(gConsole.spotted);
        gConsole.spotted.clear();
    } else {
        events_.teleported = libsumo::Simulation::getStartingTeleportIDList();
    }
    events_.rerouted.clear();
    if (reroutePeriod_ > 0) rerouteDue();
}

std::optional<std::vector<std::string>> Simulation::changedRoute(const std::string& id, const std::vector<std::string>& before,
                                                                int index, const std::vector<std::string>& after) {
    // The microscopic model keeps the edges driven in the new route (the vehicle stays at
    // `index`); the mesoscopic one starts the new route at the vehicle's edge, so what was
    // driven before it is kept here.
    const int kept = libsumo::Vehicle::getRouteIndex(id);
    std::vector<std::string>& driven = drivenBefore_[id];
    std::vector<std::string> previous = driven, whole = driven;
    previous.insert(previous.end(), before.begin(), before.end());
    whole.insert(whole.end(), before.begin(), before.begin() + index);
    whole.insert(whole.end(), after.begin() + kept, after.end());
    if (kept == 0) driven.insert(driven.end(), before.begin(), before.begin() + index);
    if (driven.empty()) drivenBefore_.erase(id);
    if (whole == previous) return std::nullopt;
    return whole;
}

void Simulation::rerouteDue() {
    const double now = time();
    for (const std::string& id : events_.departed) {
        if (!adaptive_.count(id)) continue;
        // Routes from the travel times SUMO's routing engine keeps (edges' recent mean speeds),
        // not from the empty network's.
        libsumo::Vehicle::setRoutingMode(id, libsumo::ROUTING_MODE_AGGREGATED);
        rerouteQueue_.push({now + reroutePeriod_, id});
    }
    for (const std::string& id : events_.arrived) {
        adaptive_.erase(id);
        drivenBefore_.erase(id);
    }
    while (!rerouteQueue_.empty() && rerouteQueue_.top().first <= now + 1e-9) {
        const std::string id = rerouteQueue_.top().second;
        rerouteQueue_.pop();
        if (!adaptive_.count(id)) continue;  // arrived
        rerouteQueue_.push({now + reroutePeriod_, id});
        try {
            const std::vector<std::string> before = libsumo::Vehicle::getRoute(id);
            const int index = libsumo::Vehicle::getRouteIndex(id);
            libsumo::Vehicle::rerouteTraveltime(id, true);
            const std::vector<std::string> after = libsumo::Vehicle::getRoute(id);
            if (after == before) continue;
            if (auto whole = changedRoute(id, before, index, after)) events_.rerouted.push_back({id, std::move(*whole)});
        } catch (const libsumo::TraCIException&) {
            // Not on a road this moment (teleporting): it tries again a period later.
        }
    }
    std::sort(events_.rerouted.begin(), events_.rerouted.end(),
              [](const RouteChange& a, const RouteChange& b) { return a.id < b.id; });
}

double Simulation::time() const { return libsumo::Simulation::getTime(); }

int Simulation::vehiclesRemaining() const { return libsumo::Simulation::getMinExpectedNumber(); }

std::vector<VehicleOnEdge> Simulation::vehiclesOnEdge(const std::string& edge) const {
    std::vector<VehicleOnEdge> out;
    for (const std::string& id : libsumo::Edge::getLastStepVehicleIDs(edge)) {
        out.push_back({id, libsumo::Vehicle::getLanePosition(id), libsumo::Vehicle::getSpeed(id)});
    }
    return out;
}

std::optional<EdgePosition> Simulation::snap(LatLon where) const {
    try {
        const auto road = libsumo::Simulation::convertRoad(where.lon, where.lat, true, "passenger");
        if (road.edgeID.empty() || road.edgeID[0] == ':') return std::nullopt;
        return EdgePosition{road.edgeID, road.pos};
    } catch (const libsumo::TraCIException&) {
        return std::nullopt;
    }
}

// ---- Added for sensing (issue #4, sensors/): see simulation.h ----

namespace {

// What a camera needs of a vehicle each step; its length is asked once and remembered.
const std::vector<int> kMotionVariables = {libsumo::VAR_POSITION, libsumo::VAR_ANGLE, libsumo::VAR_SPEED};

double resultDouble(const libsumo::TraCIResults& r, int var) {
    const auto it = r.find(var);
    return it == r.end() ? 0.0 : static_cast<const libsumo::TraCIDouble&>(*it->second).value;
}

}  // namespace

void Simulation::watchAroundVehicle(const std::string& vehicleId, double radius) {
    libsumo::Vehicle::subscribeContext(vehicleId, libsumo::CMD_GET_VEHICLE_VARIABLE, radius, kMotionVariables);
}

void Simulation::vehiclesNearVehicle(const std::string& vehicleId, std::vector<VehicleState>& out) {
    out.clear();
    const libsumo::SubscriptionResults& results = libsumo::Vehicle::getContextSubscriptionResults(vehicleId);
    for (const auto& [id, r] : results) {  // std::map: sorted by id
        if (id == vehicleId) continue;
        VehicleState v;
        v.id = id;
        if (const auto it = r.find(libsumo::VAR_POSITION); it != r.end()) {
            const auto& p = static_cast<const libsumo::TraCIPosition&>(*it->second);
            v.position = {p.x, p.y};
        }
        v.angleDeg = resultDouble(r, libsumo::VAR_ANGLE);
        v.speed = resultDouble(r, libsumo::VAR_SPEED);
        auto known = lengths_.find(id);
        if (known == lengths_.end()) known = lengths_.emplace(id, vehicleLength(id)).first;
        v.length = known->second;
        out.push_back(std::move(v));
    }
}

bool Simulation::vehicleMotion(const std::string& id, VehicleState& out) const {
    try {
        const auto p = libsumo::Vehicle::getPosition(id);
        out.position = {p.x, p.y};
        out.angleDeg = libsumo::Vehicle::getAngle(id);
        out.speed = libsumo::Vehicle::getSpeed(id);
        return p.x > libsumo::INVALID_DOUBLE_VALUE;
    } catch (const libsumo::TraCIException&) {
        return false;
    }
}

double Simulation::vehicleLength(const std::string& id) const {
    try {
        return libsumo::Vehicle::getLength(id);
    } catch (const libsumo::TraCIException&) {
        return 5.0;  // SUMO's default passenger car
    }
}

double Simulation::vehicleSpeed(const std::string& id) const {
    try {
        return libsumo::Vehicle::getSpeed(id);
    } catch (const libsumo::TraCIException&) {
        return -1.0;
    }
}

void Simulation::vehicleIdsOnEdge(const std::string& edge, std::vector<std::string>& out) const {
    out = libsumo::Edge::getLastStepVehicleIDs(edge);
}

int Simulation::routeIndexOrMinusOne(const std::string& id) const {
    try {
        return libsumo::Vehicle::getRouteIndex(id);
    } catch (const libsumo::TraCIException&) {
        return -1;
    }
}

std::optional<VehicleState> Simulation::vehicleState(const std::string& id) const {
    try {
        if (libsumo::Vehicle::getRoadID(id).empty()) return std::nullopt;  // loaded, not yet inserted
        const auto p = libsumo::Vehicle::getPosition(id);
        return VehicleState{id, {p.x, p.y}, libsumo::Vehicle::getAngle(id), libsumo::Vehicle::getSpeed(id),
                            libsumo::Vehicle::getLength(id), libsumo::Vehicle::getLaneIndex(id)};
    } catch (const libsumo::TraCIException&) {
        return std::nullopt;
    }
}

std::vector<std::string> Simulation::vehicleRoute(const std::string& id) const { return libsumo::Vehicle::getRoute(id); }

int Simulation::vehicleRouteIndex(const std::string& id) const { return libsumo::Vehicle::getRouteIndex(id); }

void Simulation::setVehicleRoute(const std::string& id, const std::vector<std::string>& edges) {
    libsumo::Vehicle::setRoute(id, edges);
}

LatLon Simulation::toWgs84(Point2 at) const {
    const auto geo = libsumo::Simulation::convertGeo(at.x, at.y);
    return {geo.y, geo.x};
}

// ---- end of sensing additions ----

}  // namespace alprsim
