#include "sim/road_router.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include "sim/road_network.h"

namespace alprsim {

namespace {

constexpr double kUnreached = std::numeric_limits<double>::infinity();

// Flattens adjacency lists into offsets and targets.
void flatten(const std::vector<std::vector<uint32_t>>& lists, std::vector<uint32_t>& start, std::vector<uint32_t>& target) {
    start.assign(1, 0);
    for (const auto& list : lists) {
        target.insert(target.end(), list.begin(), list.end());
        start.push_back(static_cast<uint32_t>(target.size()));
    }
}

}  // namespace

RoadRouter::RoadRouter(const RoadNetwork& network) {
    const size_t n = network.edges().size();
    std::vector<std::vector<uint32_t>> forward(n), backward(n);
    for (size_t e = 0; e < n; ++e)
        for (size_t s : network.edges()[e].successors) {
            forward[e].push_back(static_cast<uint32_t>(s));
            backward[s].push_back(static_cast<uint32_t>(e));
        }
    flatten(forward, arcStart_, arcTarget_);
    flatten(backward, backStart_, backTarget_);
    dist_.assign(n, 0.0);
    previous_.assign(n, 0);
    settledEpoch_.assign(n, 0);
    touchedEpoch_.assign(n, 0);
    wanted_.assign(n, 0);
    freeFlow_ = freeFlowCosts(network);
    chooseLandmarks(freeFlow_);
}

std::vector<double> RoadRouter::freeFlowCosts(const RoadNetwork& network) {
    std::vector<double> cost;
    cost.reserve(network.edges().size());
    for (const RoadEdge& e : network.edges()) cost.push_back(freeFlowSeconds(e));
    return cost;
}

// Reverse costs: the cost from e to the origin is the sum of the costs of entering each edge
// after e, up to and including the origin, so walking backwards adds the cost of the edge
// walked from, not the one reached.
std::vector<double> RoadRouter::costsFrom(size_t origin, bool reverse) const {
    const auto& start = reverse ? backStart_ : arcStart_;
    const auto& target = reverse ? backTarget_ : arcTarget_;
    std::vector<double> dist(dist_.size(), kUnreached);
    using Entry = std::pair<double, uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    dist[origin] = 0.0;
    queue.push({0.0, static_cast<uint32_t>(origin)});
    while (!queue.empty()) {
        const auto [d, e] = queue.top();
        queue.pop();
        if (d > dist[e]) continue;
        for (uint32_t a = start[e]; a < start[e + 1]; ++a) {
            const uint32_t s = target[a];
            const double via = d + (reverse ? freeFlow_[e] : freeFlow_[s]);
            if (via < dist[s]) {
                dist[s] = via;
                queue.push({via, s});
            }
        }
    }
    return dist;
}

// Landmarks far apart and far out (farthest-first: each the edge farthest, on free-flow costs,
// from the landmarks chosen so far), as ALT wants them: on the network's rim, behind targets.
void RoadRouter::chooseLandmarks(const std::vector<double>& freeFlow) {
    const size_t n = freeFlow.size();
    if (n == 0) return;
    std::vector<double> nearest(n, kUnreached);  // cost from the nearest landmark so far
    size_t next = 0;
    {
        const std::vector<double> fromFirst = costsFrom(0, false);
        for (size_t e = 0; e < n; ++e)
            if (fromFirst[e] != kUnreached && fromFirst[e] > fromFirst[next]) next = e;
    }
    for (size_t k = 0; k < kLandmarks && k < n; ++k) {
        fromLandmark_.push_back(costsFrom(next, false));
        toLandmark_.push_back(costsFrom(next, true));
        size_t farthest = next;
        for (size_t e = 0; e < n; ++e) {
            nearest[e] = std::min(nearest[e], fromLandmark_.back()[e]);
            if (nearest[e] != kUnreached && (nearest[farthest] == kUnreached || nearest[e] > nearest[farthest])) farthest = e;
        }
        if (nearest[farthest] == 0.0) break;  // every reachable edge is a landmark's own
        next = farthest;
    }
}

double RoadRouter::lowerBound(size_t e, size_t target) const {
    double bound = 0.0;
    for (size_t l = 0; l < fromLandmark_.size(); ++l) {
        const double fromE = fromLandmark_[l][e], fromT = fromLandmark_[l][target];
        if (fromE != kUnreached && fromT != kUnreached) bound = std::max(bound, fromT - fromE);
        const double eTo = toLandmark_[l][e], tTo = toLandmark_[l][target];
        if (eTo != kUnreached && tTo != kUnreached) bound = std::max(bound, eTo - tTo);
    }
    return bound;
}

std::vector<std::vector<size_t>> RoadRouter::paths(size_t from, const std::vector<size_t>& targets, const std::vector<double>& cost) {
    run(from, targets, cost, [](size_t) { return 0.0; });
    std::vector<std::vector<size_t>> found;
    found.reserve(targets.size());
    for (size_t target : targets) found.push_back(pathTo(target));
    return found;
}

std::vector<size_t> RoadRouter::path(size_t from, size_t to, const std::vector<double>& cost) {
    run(from, {to}, cost, [&](size_t e) { return lowerBound(e, to); });
    return pathTo(to);
}

template <typename Potential>
void RoadRouter::run(size_t from, const std::vector<size_t>& targets, const std::vector<double>& cost, Potential potential) {
    ++epoch_;
    from_ = from;
    size_t pending = 0;
    for (size_t t : targets)
        if (wanted_[t] != epoch_) {
            wanted_[t] = epoch_;
            ++pending;
        }
    // Keyed by cost so far plus the potential; a consistent potential settles each edge once
    // with its least cost, as Dijkstra does.
    using Entry = std::pair<double, uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    dist_[from] = 0.0;
    touchedEpoch_[from] = epoch_;
    queue.push({potential(from), static_cast<uint32_t>(from)});
    while (!queue.empty() && pending > 0) {
        const uint32_t e = queue.top().second;
        queue.pop();
        if (settledEpoch_[e] == epoch_) continue;
        settledEpoch_[e] = epoch_;
        ++settledCount_;
        if (wanted_[e] == epoch_) --pending;
        const double d = dist_[e];
        for (uint32_t a = arcStart_[e]; a < arcStart_[e + 1]; ++a) {
            const uint32_t s = arcTarget_[a];
            if (settledEpoch_[s] == epoch_) continue;  // final (rounding must not reopen it)
            const double via = d + cost[s];
            if (touchedEpoch_[s] != epoch_ || via < dist_[s]) {
                touchedEpoch_[s] = epoch_;
                dist_[s] = via;
                previous_[s] = e;
                queue.push({via + potential(s), s});
            }
        }
    }
}

std::vector<size_t> RoadRouter::pathTo(size_t to) const {
    if (settledEpoch_[to] != epoch_) return {};
    std::vector<size_t> path{to};
    while (path.back() != from_) path.push_back(previous_[path.back()]);
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace alprsim
