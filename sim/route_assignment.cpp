#include "sim/route_assignment.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/files.h"
#include "core/hash.h"
#include "sim/road_network.h"
#include "sim/road_router.h"

namespace alprsim {

namespace {

constexpr int kHours = 24;

double capacity(const RoadEdge& e, const RouteAssignmentConfig& c) { return std::max(1, e.lanes) * c.capacityPerLaneHour; }

// A plan's route as edge indices (looked up once, not on every pass over the day).
using IndexRoute = std::vector<uint32_t>;

// One day's hourly loads: vehicles entering each edge in each hour, [hour * edges + edge].
// A route's first and last edges are left out: every route between the two places has them,
// so no choice of route can relieve them. Each edge's free-flow time and capacity are kept in
// arrays of their own: the passes over every route of the day read them for every edge, and
// a RoadEdge is hundreds of bytes (a cache miss each).
class HourlyLoads {
public:
    HourlyLoads(const RoadNetwork& network, double dayStart, const RouteAssignmentConfig& config)
        : edges_(network.edges().size()), dayStart_(dayStart), config_(config), load_(kHours * edges_) {
        freeFlow_.reserve(edges_);
        capacity_.reserve(edges_);
        for (const RoadEdge& e : network.edges()) {
            freeFlow_.push_back(freeFlowSeconds(e));
            capacity_.push_back(capacity(e, config));
        }
    }

    void add(const IndexRoute& route, double depart, double weight) {
        double t = depart;
        for (size_t i = 0; i < route.size(); ++i) {
            const uint32_t e = route[i];
            if (i > 0 && i + 1 < route.size())
                if (const int h = hourOf(t); h >= 0) load_[h * edges_ + e] += weight;
            t += freeFlow_[e];
        }
    }
    void scale(double factor) {
        for (double& l : load_) l *= factor;
    }
    double ratio(int hour, size_t e) const { return load_[hour * edges_ + e] / capacity_[e]; }
    // Vehicles beyond capacity, summed over edges and hours.
    double excess() const {
        double sum = 0.0;
        for (int h = 0; h < kHours; ++h)
            for (size_t e = 0; e < edges_; ++e) sum += std::max(0.0, load_[h * edges_ + e] - capacity_[e]);
        return sum;
    }
    // Whether the trip enters an edge (not its first or last) in an hour it is loaded past capacity.
    bool overloads(const IndexRoute& route, double depart) const {
        double t = depart;
        for (size_t i = 0; i < route.size(); ++i) {
            const uint32_t e = route[i];
            const int h = hourOf(t);
            if (i > 0 && i + 1 < route.size() && h >= 0 && ratio(h, e) > 1.0) return true;
            t += freeFlow_[e];
        }
        return false;
    }
    // Cost of entering each edge in `hour`: its BPR travel time on these loads.
    std::vector<double> travelTimes(int hour) const {
        std::vector<double> cost(edges_);
        for (size_t e = 0; e < edges_; ++e)
            cost[e] = freeFlow_[e] * (1.0 + config_.bprAlpha * std::pow(ratio(hour, e), config_.bprBeta));
        return cost;
    }
    int hourOf(double t) const {
        const int h = static_cast<int>(std::floor((t - dayStart_) / 3600.0));
        return h >= 0 && h < kHours ? h : -1;
    }

private:
    size_t edges_;
    double dayStart_;
    RouteAssignmentConfig config_;
    std::vector<double> freeFlow_, capacity_;  // per edge
    std::vector<double> load_;
};

// Paths from one place to a few places are searched for one by one, goal-directed; to many, in
// one search outwards (the cheaper way either side of about four places). The choice goes by
// the number of trips asked for, `asked` (which may name a place more than once): the two
// searches may choose differently among paths of equal cost.
std::vector<std::vector<size_t>> fastestPaths(RoadRouter& router, size_t from, const std::vector<size_t>& targets, size_t asked,
                                              const std::vector<double>& cost) {
    constexpr size_t kGoalDirected = 4;
    if (asked > kGoalDirected) return router.paths(from, targets, cost);
    std::vector<std::vector<size_t>> found;
    for (size_t to : targets) found.push_back(router.path(from, to, cost));
    return found;
}

// Gives the route `path` if it is a different one; whether it did.
bool takeRoute(const std::vector<size_t>& path, IndexRoute& route) {
    if (path.empty() || std::equal(path.begin(), path.end(), route.begin(), route.end())) return false;
    route.assign(path.begin(), path.end());
    return true;
}

}  // namespace

RouteAssignmentStats assignRoutes(std::vector<TripPlan>& plans, const RoadNetwork& network, const RouteAssignmentConfig& config) {
    if (plans.empty()) return {};
    std::vector<IndexRoute> routes;
    routes.reserve(plans.size());
    for (const TripPlan& p : plans) routes.push_back(p.route);
    std::vector<RoadRouter> routers{RoadRouter(network)};
    const RouteAssignmentStats stats = assignRoutes(plans, routes, network, routers, config);
    for (size_t i = 0; i < plans.size(); ++i) {
        if (routes[i] == plans[i].route) continue;
        plans[i].route = std::move(routes[i]);
        plans[i].routeLength = network.routeLengthMetres(plans[i].route);
    }
    return stats;
}

RouteAssignmentStats assignRoutes(const std::vector<TripPlan>& plans, std::vector<IndexRoute>& routes, const RoadNetwork& network,
                                  std::vector<RoadRouter>& routers, const RouteAssignmentConfig& config) {
    RouteAssignmentStats stats;
    if (plans.empty()) return stats;
    const double dayStart = std::floor(plans.front().plannedDepart / 86400.0) * 86400.0;
    HourlyLoads averaged(network, dayStart, config);  // successive averages of the rounds' loads
    for (size_t i = 0; i < plans.size(); ++i) averaged.add(routes[i], plans[i].plannedDepart, 1.0);
    stats.excessBefore = averaged.excess();
    constexpr size_t kBlock = 4096;  // plans a thread takes at a time
    // Each trip's draw in round k hashes its id followed by "#k": the id's part is hashed once.
    tbb::task_arena arena(config.threads > 0 ? static_cast<int>(config.threads) : tbb::task_arena::automatic);
    const auto inBlocks = [&](const auto& job) {  // each plan on its own: any split gives the same
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<size_t>(0, plans.size(), kBlock),
                              [&](const tbb::blocked_range<size_t>& r) { job(r.begin(), r.end()); });
        });
    };
    std::vector<uint64_t> tripHashes(plans.size());
    inBlocks([&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) tripHashes[i] = fnv1a64(plans[i].trip);
    });
    for (int round = 1; round <= config.rounds; ++round) {
        // One in round+1 of the trips through an overloaded edge takes the route that is
        // fastest on the travel times of the averaged loads, in the hour it leaves. The loads
        // stay fixed within a round, so the trips leaving one place in one hour share a search,
        // and the searches of a round are independent of each other.
        std::string roundSuffix(1, '#');
        roundSuffix += std::to_string(round);
        std::vector<char> moves(plans.size());  // each plan's draw, in blocks on the threads
        inBlocks([&](size_t begin, size_t end) {
            for (size_t i = begin; i < end; ++i) {
                const TripPlan& p = plans[i];
                moves[i] = fnv1a64(roundSuffix, tripHashes[i]) % static_cast<uint64_t>(round + 1) == 0 &&
                           averaged.overloads(routes[i], p.plannedDepart) && averaged.hourOf(p.plannedDepart) >= 0;
            }
        });
        std::map<std::pair<uint32_t, int>, std::vector<size_t>> movers;  // (origin, hour) -> plans
        for (size_t i = 0; i < plans.size(); ++i)
            if (moves[i]) movers[{routes[i].front(), averaged.hourOf(plans[i].plannedDepart)}].push_back(i);
        std::map<int, std::vector<double>> costs;  // by hour, for this round's loads
        struct Search {
            uint32_t from;
            const std::vector<double>* cost;
            const std::vector<size_t>* group;  // the plans
            std::vector<size_t> targets;       // their destinations, each once
            std::vector<size_t> targetOf;      // the plans' places in targets
            std::vector<std::vector<size_t>> paths;
        };
        std::vector<Search> searches;
        searches.reserve(movers.size());
        for (const auto& [from, group] : movers) {
            auto cost = costs.find(from.second);
            if (cost == costs.end()) cost = costs.emplace(from.second, averaged.travelTimes(from.second)).first;
            Search search{from.first, &cost->second, &group, {}, {}, {}};
            for (size_t i : group) {
                const size_t to = routes[i].back();
                const auto seen = std::find(search.targets.begin(), search.targets.end(), to);
                search.targetOf.push_back(static_cast<size_t>(seen - search.targets.begin()));
                if (seen == search.targets.end()) search.targets.push_back(to);
            }
            searches.push_back(std::move(search));
        }
        forEachWithRouter(searches.size(), config.threads, routers, [&](size_t k, RoadRouter& router) {
            Search& s = searches[k];
            s.paths = fastestPaths(router, s.from, s.targets, s.group->size(), *s.cost);
        });
        for (const Search& s : searches)
            for (size_t k = 0; k < s.group->size(); ++k)
                stats.rerouted += takeRoute(s.paths[s.targetOf[k]], routes[(*s.group)[k]]);
        averaged.scale(static_cast<double>(round) / (round + 1));
        for (size_t i = 0; i < plans.size(); ++i) averaged.add(routes[i], plans[i].plannedDepart, 1.0 / (round + 1));
    }
    HourlyLoads final(network, dayStart, config);
    for (size_t i = 0; i < plans.size(); ++i) final.add(routes[i], plans[i].plannedDepart, 1.0);
    stats.excessAfter = final.excess();
    return stats;
}

}  // namespace alprsim
