#include "sim/route_assignment.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/files.h"
#include "sim/road_network.h"
#include "sim/road_router.h"

namespace alprsim {

namespace {

constexpr int kHours = 24;

double capacity(const RoadEdge& e, const RouteAssignmentConfig& c) { return std::max(1, e.lanes) * c.capacityPerLaneHour; }

// A plan's route as edge indices (looked up once, not on every pass over the day).
using IndexRoute = std::vector<uint32_t>;

IndexRoute indexRoute(const TripPlan& p, const RoadNetwork& network) {
    IndexRoute route;
    route.reserve(p.route.size());
    for (const std::string& id : p.route) route.push_back(static_cast<uint32_t>(network.indexOf(id)));
    return route;
}

// One day's hourly loads: vehicles entering each edge in each hour, [hour * edges + edge].
// A route's first and last edges are left out: every route between the two places has them,
// so no choice of route can relieve them.
class HourlyLoads {
public:
    HourlyLoads(const RoadNetwork& network, double dayStart)
        : network_(network), edges_(network.edges().size()), dayStart_(dayStart), load_(kHours * edges_) {}

    void add(const IndexRoute& route, double depart, double weight) {
        double t = depart;
        for (size_t i = 0; i < route.size(); ++i) {
            const uint32_t e = route[i];
            if (i > 0 && i + 1 < route.size())
                if (const int h = hourOf(t); h >= 0) load_[h * edges_ + e] += weight;
            t += freeFlowSeconds(network_.edges()[e]);
        }
    }
    void scale(double factor) {
        for (double& l : load_) l *= factor;
    }
    double ratio(int hour, size_t e, const RouteAssignmentConfig& c) const {
        return load_[hour * edges_ + e] / capacity(network_.edges()[e], c);
    }
    // Vehicles beyond capacity, summed over edges and hours.
    double excess(const RouteAssignmentConfig& c) const {
        double sum = 0.0;
        for (int h = 0; h < kHours; ++h)
            for (size_t e = 0; e < edges_; ++e) sum += std::max(0.0, load_[h * edges_ + e] - capacity(network_.edges()[e], c));
        return sum;
    }
    // Whether the trip enters an edge (not its first or last) in an hour it is loaded past capacity.
    bool overloads(const IndexRoute& route, double depart, const RouteAssignmentConfig& c) const {
        double t = depart;
        for (size_t i = 0; i < route.size(); ++i) {
            const uint32_t e = route[i];
            const int h = hourOf(t);
            if (i > 0 && i + 1 < route.size() && h >= 0 && ratio(h, e, c) > 1.0) return true;
            t += freeFlowSeconds(network_.edges()[e]);
        }
        return false;
    }
    // Cost of entering each edge in `hour`: its BPR travel time on these loads.
    std::vector<double> travelTimes(int hour, const RouteAssignmentConfig& c) const {
        std::vector<double> cost(edges_);
        for (size_t e = 0; e < edges_; ++e)
            cost[e] = freeFlowSeconds(network_.edges()[e]) * (1.0 + c.bprAlpha * std::pow(ratio(hour, e, c), c.bprBeta));
        return cost;
    }
    int hourOf(double t) const {
        const int h = static_cast<int>(std::floor((t - dayStart_) / 3600.0));
        return h >= 0 && h < kHours ? h : -1;
    }

private:
    const RoadNetwork& network_;
    size_t edges_;
    double dayStart_;
    std::vector<double> load_;
};

// Paths from one place to a few places are searched for one by one, goal-directed; to many, in
// one search outwards (the cheaper way either side of about four places).
std::vector<std::vector<size_t>> fastestPaths(RoadRouter& router, size_t from, const std::vector<size_t>& targets,
                                              const std::vector<double>& cost) {
    constexpr size_t kGoalDirected = 4;
    if (targets.size() > kGoalDirected) return router.paths(from, targets, cost);
    std::vector<std::vector<size_t>> found;
    for (size_t to : targets) found.push_back(router.path(from, to, cost));
    return found;
}

// Gives the plan `path` if it is a different route; whether it did.
bool takeRoute(const std::vector<size_t>& path, TripPlan& plan, IndexRoute& route, const RoadNetwork& network) {
    if (path.empty() || std::equal(path.begin(), path.end(), route.begin(), route.end())) return false;
    route.assign(path.begin(), path.end());
    plan.route.clear();
    for (size_t e : path) plan.route.push_back(network.edges()[e].id);
    plan.routeLength = network.routeLengthMetres(plan.route);
    return true;
}

}  // namespace

RouteAssignmentStats assignRoutes(std::vector<TripPlan>& plans, const RoadNetwork& network, const RouteAssignmentConfig& config) {
    RouteAssignmentStats stats;
    if (plans.empty()) return stats;
    const double dayStart = std::floor(plans.front().plannedDepart / 86400.0) * 86400.0;
    std::vector<IndexRoute> routes;
    routes.reserve(plans.size());
    for (const TripPlan& p : plans) routes.push_back(indexRoute(p, network));
    HourlyLoads averaged(network, dayStart);  // successive averages of the rounds' loads
    for (size_t i = 0; i < plans.size(); ++i) averaged.add(routes[i], plans[i].plannedDepart, 1.0);
    stats.excessBefore = averaged.excess(config);
    RoadRouter router(network);
    for (int round = 1; round <= config.rounds; ++round) {
        // One in round+1 of the trips through an overloaded edge takes the route that is
        // fastest on the travel times of the averaged loads, in the hour it leaves. The loads
        // stay fixed within a round, so the trips leaving one place in one hour share a search.
        std::map<std::pair<uint32_t, int>, std::vector<size_t>> movers;  // (origin, hour) -> plans
        for (size_t i = 0; i < plans.size(); ++i) {
            const TripPlan& p = plans[i];
            if (fnv1a64(p.trip + "#" + std::to_string(round)) % static_cast<uint64_t>(round + 1) != 0) continue;
            if (!averaged.overloads(routes[i], p.plannedDepart, config)) continue;
            const int hour = averaged.hourOf(p.plannedDepart);
            if (hour >= 0) movers[{routes[i].front(), hour}].push_back(i);
        }
        std::map<int, std::vector<double>> costs;  // by hour, for this round's loads
        for (const auto& [from, group] : movers) {
            auto cost = costs.find(from.second);
            if (cost == costs.end()) cost = costs.emplace(from.second, averaged.travelTimes(from.second, config)).first;
            std::vector<size_t> targets;
            for (size_t i : group) targets.push_back(routes[i].back());
            const std::vector<std::vector<size_t>> paths = fastestPaths(router, from.first, targets, cost->second);
            for (size_t k = 0; k < group.size(); ++k) stats.rerouted += takeRoute(paths[k], plans[group[k]], routes[group[k]], network);
        }
        averaged.scale(static_cast<double>(round) / (round + 1));
        for (size_t i = 0; i < plans.size(); ++i) averaged.add(routes[i], plans[i].plannedDepart, 1.0 / (round + 1));
    }
    HourlyLoads final(network, dayStart);
    for (size_t i = 0; i < plans.size(); ++i) final.add(routes[i], plans[i].plannedDepart, 1.0);
    stats.excessAfter = final.excess(config);
    return stats;
}

}  // namespace alprsim
