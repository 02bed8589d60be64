#include "sim/road_router.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
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
    std::vector<std::vector<double>> fromLandmark, toLandmark;  // [landmark][edge]
    std::vector<double> nearest(n, kUnreached);                  // cost from the nearest landmark so far
    size_t next = 0;
    {
        const std::vector<double> fromFirst = costsFrom(0, false);
        for (size_t e = 0; e < n; ++e)
            if (fromFirst[e] != kUnreached && fromFirst[e] > fromFirst[next]) next = e;
    }
    for (size_t k = 0; k < kLandmarks && k < n; ++k) {
        fromLandmark.push_back(costsFrom(next, false));
        toLandmark.push_back(costsFrom(next, true));
        size_t farthest = next;
        for (size_t e = 0; e < n; ++e) {
            nearest[e] = std::min(nearest[e], fromLandmark.back()[e]);
            if (nearest[e] != kUnreached && (nearest[farthest] == kUnreached || nearest[e] > nearest[farthest])) farthest = e;
        }
        if (nearest[farthest] == 0.0) break;  // every reachable edge is a landmark's own
        next = farthest;
    }
    landmarks_ = fromLandmark.size();
    auto costs = std::make_shared<std::vector<double>>(n * 2 * landmarks_);
    for (size_t e = 0; e < n; ++e)
        for (size_t l = 0; l < landmarks_; ++l) {
            (*costs)[e * 2 * landmarks_ + l] = fromLandmark[l][e];  // unreached: +infinity already
            const double to = toLandmark[l][e];
            (*costs)[e * 2 * landmarks_ + landmarks_ + l] = to == kUnreached ? -kUnreached : to;
        }
    landmarkCosts_ = std::move(costs);
}

namespace {

// A lower bound of the cost from an edge to one target (free-flow, by the triangle inequality:
// cost(l, t) - cost(l, e) and cost(e, l) - cost(t, l) for each landmark l), the greatest of the
// landmarks' bounds and 0. A landmark that does not reach the target, or that the target does
// not reach, bounds nothing and is left out once for the whole search; one that does not reach
// the edge, or that the edge does not reach, has a term of -infinity (RoadRouter::landmarkCosts_).
class LandmarkBound {
public:
    LandmarkBound(const std::vector<double>& costs, size_t landmarks, size_t target) : costs_(costs.data()), stride_(2 * landmarks) {
        const double* t = costs_ + target * stride_;
        for (size_t l = 0; l < landmarks; ++l) {
            if (t[l] != kUnreached) from_[fromCount_++] = {static_cast<uint32_t>(l), t[l]};
            if (t[landmarks + l] != -kUnreached) to_[toCount_++] = {static_cast<uint32_t>(landmarks + l), t[landmarks + l]};
        }
    }
    double operator()(size_t e) const {
        const double* c = costs_ + e * stride_;
        double bound = 0.0;
        for (size_t k = 0; k < fromCount_; ++k) bound = std::max(bound, from_[k].second - c[from_[k].first]);
        for (size_t k = 0; k < toCount_; ++k) bound = std::max(bound, c[to_[k].first] - to_[k].second);
        return bound;
    }

private:
    static constexpr size_t kMax = 16;
    const double* costs_;
    size_t stride_;
    std::pair<uint32_t, double> from_[kMax], to_[kMax];  // (column, the target's cost)
    size_t fromCount_ = 0, toCount_ = 0;
};

}  // namespace

std::vector<std::vector<size_t>> RoadRouter::paths(size_t from, const std::vector<size_t>& targets, const std::vector<double>& cost) {
    run(from, targets, cost, [](size_t) { return 0.0; });
    std::vector<std::vector<size_t>> found;
    found.reserve(targets.size());
    for (size_t target : targets) found.push_back(pathTo(target));
    return found;
}

std::vector<size_t> RoadRouter::path(size_t from, size_t to, const std::vector<double>& cost) {
    if (!landmarkCosts_) {
        run(from, {to}, cost, [](size_t) { return 0.0; });
        return pathTo(to);
    }
    const LandmarkBound bound(*landmarkCosts_, landmarks_, to);
    run(from, {to}, cost, bound);
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
    // A binary heap on heap_, ordered by (key, edge) as std::priority_queue with std::greater
    // orders it, so entries leave it in the same order.
    using Entry = std::pair<double, uint32_t>;
    const std::greater<Entry> later;
    heap_.clear();
    dist_[from] = 0.0;
    touchedEpoch_[from] = epoch_;
    heap_.push_back({potential(from), static_cast<uint32_t>(from)});
    while (!heap_.empty() && pending > 0) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        const uint32_t e = heap_.back().second;
        heap_.pop_back();
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
                heap_.push_back({via + potential(s), s});
                std::push_heap(heap_.begin(), heap_.end(), later);
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

void forEachWithRouter(size_t count, unsigned threads, std::vector<RoadRouter>& routers,
                       const std::function<void(size_t, RoadRouter&)>& job) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<size_t>(threads, count));
    if (threads <= 1) {
        for (size_t k = 0; k < count; ++k) job(k, routers.front());
        return;
    }
    routers.reserve(threads);
    while (routers.size() < threads) routers.push_back(routers.front());
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&](RoadRouter& router) {
        try {
            for (size_t k = next++; k < count; k = next++) job(k, router);
        } catch (...) {
            next = count;  // the others stop after their current job
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    try {
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(routers[t]));
    } catch (const std::system_error&) {  // no more threads to be had: those started do the jobs
    }
    work(routers.front());
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace alprsim
