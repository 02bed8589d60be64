#include "sim/road_router.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <queue>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    labels_.assign(n, Label{});
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
    std::vector<double> dist(labels_.size(), kUnreached);
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
    std::vector<double> nearest(n, kUnreached);                 // cost from the nearest landmark so far
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
// not reach, bounds nothing: its target cost is set to -infinity (from) or +infinity (to), so
// that its terms are -infinity, as are those of a landmark that does not reach the edge or that
// the edge does not reach (RoadRouter::landmarkCosts_). No term is NaN (no infinity is taken
// from one of its own sign) and none is -0, so the maximum is the same in any order.
class LandmarkBound {
public:
    static constexpr size_t kMax = 8;
    LandmarkBound(const std::vector<double>& costs, size_t landmarks, size_t target)
        : costs_(costs.data()), landmarks_(landmarks), stride_(2 * landmarks) {
        const double* t = costs_ + target * stride_;
        for (size_t l = 0; l < kMax; ++l) {
            fromTarget_[l] = l < landmarks && t[l] != kUnreached ? t[l] : -kUnreached;
            toTarget_[l] = l < landmarks && t[landmarks + l] != -kUnreached ? t[landmarks + l] : kUnreached;
        }
    }
    double operator()(size_t e) const {
        const double* c = costs_ + e * stride_;
#if defined(__SSE2__)
        if (landmarks_ == kMax) {
            __m128d m = _mm_setzero_pd();
            for (size_t l = 0; l < kMax; l += 2) {
                m = _mm_max_pd(m, _mm_sub_pd(_mm_loadu_pd(fromTarget_ + l), _mm_loadu_pd(c + l)));
                m = _mm_max_pd(m, _mm_sub_pd(_mm_loadu_pd(c + kMax + l), _mm_loadu_pd(toTarget_ + l)));
            }
            return std::max(_mm_cvtsd_f64(m), _mm_cvtsd_f64(_mm_unpackhi_pd(m, m)));
        }
#endif
        double bound = 0.0;
        for (size_t l = 0; l < landmarks_; ++l) {
            bound = std::max(bound, fromTarget_[l] - c[l]);
            bound = std::max(bound, c[landmarks_ + l] - toTarget_[l]);
        }
        return bound;
    }

private:
    const double* costs_;
    size_t landmarks_, stride_;
    double fromTarget_[kMax], toTarget_[kMax];
};

}  // namespace

std::vector<std::vector<size_t>> RoadRouter::paths(size_t from, const std::vector<size_t>& targets,
                                                   const std::vector<double>& cost) {
    run(from, &targets, cost, [](size_t) { return 0.0; });
    std::vector<std::vector<size_t>> found;
    found.reserve(targets.size());
    for (size_t target : targets) found.push_back(pathTo(target));
    return found;
}

std::vector<size_t> RoadRouter::path(size_t from, size_t to, const std::vector<double>& cost) {
    const std::vector<size_t> targets{to};
    if (!landmarkCosts_) {
        run(from, &targets, cost, [](size_t) { return 0.0; });
        return pathTo(to);
    }
    static_assert(kLandmarks <= LandmarkBound::kMax);
    const LandmarkBound bound(*landmarkCosts_, landmarks_, to);
    run(from, &targets, cost, bound);
    return pathTo(to);
}

// The queue: a 4-ary heap of the labelled, unsettled edges, one entry each, ordered by
// (key, edge index). An edge's key only falls while it waits (a lower cost, the same
// potential), so it moves up. Edges leave it in the order of a queue of (key, edge) pairs
// holding an entry per label (the lazy textbook queue): in both, the next edge is the least
// (current key, index) among the unsettled.
//
// An entry is the key's bits above the edge's index in one 128-bit number: keys are sums of
// costs and bounds that are never negative, -0 or NaN, and such doubles order as their bits do,
// so the numbers order as (key, index) pairs, in one comparison.
RoadRouter::HeapEntry RoadRouter::heapEntry(double key, uint32_t edge) {
    uint64_t bits;
    std::memcpy(&bits, &key, sizeof bits);
    return (static_cast<HeapEntry>(bits) << 32) | edge;
}

void RoadRouter::heapUp(size_t slot, HeapEntry entry) {
    while (slot > 0) {
        const size_t parent = (slot - 1) / 4;
        if (!(entry < heap_[parent])) break;
        heap_[slot] = heap_[parent];
        labels_[static_cast<uint32_t>(heap_[slot])].heapSlot = static_cast<uint32_t>(slot);
        slot = parent;
    }
    heap_[slot] = entry;
    labels_[static_cast<uint32_t>(entry)].heapSlot = static_cast<uint32_t>(slot);
}

uint32_t RoadRouter::heapPop() {
    const uint32_t top = static_cast<uint32_t>(heap_.front());
    const HeapEntry last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n == 0) return top;
    size_t slot = 0;
    for (;;) {
        const size_t first = 4 * slot + 1;
        if (first >= n) break;
        size_t least = first;
        if (first + 4 <= n) {  // all four children, chosen without branches
            const size_t a = heap_[first + 1] < heap_[first] ? first + 1 : first;
            const size_t b = heap_[first + 3] < heap_[first + 2] ? first + 3 : first + 2;
            least = heap_[b] < heap_[a] ? b : a;
        } else {
            for (size_t c = first + 1; c < n; ++c)
                if (heap_[c] < heap_[least]) least = c;
        }
        if (!(heap_[least] < last)) break;
        heap_[slot] = heap_[least];
        labels_[static_cast<uint32_t>(heap_[slot])].heapSlot = static_cast<uint32_t>(slot);
        slot = least;
    }
    heap_[slot] = last;
    labels_[static_cast<uint32_t>(last)].heapSlot = static_cast<uint32_t>(slot);
    return top;
}

template <typename Potential>
void RoadRouter::run(size_t from, const std::vector<size_t>* targets, const std::vector<double>& cost, Potential potential) {
    ++epoch_;
    from_ = from;
    // Settles until every target is settled (targets: nullptr, until every reachable edge is).
    size_t pending = std::numeric_limits<size_t>::max();
    if (targets) {
        pending = 0;
        for (size_t t : *targets)
            if (wanted_[t] != epoch_) {
                wanted_[t] = epoch_;
                ++pending;
            }
    }
    // Keyed by cost so far plus the potential (computed once an edge, when first labelled); a
    // consistent potential settles each edge once with its least cost, as Dijkstra does.
    heap_.clear();
    Label& origin = labels_[from];
    origin.dist = 0.0;
    origin.touched = epoch_;
    origin.potential = potential(from);
    heap_.emplace_back();
    heapUp(0, heapEntry(origin.potential, static_cast<uint32_t>(from)));
    while (!heap_.empty() && pending > 0) {
        const uint32_t e = heapPop();
        labels_[e].settled = epoch_;
        ++settledCount_;
        if (wanted_[e] == epoch_) --pending;
        const double d = labels_[e].dist;
        for (uint32_t a = arcStart_[e]; a < arcStart_[e + 1]; ++a) {
            const uint32_t s = arcTarget_[a];
            Label& next = labels_[s];
            if (next.settled == epoch_) continue;  // final (rounding must not reopen it)
            const double via = d + cost[s];
            if (next.touched != epoch_) {
                next.touched = epoch_;
                next.dist = via;
                next.previous = e;
                next.potential = potential(s);
                heap_.emplace_back();
                heapUp(heap_.size() - 1, heapEntry(via + next.potential, s));
            } else if (via < next.dist) {
                next.dist = via;
                next.previous = e;
                heapUp(next.heapSlot, heapEntry(via + next.potential, s));
            }
        }
    }
}

std::vector<uint32_t> RoadRouter::tree(size_t from, const std::vector<double>& cost) {
    run(from, nullptr, cost, [](size_t) { return 0.0; });
    std::vector<uint32_t> tree(labels_.size(), kNoEdge);
    for (size_t e = 0; e < tree.size(); ++e)
        if (labels_[e].settled == epoch_) tree[e] = labels_[e].previous;
    tree[from] = static_cast<uint32_t>(from);
    return tree;
}

std::vector<uint32_t> RoadRouter::pathInTree(const std::vector<uint32_t>& tree, size_t from, size_t to) {
    if (tree[to] == kNoEdge) return {};
    size_t edges = 1;
    for (size_t e = to; e != from; e = tree[e]) ++edges;
    std::vector<uint32_t> path(edges);
    size_t e = to;
    for (size_t i = edges; i-- > 0; e = tree[e]) path[i] = static_cast<uint32_t>(e);
    return path;
}

std::vector<size_t> RoadRouter::pathTo(size_t to) const {
    if (labels_[to].settled != epoch_) return {};
    std::vector<size_t> path{to};
    while (path.back() != from_) path.push_back(labels_[path.back()].previous);
    std::reverse(path.begin(), path.end());
    return path;
}

void forEachWithRouter(size_t count, unsigned threads, std::vector<RoadRouter>& routers,
                       const std::function<void(size_t, RoadRouter&)>& job) {
    tbb::task_arena arena(threads > 0 ? static_cast<int>(threads) : tbb::task_arena::automatic);
    arena.initialize();
    // One router per thread slot of the arena (a slot is one thread's at a time).
    const size_t slots = std::min(count, static_cast<size_t>(arena.max_concurrency()));
    if (slots <= 1) {  // the searches on the caller's thread, in order
        for (size_t k = 0; k < count; ++k) job(k, routers.front());
        return;
    }
    routers.reserve(static_cast<size_t>(arena.max_concurrency()));
    while (routers.size() < static_cast<size_t>(arena.max_concurrency())) routers.push_back(routers.front());
    arena.execute([&] {
        tbb::parallel_for(size_t(0), count,
                          [&](size_t k) { job(k, routers[static_cast<size_t>(tbb::this_task_arena::current_thread_index())]); });
    });
}

}  // namespace alprsim
