#include "sim/route_assignment.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include "core/files.h"
#include "sim/road_network.h"

namespace alprsim {

namespace {

constexpr int kHours = 24;

double freeFlowSeconds(const RoadEdge& e) { return e.maxSpeed > 0 ? e.length / e.maxSpeed : 0.0; }

double capacity(const RoadEdge& e, const RouteAssignmentConfig& c) { return std::max(1, e.lanes) * c.capacityPerLaneHour; }

// One day's hourly loads: vehicles entering each edge in each hour, [hour * edges + edge].
// A route's first and last edges are left out: every route between the two places has them,
// so no choice of route can relieve them.
class HourlyLoads {
public:
    HourlyLoads(const RoadNetwork& network, double dayStart) : network_(network), dayStart_(dayStart), load_(kHours * network.edges().size()) {}

    void add(const TripPlan& p, double weight) {
        double t = p.plannedDepart;
        for (size_t i = 0; i < p.route.size(); ++i) {
            const size_t e = network_.indexOf(p.route[i]);
            if (i > 0 && i + 1 < p.route.size())
                if (const int h = hourOf(t); h >= 0) load_[h * network_.edges().size() + e] += weight;
            t += freeFlowSeconds(network_.edges()[e]);
        }
    }
    void scale(double factor) {
        for (double& l : load_) l *= factor;
    }
    double ratio(int hour, size_t e, const RouteAssignmentConfig& c) const {
        return load_[hour * network_.edges().size() + e] / capacity(network_.edges()[e], c);
    }
    // Vehicles beyond capacity, summed over edges and hours.
    double excess(const RouteAssignmentConfig& c) const {
        double sum = 0.0;
        for (int h = 0; h < kHours; ++h)
            for (size_t e = 0; e < network_.edges().size(); ++e)
                sum += std::max(0.0, load_[h * network_.edges().size() + e] - capacity(network_.edges()[e], c));
        return sum;
    }
    // Whether the trip enters an edge (not its first or last) in an hour it is loaded past capacity.
    bool overloads(const TripPlan& p, const RouteAssignmentConfig& c) const {
        double t = p.plannedDepart;
        for (size_t i = 0; i < p.route.size(); ++i) {
            const size_t e = network_.indexOf(p.route[i]);
            const int h = hourOf(t);
            if (i > 0 && i + 1 < p.route.size() && h >= 0 && ratio(h, e, c) > 1.0) return true;
            t += freeFlowSeconds(network_.edges()[e]);
        }
        return false;
    }
    int hourOf(double t) const {
        const int h = static_cast<int>(std::floor((t - dayStart_) / 3600.0));
        return h >= 0 && h < kHours ? h : -1;
    }

private:
    const RoadNetwork& network_;
    double dayStart_;
    std::vector<double> load_;
};

// Least-cost path over edges (Dijkstra; ties go to the lower edge index, so it is
// deterministic); the cost of a path is the sum of its edges' costs after the first.
std::vector<size_t> leastCostPath(size_t from, size_t to, const RoadNetwork& network, const std::function<double(size_t)>& cost) {
    const size_t n = network.edges().size();
    std::vector<double> dist(n, std::numeric_limits<double>::infinity());
    std::vector<size_t> previous(n, n);
    using Entry = std::pair<double, size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    dist[from] = 0.0;
    queue.push({0.0, from});
    while (!queue.empty()) {
        const auto [d, e] = queue.top();
        queue.pop();
        if (d > dist[e]) continue;
        if (e == to) break;
        for (size_t s : network.edges()[e].successors) {
            const double via = d + cost(s);
            if (via < dist[s]) {
                dist[s] = via;
                previous[s] = e;
                queue.push({via, s});
            }
        }
    }
    if (dist[to] == std::numeric_limits<double>::infinity()) return {};
    std::vector<size_t> path{to};
    while (path.back() != from) path.push_back(previous[path.back()]);
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace

RouteAssignmentStats assignRoutes(std::vector<TripPlan>& plans, const RoadNetwork& network, const RouteAssignmentConfig& config) {
    RouteAssignmentStats stats;
    if (plans.empty()) return stats;
    const double dayStart = std::floor(plans.front().plannedDepart / 86400.0) * 86400.0;
    HourlyLoads averaged(network, dayStart);  // successive averages of the rounds' loads
    for (const TripPlan& p : plans) averaged.add(p, 1.0);
    stats.excessBefore = averaged.excess(config);
    for (int round = 1; round <= config.rounds; ++round) {
        // One in round+1 of the trips through an overloaded edge takes the route that is
        // fastest on the travel times of the averaged loads, in the hour it leaves.
        for (TripPlan& p : plans) {
            if (fnv1a64(p.trip + "#" + std::to_string(round)) % static_cast<uint64_t>(round + 1) != 0) continue;
            if (!averaged.overloads(p, config)) continue;
            const int hour = averaged.hourOf(p.plannedDepart);
            const auto cost = [&](size_t e) {
                const double r = averaged.ratio(hour, e, config);
                return freeFlowSeconds(network.edges()[e]) * (1.0 + config.bprAlpha * std::pow(r, config.bprBeta));
            };
            const std::vector<size_t> path = leastCostPath(network.indexOf(p.route.front()), network.indexOf(p.route.back()), network, cost);
            std::vector<std::string> route;
            for (size_t e : path) route.push_back(network.edges()[e].id);
            if (route.empty() || route == p.route) continue;
            p.route = std::move(route);
            p.routeLength = network.routeLengthMetres(p.route);
            ++stats.rerouted;
        }
        averaged.scale(static_cast<double>(round) / (round + 1));
        for (const TripPlan& p : plans) averaged.add(p, 1.0 / (round + 1));
    }
    HourlyLoads final(network, dayStart);
    for (const TripPlan& p : plans) final.add(p, 1.0);
    stats.excessAfter = final.excess(config);
    return stats;
}

}  // namespace alprsim
