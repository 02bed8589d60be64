// RoadRouter: least-cost paths over the road graph, checked against a brute-force relaxation
// on the grid town, with costs as congestion makes them (at least the free-flow time).
#include <catch2/catch.hpp>

#include <limits>

#include "core/rng.h"
#include "grid_network.h"
#include "sim/road_router.h"

using namespace alprsim;

namespace {

// Least costs from `from` to every edge by Bellman-Ford: slow and obviously right.
std::vector<double> bruteForceCosts(const RoadNetwork& net, size_t from, const std::vector<double>& cost) {
    std::vector<double> best(net.edges().size(), std::numeric_limits<double>::infinity());
    best[from] = 0.0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t e = 0; e < net.edges().size(); ++e)
            for (size_t s : net.edges()[e].successors)
                if (best[e] + cost[s] < best[s] - 1e-9) {
                    best[s] = best[e] + cost[s];
                    changed = true;
                }
    }
    return best;
}

// The cost of a path (the edges after the first), checking that it is a chain of turns.
double pathCost(const RoadNetwork& net, const std::vector<size_t>& path, const std::vector<double>& cost) {
    double sum = 0.0;
    for (size_t i = 1; i < path.size(); ++i) {
        const auto& next = net.edges()[path[i - 1]].successors;
        REQUIRE(std::find(next.begin(), next.end(), path[i]) != next.end());
        sum += cost[path[i]];
    }
    return sum;
}

// Free-flow times made up to 4x longer on a random third of the edges.
std::vector<double> congested(const RoadNetwork& net, uint64_t seed) {
    std::vector<double> cost = RoadRouter::freeFlowCosts(net);
    Rng rng = Rng::stream(seed, "test/congestion");
    for (double& c : cost)
        if (rng.uniform(0, 1) < 0.33) c *= rng.uniform(1, 4);
    return cost;
}

}  // namespace

TEST_CASE("Routes are least-cost, goal-directed or not, and a route does not depend on the other places asked for",
          "[sim][router]") {
    const RoadNetwork net = test::GridTown{}.build();
    RoadRouter router(net);
    const size_t n = net.edges().size();
    std::vector<size_t> everywhere(n);
    for (size_t e = 0; e < n; ++e) everywhere[e] = e;
    size_t compared = 0, reached = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        const std::vector<double> cost = seed == 1 ? RoadRouter::freeFlowCosts(net) : congested(net, seed);
        for (size_t from = 0; from < n; from += 7) {
            const std::vector<double> best = bruteForceCosts(net, from, cost);
            const auto all = router.paths(from, everywhere, cost);
            for (size_t to = 0; to < n; to += 3) {
                const std::vector<size_t> alone = router.paths(from, {to}, cost).front();
                const std::vector<size_t> directed = router.path(from, to, cost);
                CHECK(alone == all[to]);  // the same path, whatever else was asked for
                if (best[to] == std::numeric_limits<double>::infinity()) {
                    CHECK(alone.empty());
                    CHECK(directed.empty());
                    continue;
                }
                REQUIRE(!alone.empty());
                REQUIRE(!directed.empty());
                CHECK(alone.front() == from);
                CHECK(alone.back() == to);
                CHECK(directed.front() == from);
                CHECK(directed.back() == to);
                CHECK(pathCost(net, alone, cost) == Approx(best[to]).epsilon(1e-9));
                CHECK(pathCost(net, directed, cost) == Approx(best[to]).epsilon(1e-9));
                ++compared;
                reached += to != from;
            }
        }
    }
    CHECK(compared > 1000);
    CHECK(reached > 900);
}

TEST_CASE("A goal-directed search settles fewer edges than searching outwards", "[sim][router]") {
    test::GridTown town;
    town.n = 10;
    const RoadNetwork net = town.build();
    const std::vector<double> cost = congested(net, 9);
    RoadRouter outwards(net), directed(net);
    const size_t n = net.edges().size();
    for (size_t from = 0; from < n; from += 11)
        for (size_t to = 5; to < n; to += 13) {
            outwards.paths(from, {to}, cost);
            directed.path(from, to, cost);
        }
    INFO("outwards " << outwards.settledCount() << ", directed " << directed.settledCount());
    CHECK(directed.settledCount() * 2 < outwards.settledCount());
}

TEST_CASE("A tree of routes holds the paths a search to the places gives", "[sim][router]") {
    const RoadNetwork net = test::GridTown{}.build();
    RoadRouter router(net);
    const size_t n = net.edges().size();
    std::vector<size_t> everywhere(n);
    for (size_t e = 0; e < n; ++e) everywhere[e] = e;
    for (uint64_t seed = 1; seed <= 2; ++seed) {
        const std::vector<double> cost = seed == 1 ? RoadRouter::freeFlowCosts(net) : congested(net, seed);
        for (size_t from = 0; from < n; from += 5) {
            const std::vector<uint32_t> tree = router.tree(from, cost);
            const auto all = router.paths(from, everywhere, cost);
            for (size_t to = 0; to < n; ++to) {
                const std::vector<uint32_t> read = RoadRouter::pathInTree(tree, from, to);
                CHECK(std::vector<size_t>(read.begin(), read.end()) == all[to]);
                CHECK((tree[to] == RoadRouter::kNoEdge) == all[to].empty());
            }
        }
    }
}

TEST_CASE("Searches on several threads give the paths one thread gives", "[sim][router]") {
    test::GridTown town;
    town.n = 8;
    const RoadNetwork net = town.build();
    const std::vector<double> cost = congested(net, 5);
    const size_t n = net.edges().size();
    std::vector<std::pair<size_t, size_t>> pairs;
    for (size_t from = 0; from < n; from += 3)
        for (size_t to = 1; to < n; to += 7) pairs.emplace_back(from, to);
    auto search = [&](unsigned threads) {
        std::vector<RoadRouter> routers{RoadRouter(net)};
        std::vector<std::vector<size_t>> directed(pairs.size()), outwards(pairs.size());
        forEachWithRouter(pairs.size(), threads, routers, [&](size_t k, RoadRouter& router) {
            directed[k] = router.path(pairs[k].first, pairs[k].second, cost);
            outwards[k] = router.paths(pairs[k].first, {pairs[k].second, (pairs[k].second * 5) % n}, cost).front();
        });
        CHECK(routers.size() == std::max(1u, threads));
        return std::make_pair(directed, outwards);
    };
    const auto one = search(1), four = search(4);
    CHECK(one.first == four.first);
    CHECK(one.second == four.second);

    // A job's exception reaches the caller, after the other threads have stopped.
    std::vector<RoadRouter> routers{RoadRouter(net)};
    CHECK_THROWS_AS(forEachWithRouter(100, 3, routers,
                                      [](size_t k, RoadRouter&) {
                                          if (k == 17) throw std::runtime_error("job 17");
                                      }),
                    std::runtime_error);
}

TEST_CASE("A route kept as edge indices gives back its ids and its length; an id the network lacks is named", "[sim][router]") {
    const RoadNetwork net = test::GridTown{}.build();
    RoadRouter router(net);
    const std::vector<size_t> path = router.path(0, net.edges().size() - 1, RoadRouter::freeFlowCosts(net));
    REQUIRE(path.size() >= 3);
    const std::vector<uint32_t> route(path.begin(), path.end());
    std::vector<std::string> ids;
    double metres = 0.0;
    for (uint32_t e : route) {
        ids.push_back(net.edges()[e].id);
        metres += net.edges()[e].length;
    }
    CHECK(net.edgeIds(route) == ids);
    CHECK(net.edgeIndices(ids) == route);
    CHECK(net.routeLengthMetres(route) == metres);
    CHECK(net.routeLengthMetres({}) == 0.0);

    ids.insert(ids.begin() + 1, "no-such-edge");
    try {
        net.edgeIndices(ids);
        FAIL("expected std::out_of_range");
    } catch (const std::out_of_range& e) {
        CHECK(std::string(e.what()).find("'no-such-edge'") != std::string::npos);
    }
    CHECK_THROWS_AS(net.edgeIds({static_cast<uint32_t>(net.edges().size())}), std::out_of_range);
}
