#include "sim/simulation.h"

#include <fmt/format.h>
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

std::string formatNumber(double v) { return fmt::format("{:.3f}", v); }

bool allowsPassengerCars(const std::string& laneId) {
    const std::vector<std::string> allowed = libsumo::Lane::getAllowed(laneId);
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), "passenger") != allowed.end();
}

std::vector<std::string> startArguments(const SimulationConfig& c) {
    std::vector<std::string> args = {"sumo",
                                     "--net-file",
                                     c.network.string(),
                                     "--begin",
                                     formatNumber(c.beginSeconds),
                                     "--step-length",
                                     formatNumber(c.stepLength),
                                     "--seed",
                                     std::to_string(c.seed),
                                     "--time-to-teleport",
                                     formatNumber(c.timeToTeleport),
                                     "--time-to-impatience",
                                     formatNumber(c.timeToImpatience),
                                     "--ignore-junction-blocker",
                                     formatNumber(c.ignoreJunctionBlocker),
                                     "--no-step-log",
                                     "true",
                                     "--duration-log.disable",
                                     "true",
                                     "--ignore-route-errors",
                                     "true",
                                     "--max-depart-delay",
                                     formatNumber(kMaxDepartDelaySeconds),
                                     "--no-warnings",
                                     "false"};
    if (!c.logFile.empty()) {
        args.push_back("--log");
        args.push_back(c.logFile.string());
    }
    if (c.reroutePeriod > 0) {
        // SUMO's routing engine refreshes every edge's mean speed each adaptation interval
        // (default every second, 180 samples: the last 3 minutes). A refresh walks all the
        // edges, a fixed cost per simulated second however few vehicles reroute; every 10 s
        // over 18 samples keeps the 3 minutes.
        for (const char* a : {"--device.rerouting.adaptation-interval", "10", "--device.rerouting.adaptation-steps", "18"})
            args.push_back(a);
    }
    if (c.model == TrafficModel::Mesoscopic) {
        args.push_back("--mesosim");
        args.push_back("true");
        if (c.mesoJunctionControl != MesoJunctionControl::Off) {
            args.push_back(c.mesoJunctionControl == MesoJunctionControl::On ? "--meso-junction-control"
                                                                            : "--meso-junction-control.limited");
            args.push_back("true");
        }
    }
    return args;
}

}  // namespace

Simulation::Simulation(const SimulationConfig& config)
    : stepLength_(config.stepLength), model_(config.model), routes_(config.reroutePeriod, config.rerouteShare, config.seed) {
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

void Simulation::addVehicle(const std::string& id, const std::vector<std::string>& route, double depart, RouteChoice choice) {
    if (model_ == TrafficModel::Mesoscopic && (depart > time() + kHandOverSeconds || !scheduled_.empty()))
        scheduled_.emplace(depart, Scheduled{id, route, depart});
    else
        add({id, route, depart});
    if (choice == RouteChoice::Adaptive) routes_.adapt(id);
    handOverDue();  // one due now reaches SUMO at once, after any of an earlier departure
}

void Simulation::add(const Scheduled& vehicle) {
    const std::string routeId = "r:" + vehicle.id;
    libsumo::Route::add(routeId, vehicle.route);
    libsumo::Vehicle::add(vehicle.id, routeId, "DEFAULT_VEHTYPE", formatNumber(vehicle.depart), "best", "base", "max");
}

void Simulation::handOverDue() {
    const double until = time() + kHandOverSeconds;
    while (!scheduled_.empty() && scheduled_.begin()->first <= until) {
        add(scheduled_.begin()->second);
        scheduled_.erase(scheduled_.begin());
    }
}

void Simulation::step() {
    handOverDue();
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
    routes_.rerouteDue(events_);
}

double Simulation::time() const { return libsumo::Simulation::getTime(); }

int Simulation::vehiclesRemaining() const {
    return libsumo::Simulation::getMinExpectedNumber() + static_cast<int>(scheduled_.size());
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

LatLon Simulation::toWgs84(Point2 at) const {
    const auto geo = libsumo::Simulation::convertGeo(at.x, at.y);
    return {geo.y, geo.x};
}

}  // namespace alprsim
